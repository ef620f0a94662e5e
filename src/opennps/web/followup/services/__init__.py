"""The follow-up app's rules, one module per concept: ``conditions`` and ``rules`` (alert
rules), ``alerts`` (deliveries), ``cases``, ``figures`` (closing-the-loop figures),
``lists`` (promoters and passives), ``plans`` (action plans, "you said, we did").

:func:`you_said_we_did` is the entry point for the invitation e-mails.
"""

from .plans import you_said_we_did

__all__ = ["you_said_we_did"]
