"""Score histograms from tables: DuckDB over files, any Ibis backend for warehouses.

One GROUP BY query per analysis counts the answers per group, period and raw score value;
:class:`HistogramSet` holds the cells, which add up to the per-group, per-period and
overall histograms that :mod:`opennps.core` turns into statistics. The query's rules are
written once; it is rendered as an Ibis expression for Ibis tables (:func:`histogram_expr`)
and as DuckDB SQL for a :class:`DuckDBTable` (:func:`histogram_sql`), the path for files,
which does not import Ibis at all (importing this package loads neither Ibis nor pyarrow).

>>> import ibis
>>> from opennps.core import NPS_SCALE
>>> con = connect(threads=1)
>>> t = con.sql("SELECT * FROM (VALUES (10, DATE '2025-01-30'), (6, DATE '2025-02-02')) "
...             "AS t(score, opennps_date)")
>>> hs = compute_histograms(t, score="score", scale=NPS_SCALE, period="month")
>>> {period: h.groups() for period, h in hs.by_period().items()}
{'2025-01': (1, 0, 0), '2025-02': (0, 0, 1)}
"""

from opennps.engine._columns import require_columns
from opennps.engine._compile import histogram_query
from opennps.engine._compute import compute_histograms, gather
from opennps.engine._connect import available_cores, connect, connect_duckdb
from opennps.engine._expr import histogram_expr
from opennps.engine._filters import Filters
from opennps.engine._histogram_set import Cell, HistogramSet
from opennps.engine._periods import PERIODS, format_period
from opennps.engine._scores import score_point
from opennps.engine._sources import SCHEMES, open_table
from opennps.engine._sql import DuckDBTable, histogram_sql

__all__ = [
    "Cell",
    "DuckDBTable",
    "Filters",
    "HistogramSet",
    "PERIODS",
    "SCHEMES",
    "available_cores",
    "compute_histograms",
    "connect",
    "connect_duckdb",
    "format_period",
    "gather",
    "histogram_expr",
    "histogram_query",
    "histogram_sql",
    "open_table",
    "require_columns",
    "score_point",
]
