"""The values each filter of :mod:`.filters` can take, with their counts: the pickers of the
dashboard and Themes pages (and of the API, later), and the active filters as chips.

One query reads the channel, language, score, properties and extra answers of the latest
``FACET_SAMPLE`` answers in the chosen dates and scope; a second one reads the survey's
extra questions (their prompts and choices label the pickers). The counts are exact when
the dates hold no more answers than that (``Facets.complete``); otherwise they are the
counts among the latest answers, and the page says so. Either way the cost of a page does
not grow with the number of answers.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from opennps import _format
from opennps.core import Segment

from .filters import ANSWER_PREFIX, PROPERTY_KEY, PROPERTY_PREFIX, RANGES, Filters, responses
from .models import Channel, QuestionKind, Survey

FACET_SAMPLE = 5000
# A property with more distinct values than this is a text box with suggestions, not a list.
MAX_CHOICES = 40
MAX_KEYS = 12


@dataclass(frozen=True)
class Choice:
    """One value a filter can take: as stored, as shown, how many answers have it."""

    value: str
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class Facet:
    """One filter: its URL parameter, its name, its values; ``free`` when it has too many
    values for a list (a text box with the most frequent ones as suggestions)."""

    param: str
    label: str
    choices: tuple[Choice, ...]
    selected: str = ""
    free: bool = False

    @property
    def ident(self) -> str:
        """The parameter as an HTML id."""
        return "filter-" + "".join(c if c.isalnum() else "-" for c in self.param)


@dataclass(frozen=True)
class Chip:
    """An active filter as shown, and the query string without it."""

    label: str
    value: str
    remove: str


@dataclass(frozen=True)
class Facets:
    """Every picker of a page; ``complete`` when the counts cover every answer."""

    channel: Facet
    language: Facet
    group: Facet | None
    properties: tuple[Facet, ...]
    answers: tuple[Facet, ...]
    sample: int
    complete: bool

    def all(self) -> tuple[Facet, ...]:
        fixed = (self.channel, self.language) + ((self.group,) if self.group else ())
        return fixed + self.properties + self.answers


def language_name(code: str) -> str:
    """A language by its name in the active language ("pl": "Polish", "polski")."""
    try:
        return str(get_language_info(code)["name_translated"]).capitalize()
    except KeyError:
        return code


def _text(value: object) -> str | None:
    """A stored JSON value as the filters compare it (as :class:`filters.JSONKeyText`)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value)


def _elements(value: object) -> list[str]:
    if isinstance(value, list):
        return [text for text in dict.fromkeys(map(_text, value)) if text]
    text = _text(value)
    return [text] if text else []


def _facet(param: str, label: str, counts: Counter[str], selected: str,
           labels: dict[str, str] | None = None, order: list[str] | None = None) -> Facet:
    values = order if order is not None else [v for v, _n in counts.most_common()]
    free = order is None and len(values) > MAX_CHOICES
    shown = values[:MAX_CHOICES]
    if selected and selected not in shown:
        shown.append(selected)
    choices = tuple(Choice(value, (labels or {}).get(value, value), counts.get(value, 0),
                           value == selected) for value in shown)
    return Facet(param, label, choices, selected, free)


def facets(survey: Survey, filters: Filters, *, language: str) -> Facets:
    """The pickers for ``filters`` of ``survey``, labels in ``language``: two queries."""
    # Properties and extra answers come as their JSON text, each distinct combination
    # decoded once: decoding every answer's JSON was the page's largest cost.
    rows = Counter(responses(survey, filters.dates_only()).order_by("-created_at")
                   .annotate(properties_text=Cast("person_properties", TextField()),
                             answers_text=Cast("answers", TextField()))
                   .values_list("channel", "language", "score", "properties_text",
                                "answers_text")[:FACET_SAMPLE])
    channels: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    groups: Counter[str] = Counter()
    properties: dict[str, Counter[str]] = {}
    answers: dict[str, Counter[str]] = {}
    recommend = survey.scale.is_recommend
    decoded: dict[str | None, Any] = {None: None}
    for (channel, code, score, person_properties, extra), n in rows.items():
        channels[channel] += n
        languages[code] += n
        if recommend and score is not None:
            groups[survey.scale.group(score).value] += n
        for target, text in ((properties, person_properties), (answers, extra)):
            if text not in decoded:
                decoded[text] = json.loads(text)
            for key, value in (decoded[text] or {}).items():
                if PROPERTY_KEY.match(str(key)):
                    counter = target.setdefault(str(key), Counter())
                    counter.update(dict.fromkeys(_elements(value), n))
    sampled = rows.total()
    known = dict(settings.LANGUAGES)
    channel_labels = {str(value): str(label) for value, label in Channel.choices}
    channel = _facet("channel", _("Channel"), channels, filters.channel, channel_labels,
                     [value for value in Channel.values if channels[value]
                      or value == filters.channel])
    language_facet = _facet("language", _("Language"), languages, filters.language,
                            {code: language_name(code) for code in known},
                            [code for code in known if languages[code]
                             or code == filters.language])
    group = None
    if recommend:
        names = {Segment.PROMOTER: _("Promoters"), Segment.PASSIVE: _("Passives"),
                 Segment.DETRACTOR: _("Detractors")}
        group_labels = {}
        for segment, name in names.items():
            low, high = survey.scale.bounds(segment)
            group_labels[segment.value] = f"{name} ({low}–{high})"
        group = _facet("group", _("Score group"), groups, filters.group, group_labels,
                       [s.value for s in Segment])
    property_facets = tuple(
        _facet(PROPERTY_PREFIX + key, key, counts, filters.properties.get(key, ""))
        for key, counts in sorted(properties.items())[:MAX_KEYS] if not key.isdigit())
    answer_facets = _answer_facets(survey, answers, filters, language)
    return Facets(channel, language_facet, group, property_facets, answer_facets,
                  sampled, sampled < FACET_SAMPLE)


