"""What a digest says: the dashboard's figures for the period, and the e-mail that says it.

Every number is the dashboard's own, from the same queries and the same core figures as
the overview with ``?since=…&until=…`` (:mod:`.services`, :mod:`.figures`): the score
with its interval and n, the change against the range of the same length just before
(tested, in words), the answers in both ranges, and the newest detractor comments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from opennps.core import Segment
from opennps.web import links
from opennps.web.conf import opennps_settings
from opennps.web.surveys.filters import Filters, responses
from opennps.web.surveys.models import Response, Status, Survey

from . import figures, services
from .digest_models import DigestDelivery, DigestSubscription, Frequency
from .pages import METRIC_NAMES

UNSUBSCRIBE_SALT = "opennps.dashboard.digest.unsubscribe"
# An organisation's digest shows at most this many surveys (by name).
MAX_SURVEYS = 20


@dataclass(frozen=True)
class SurveyFigures:
    """One survey's part of a digest."""

    survey: Survey
    metric: str
    recommend: bool
    headline: dict[str, Any]
    previous: dict[str, Any]
    change: dict[str, Any] | None
    comments: list[Response]
    url: str


def survey_figures(survey: Survey, since: date, until: date, *, base: str) -> SurveyFigures:
    """The dashboard's figures of ``survey`` from ``since`` to ``until`` (in the active
    language): three or four queries."""
    filters = Filters(since=since, until=until)
    rollup = services.refresh(survey, filters)
    pair = services.histograms_current_and_previous(survey, filters, rollup=rollup)
    assert pair is not None  # both ends are set
    current, previous = pair
    recommend = figures.is_recommend(survey.kind)
    low, high = survey.scale.bounds(Segment.DETRACTOR)
    comments = list(responses(survey, filters).filter(score__gte=low, score__lte=high)
                    .exclude(comment="").order_by("-created_at", "-pk")
                    .only("score", "comment", "created_at", "language")
                    [:opennps_settings()["DIGEST_COMMENTS"]])
    path = reverse("dashboard:overview", args=[survey.pk]) + "?" + urlencode(filters.query())
    return SurveyFigures(
        survey=survey, metric=str(METRIC_NAMES[survey.kind]), recommend=recommend,
        headline=figures.headline(current, survey.kind),
        previous=figures.headline(previous, survey.kind),
        change=figures.change_in_words(current, previous) if recommend else None,
        comments=comments, url=links.absolute(path, base=base))


def surveys_of(subscription: DigestSubscription) -> list[Survey]:
    """The survey of the subscription, or the organisation's surveys that are not closed."""
    if subscription.survey_id is not None:
        assert subscription.survey is not None
        return [subscription.survey]
    return list(Survey.objects.filter(organisation_id=subscription.organisation_id)
                .exclude(status=Status.CLOSED).select_related("rollup_mark")
                .order_by("name", "pk")[:MAX_SURVEYS])


def period_words(frequency: str, start: date, end: date) -> str:
    """"6 January 2025" or "6 January 2025 – 12 January 2025" in the active language."""
    first = formats.date_format(start, "DATE_FORMAT")
    if frequency == Frequency.DAILY or start == end:
        return first
    return _("%(start)s – %(end)s") % {"start": first,
                                         "end": formats.date_format(end, "DATE_FORMAT")}


def unsubscribe_token(subscription: DigestSubscription) -> str:
    return signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT)


def subscription_of_token(token: str) -> int | None:
    """The subscription id in an unsubscribe link, or None if the link was altered."""
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def subject_of(frequency: str, name: str, period: str) -> str:
    values = {"name": name, "period": period}
    if frequency == Frequency.DAILY:
        return _("Daily digest: %(name)s, %(period)s") % values
    if frequency == Frequency.MONTHLY:
        return _("Monthly digest: %(name)s, %(period)s") % values
    return _("Weekly digest: %(name)s, %(period)s") % values


def build_message(delivery: DigestDelivery, *, base: str | None = None
                  ) -> EmailMultiAlternatives:
    """The digest e-mail of ``delivery`` (HTML and plain text) in the subscriber's language.

    Raises :class:`opennps.web.links.NoBaseURLError` when there is no base URL for links.
    """
    subscription = delivery.subscription
    base = base or links.base_url()
    with translation.override(subscription.language):
        sections = [survey_figures(survey, delivery.period_start, delivery.period_end,
                                   base=base) for survey in surveys_of(subscription)]
        previous = Filters(since=delivery.period_start,
                           until=delivery.period_end).previous_range()
        assert previous is not None
        name = subscription.survey.name if subscription.survey else \
            subscription.organisation.name
        period = period_words(delivery.frequency, delivery.period_start, delivery.period_end)
        subject = subject_of(delivery.frequency, name, period)
        unsubscribe = links.absolute(reverse("dashboard:digest_unsubscribe",
                                             args=[unsubscribe_token(subscription)]),
                                     base=base)
        context = {
            "subject": subject, "name": name, "period": period,
            "previous_period": period_words(delivery.frequency, *previous),
            "sections": sections, "language": subscription.language,
            "confidence": figures.confidence_percent(),
            "comment_count": opennps_settings()["DIGEST_COMMENTS"],
            "manage_url": links.absolute(reverse("dashboard:digests"), base=base),
            "unsubscribe_url": unsubscribe,
            "frequency": subscription.get_frequency_display(),
        }
        text = render_to_string("dashboard/digest/email.txt", context)
        html = render_to_string("dashboard/digest/email.html", context)
    host = urlsplit(base).hostname or "localhost"
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [subscription.user.email],
        headers={
            # The same id if it were ever sent again, so mail systems can drop the copy.
            "Message-ID": f"<opennps-digest.{subscription.pk}.{delivery.frequency}."
                          f"{delivery.period_start:%Y%m%d}@{host}>",
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "Content-Language": subscription.language,
        })
    message.attach_alternative(html, "text/html")
    return message
