"""Closing the loop on answers: notes, alert rules with their e-mail and webhook deliveries,
follow-up cases, review clicks of promoters, and action plans with their "you said, we
did" message.

AlertRule (conditions → actions) → Alert (one rule matched one answer) → Delivery (one
e-mail or webhook call, with its attempts) ; a rule that opens cases → Case (owner, due
date, status, version for optimistic locking) → CaseReply (an e-mail to the customer).
"""

from .cases import Assignment, Case, CaseReply, CaseSettings, CaseStatus, ReplyStatus, RootCause
from .notes import Note
from .plans import ActionPlan, PlanStatus, ReviewClick, SurveyMessage
from .rules import (
    Alert,
    AlertRule,
    Delivery,
    DeliveryAttempt,
    DeliveryChannel,
    DeliveryStatus,
    Webhook,
    WebhookFormat,
)

__all__ = [
    "ActionPlan",
    "Alert",
    "AlertRule",
    "Assignment",
    "Case",
    "CaseReply",
    "CaseSettings",
    "CaseStatus",
    "Delivery",
    "DeliveryAttempt",
    "DeliveryChannel",
    "DeliveryStatus",
    "Note",
    "PlanStatus",
    "ReplyStatus",
    "ReviewClick",
    "RootCause",
    "SurveyMessage",
    "Webhook",
    "WebhookFormat",
]