def _answer_facets(survey: Survey, answers: dict[str, Counter[str]], filters: Filters,
                   language: str) -> tuple[Facet, ...]:
    """Pickers for the extra questions that have answers, by their prompt: choice and
    scale questions (free-text answers are not values to pick)."""
    found = []
    # Every page reads the questions, answered or not, so that its number of queries does
    # not depend on its answers.
    for question in survey.questions.exclude(kind=QuestionKind.TEXT):
        key = str(question.pk)
        if key not in answers and key not in filters.answers:
            continue
        counts = answers.get(key, Counter())
        labels = dict(question.choice_labels(language))
        order = None
        if question.kind == QuestionKind.SCALE:
            order = [str(point) for point in range(question.scale_low, question.scale_high + 1)
                     if counts[str(point)] or str(point) == filters.answers.get(key)]
        elif labels:
            order = [value for value in labels if counts[value]
                     or value == filters.answers.get(key)]
        found.append(_facet(ANSWER_PREFIX + key, question.text_in(language) or key, counts,
                            filters.answers.get(key, ""), labels, order))
    return tuple(found[:MAX_KEYS])


def chips(filters: Filters, found: Facets | None = None,
          keep: Sequence[tuple[str, str]] = ()) -> list[Chip]:
    """The active filters as removable chips (dates and period are shown apart); each
    chip's link keeps the other filters and the page's own parameters ``keep``."""
    query = filters.query()
    labels = {facet.param: facet for facet in found.all()} if found else {}
    active = []
    for param, value in query.items():
        if param in ("since", "until", "range", "period"):
            continue
        facet = labels.get(param)
        if facet is not None:
            name = facet.label
            shown = next((c.label for c in facet.choices if c.value == value), value)
        elif param == "scope":
            name, shown = _("Surveys"), _("every survey of this kind in the organisation")
        elif param.startswith(PROPERTY_PREFIX):
            name, shown = param[len(PROPERTY_PREFIX):], value
        elif param.startswith(ANSWER_PREFIX):
            name, shown = _("Question %(number)s") % {"number": param[len(ANSWER_PREFIX):]}, value
        else:
            name, shown = {"channel": _("Channel"), "language": _("Language"),
                           "group": _("Score group")}.get(param, param), value
            if param == "language":
                shown = language_name(value)
        rest = [*((k, v) for k, v in query.items() if k != param), *keep]
        active.append(Chip(name, shown, urlencode(rest)))
    return active


def presets(filters: Filters, keep: Sequence[tuple[str, str]] = ()) -> list[dict[str, Any]]:
    """The date presets as links that keep every other filter; "all time" drops the dates."""
    query = [(k, v) for k, v in filters.query().items() if k not in ("since", "until", "range")]
    links = [{"label": _("All time"), "query": urlencode([*query, *keep]),
              "current": not (filters.since or filters.until)}]
    for key, label in RANGES.items():
        links.append({"label": str(label), "query": urlencode([*query, ("range", key), *keep]),
                      "current": filters.range == key})
    return links


def period_text(filters: Any) -> str:
    """The dates a page's figures cover, in words ("Last 90 days: 2025-02-01 – 2025-05-01",
    "All answers")."""
    inner = getattr(filters, "answers", None)
    if isinstance(inner, Filters):  # the Themes page's filters wrap the answers' filters
        filters = inner
    since, until = getattr(filters, "since", None), getattr(filters, "until", None)
    dates = ""
    if since and until:
        dates = f"{_format.day(since)} – {_format.day(until)}"
    elif since:
        dates = _("from %(day)s") % {"day": _format.day(since)}
    elif until:
        dates = _("until %(day)s") % {"day": _format.day(until)}
    preset = getattr(filters, "range", "")
    if preset in RANGES:
        return f"{RANGES[preset]}: {dates}"
    return dates or _("All answers")


def filter_bar(survey: Survey, filters: Filters, *, language: str,
               keep: Sequence[tuple[str, str]] = (), pickers: bool = True,
               period: bool = False) -> dict[str, Any]:
    """The context of ``surveys/_filter_bar.html``: presets, chips and the filter form.

    ``keep`` holds the page's own parameters (``by``, ``sort``, ``q``...), kept by every
    link and by the form; ``pickers=False`` offers only dates and channel (the response
    rate page, whose requests have no answers yet); ``period`` adds "trend by".
    """
    kept = [(name, value) for name, value in keep if value]
    found = facets(survey, filters, language=language) if pickers else None
    return {"facets": found, "chips": chips(filters, found, kept),
            "presets": presets(filters, kept), "keep": kept, "clear_query": urlencode(kept),
            "show_period": period,
            "channels": () if pickers else [(str(v), str(label)) for v, label
                                            in Channel.choices]}
