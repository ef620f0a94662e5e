"""Statistics on score histograms: pure Python, standard library only.

Every statistic here takes counts (a :class:`Histogram` or group counts) and returns
a ``…Result`` object. Nothing in this package does I/O or imports a third-party module.
"""

from opennps.core._histogram import Histogram
from opennps.core._scale import (
    CES_SCALE,
    CSAT_SCALE,
    ENPS_SCALE,
    NPS_SCALE,
    SCALES,
    Scale,
    Segment,
    classify,
)

__all__ = [
    "CES_SCALE",
    "CSAT_SCALE",
    "ENPS_SCALE",
    "NPS_SCALE",
    "SCALES",
    "Histogram",
    "Scale",
    "Segment",
    "classify",
]
