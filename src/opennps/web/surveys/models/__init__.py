"""The survey data model, shaped after the Delighted API concepts.

Person (email/phone, name, language, properties, unsubscribe and bounce dates) →
SurveyRequest (one personal link with its token, channel and property snapshot) →
Response (at most one per request: score, comment, extra answers, tags, notes).
Open links and kiosks create a request per answer, so the rule "one response per
request" holds for every channel.
"""

from .people import Person
from .responses import Channel, Note, OpenLinkUse, Response, SurveyRequest
from .survey import Kind, OpenLinkMode, Question, QuestionKind, Status, Survey, SurveyText

__all__ = [
    "Channel",
    "Kind",
    "Note",
    "OpenLinkMode",
    "OpenLinkUse",
    "Person",
    "Question",
    "QuestionKind",
    "Response",
    "Status",
    "Survey",
    "SurveyRequest",
    "SurveyText",
]
