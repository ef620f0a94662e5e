"""Who may do what in the follow-up pages (the role sets of ``accounts.models``)."""

from __future__ import annotations

from opennps.web.accounts.models import EVERYONE, MANAGE_SURVEYS, Role

#: Everyone works the cases they own; these roles see and work every case.
SEE_ALL_CASES: frozenset[str] = frozenset(str(r) for r in (Role.OWNER, Role.ADMIN,
                                                            Role.ANALYST))
#: Alert rules, webhooks, case settings and the "you said, we did" message.
MANAGE_RULES: frozenset[str] = MANAGE_SURVEYS
#: Promoter and passive lists (personal data to export) and editing action plans.
ANALYSE: frozenset[str] = SEE_ALL_CASES
#: Action plans are shown to every member of the organisation.
READ_PLANS: frozenset[str] = EVERYONE
#: Cases: every member (agents see their own).
WORK_CASES: frozenset[str] = EVERYONE
