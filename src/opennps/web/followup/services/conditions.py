"""The conditions of an alert rule: what they mean, and which ones are refused and why.

Every condition that is set must hold (AND); one left empty does not filter:

- ``groups``: the answer's score group (0–10 surveys; answers of other scales never match);
- ``max_score``: the score is at most this;
- ``properties``: each person property at answer time equals the value (as text, like
  the dashboard's ``prop.`` filters);
- ``segment``: the answer's person is in the saved people segment now (an answer without
  a person never is);
- ``themes``: the comment mentions at least one of the themes;
- ``keywords``: the comment contains at least one of the words or phrases, at the start
  of a word, ignoring case ("refund" matches "Refunds", not "prerefund");
- ``languages``: the answer is in one of the languages;
- ``comment_required``: the answer has a comment.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from opennps.core import NPS_SCALE, Scale, Segment
from opennps.errors import OpenNPSError
from opennps.web.surveys.filters import PROPERTY_KEY

MAX_KEYWORDS = 50
MAX_KEYWORD_LENGTH = 100


class InvalidRuleError(OpenNPSError):
    """A rule's condition or action that cannot be used, with the field it is about."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Facts:
    """What a rule looks at in one answer."""

    score: int
    group: str | None
    comment: str
    language: str
    properties: Mapping[str, Any]
    themes: frozenset[str] = frozenset()
    #: The ids of the segments (among those the rules ask about) the person is in.
    segments: frozenset[int] = frozenset()


def property_text(value: Any) -> str:
    """A property value as the filters compare it: strings as they are, numbers and
    ``true``/``false`` as JSON writes them, lists and objects as JSON text."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class Conditions:
    groups: tuple[str, ...] = ()
    max_score: int | None = None
    properties: tuple[tuple[str, str], ...] = ()
    themes: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    comment_required: bool = False
    segment_id: int | None = None
    _patterns: tuple[re.Pattern[str], ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def of(cls, rule: Any) -> Conditions:
        """The conditions of an AlertRule (or anything with the same attributes)."""
        keywords = tuple(rule.keywords or ())
        return cls(tuple(rule.groups or ()), rule.max_score,
                   tuple(sorted((rule.properties or {}).items())), tuple(rule.themes or ()),
                   keywords, tuple(rule.languages or ()), bool(rule.comment_required),
                   rule.segment_id, tuple(keyword_pattern(k) for k in keywords))

    @property
    def needs_themes(self) -> bool:
        return bool(self.themes)

    @property
    def is_empty(self) -> bool:
        return not (self.groups or self.max_score is not None or self.properties
                    or self.themes or self.keywords or self.languages
                    or self.comment_required or self.segment_id is not None)

    def matches(self, facts: Facts) -> bool:
        """Whether the answer meets every condition that is set."""
        if self.groups and facts.group not in self.groups:
            return False
        if self.max_score is not None and facts.score > self.max_score:
            return False
        if self.languages and facts.language not in self.languages:
            return False
        if self.comment_required and not facts.comment.strip():
            return False
        if self.segment_id is not None and self.segment_id not in facts.segments:
            return False
        for key, value in self.properties:
            if key not in facts.properties or property_text(facts.properties[key]) != value:
                return False
        if self.themes and not facts.themes.intersection(self.themes):
            return False
        return not self._patterns or any(p.search(facts.comment) for p in self._patterns)


def keyword_pattern(keyword: str) -> re.Pattern[str]:
    """A keyword or phrase at the start of a word, ignoring case; spaces match any run of
    white space."""
    words = [re.escape(part) for part in keyword.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words), re.IGNORECASE)


def facts_of(response: Any, scale: Scale, themes: Iterable[str] = (),
             segments: Iterable[int] = ()) -> Facts:
    """The facts of a Response on ``scale``; ``segments``: the ids of the segments its
    person is in (of those the rules ask about)."""
    group = str(scale.group(response.score)) if scale.is_recommend else None
    return Facts(response.score, group, response.comment or "", response.language,
                 response.person_properties or {}, frozenset(themes), frozenset(segments))


def check(conditions: Conditions, *, scale: Scale | None, theme_ids: Iterable[str]) -> None:
    """Refuse conditions that cannot be met or name what does not exist (InvalidRuleError
    names the field, the value and what is allowed). ``scale`` is the survey's, or None
    for a rule on every survey."""
    bounds_scale = scale or NPS_SCALE
    known_groups = [str(s) for s in Segment]
    unknown = [g for g in conditions.groups if g not in known_groups]
    if unknown:
        raise InvalidRuleError("groups", _(
            "Unknown score group %(value)s: expected %(allowed)s.")
            % {"value": unknown[0], "allowed": ", ".join(known_groups)})
    if conditions.groups and scale is not None and not scale.is_recommend:
        raise InvalidRuleError("groups", _(
            "Score groups apply to 0–10 surveys only; for this survey use “score at most” "
            "instead."))
    if conditions.max_score is not None and not (
            bounds_scale.low <= conditions.max_score <= bounds_scale.high):
        raise InvalidRuleError("max_score", _(
            "“Score at most” must be from %(low)s to %(high)s, got %(value)s.")
            % {"low": bounds_scale.low, "high": bounds_scale.high,
               "value": conditions.max_score})
    if conditions.groups and conditions.max_score is not None:
        lowest = min(NPS_SCALE.bounds(Segment(g))[0] for g in conditions.groups)
        if lowest > conditions.max_score:
            raise InvalidRuleError("max_score", _(
                "This rule can never match: the score groups chosen start at %(low)s, above "
                "“score at most” %(value)s. Choose a lower group or a higher score.")
                % {"low": lowest, "value": conditions.max_score})
    for key, value in conditions.properties:
        if not PROPERTY_KEY.match(key) or key.isdigit():
            raise InvalidRuleError("properties", _(
                "The property name %(name)s cannot be used: a property name has letters, "
                "digits, spaces, dots, dashes or underscores (1 to 64).") % {"name": key})
        if not value:
            raise InvalidRuleError("properties", _(
                "The property %(name)s has no value: write name=value.") % {"name": key})
    known = set(theme_ids)
    missing = [t for t in conditions.themes if t not in known]
    if missing:
        raise InvalidRuleError("themes", _(
            "Unknown theme %(value)s: the organisation's taxonomy has %(allowed)s.")
            % {"value": missing[0], "allowed": ", ".join(sorted(known)) or "-"})
    _check_keywords(conditions.keywords)
    codes = [code for code, _name in settings.LANGUAGES]
    bad = [code for code in conditions.languages if code not in codes]
    if bad:
        raise InvalidRuleError("languages", _(
            "Unknown language %(value)s: expected %(allowed)s.")
            % {"value": bad[0], "allowed": ", ".join(codes)})


def _check_keywords(keywords: tuple[str, ...]) -> None:
    if len(keywords) > MAX_KEYWORDS:
        raise InvalidRuleError("keywords", _(
            "At most %(count)s keywords, got %(value)s.")
            % {"count": MAX_KEYWORDS, "value": len(keywords)})
    for keyword in keywords:
        if not keyword.strip() or len(keyword) > MAX_KEYWORD_LENGTH:
            raise InvalidRuleError("keywords", _(
                "A keyword must have 1 to %(count)s characters, got “%(value)s”.")
                % {"count": MAX_KEYWORD_LENGTH, "value": keyword[:120]})
