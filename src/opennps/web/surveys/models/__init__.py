"""The survey data model, shaped after the Delighted API concepts.

Person (``opennps.web.people``: email/phone, name, language, properties) →
SurveyRequest (one personal link with its token, channel and property snapshot) →
Response (at most one per request: score, comment, extra answers, tags; notes on it are
``opennps.web.followup``'s).
Open links and kiosks create a request per answer, so the rule "one response per
request" holds for every channel.
"""

from .imports import ImportJob, ImportStatus
from .responses import Channel, OpenLinkUse, Response, SurveyRequest
from .survey import Kind, OpenLinkMode, Question, QuestionKind, Status, Survey, SurveyText

__all__ = [
    "Channel",
    "ImportJob",
    "ImportStatus",
    "Kind",
    "OpenLinkMode",
    "OpenLinkUse",
    "Question",
    "QuestionKind",
    "Response",
    "Status",
    "Survey",
    "SurveyRequest",
    "SurveyText",
]
