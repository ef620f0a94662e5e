"""How numbers are shown to people: one rounding rule and one set of separators for every
surface (dashboard pages, HTML/PDF reports, CLI tables, themes tables). Standard library only.

The rule: a figure is rounded **half away from zero on its shortest decimal form**, so 26.15
is shown as 26.2 and -26.15 as -26.2, on the dashboard (Django's ``floatformat`` rounds so
too), in a report and in a CLI table alike; ``f"{26.15:.1f}"`` would say 26.1, because the
binary float closest to 26.15 lies just below it. A rounded zero never shows a sign.

Separators follow the language: English writes 1,234.5; Polish, Russian, Finnish,
Lithuanian and Swedish write 1 234,5 (a no-break space groups thousands, from 10 000 in
Polish as its typography wants, from 1 000 elsewhere). Machine formats (JSON, CSV) keep
unrounded numbers and never pass through here.

Examples
--------
>>> number(26.15), number(26.15, language="pl"), number(-0.04)
('26.2', '26,2', '0.0')
>>> count(20000, language="pl"), count(2000, language="pl"), count(2000)
('20\\xa0000', '2000', '2,000')
>>> percent(0.2857), p_value(0.0004), p_value(0.0213, language="sv")
('28.6%', '<\\xa00.001', '0,021')
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from opennps._i18n import N_
from opennps._i18n import gettext as _

__all__ = ["ADJUSTMENT_NAMES", "INDUSTRY_NAMES", "METHOD_NAMES", "adjustment_name", "count",
           "day", "industry_name", "method_name", "moment", "number", "p_value", "percent",
           "plain", "rounded", "signed", "source_name"]

#: Interval methods by id, as people read them (translated on display).
METHOD_NAMES = {
    "wald": N_("Wald"),
    "adjusted-wald": N_("adjusted Wald"),
    "adjusted-wald-z2": N_("adjusted Wald (z²/3)"),
    "score": N_("score (Tango)"),
    "bayes": N_("Bayesian"),
}
#: Multiple-comparison adjustments by id.
ADJUSTMENT_NAMES = {
    "holm": N_("Holm's method"),
    "bh": N_("Benjamini–Hochberg"),
    "none": N_("no adjustment"),
}
#: The industries of the published benchmarks (opennps.core.INDUSTRIES), as shown.
INDUSTRY_NAMES = {
    "airlines": N_("Airlines"),
    "all industries": N_("All industries"),
    "auto dealers": N_("Auto dealers"),
    "brokerage/investments": N_("Brokerage and investments"),
    "car rentals": N_("Car rentals"),
    "consumer payments": N_("Consumer payments"),
    "grocery": N_("Grocery"),
    "health insurance": N_("Health insurance"),
    "retail": N_("Retail"),
    "streaming": N_("Streaming"),
    "tv/internet": N_("TV and internet"),
}
# Benchmark sources whose names hold words to translate.
_SOURCE_NAMES = {
    "Qualtrics XM Institute, US consumers": N_("Qualtrics XM Institute, US consumers"),
    "SurveyMonkey (more than 150,000 organisations)":
        N_("SurveyMonkey (more than 150,000 organisations)"),
}

_COMMA = {"pl", "ru", "fi", "lt", "sv"}
_NBSP = "\xa0"
# Polish groups only numbers of five digits or more (Polish typography, CLDR).
_GROUP_FROM = {"pl": 5}


def _code(language: str | None) -> str:
    if language is None:
        from opennps._i18n import active_language

        language = active_language()
    return language.split("-")[0].split("_")[0].lower()


def rounded(value: float | int | Decimal, digits: int = 1) -> Decimal:
    """``value`` rounded half away from zero on its shortest decimal form.

    >>> rounded(26.15), rounded(2.675, 2), rounded(-26.15), rounded(0.5, 0)
    (Decimal('26.2'), Decimal('2.68'), Decimal('-26.2'), Decimal('1'))
    """
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))
    result = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return result + 0 if result == 0 else result  # drops the sign of a rounded zero


def plain(value: float | int | Decimal, digits: int = 1) -> str:
    """By the same rule, with a point and no grouping (CLI tables, Markdown).

    >>> plain(26.15), plain(-0.04), plain(1234.5)
    ('26.2', '0.0', '1234.5')
    """
    return f"{rounded(value, digits):f}"


def _group(digits: str, code: str) -> str:
    if len(digits) < _GROUP_FROM.get(code, 4):
        return digits
    separator = "," if code not in _COMMA else _NBSP
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return separator.join(parts)


def number(value: float | int | Decimal | None, digits: int = 1, *,
           language: str | None = None, empty: str = "–") -> str:
    """``value`` with ``digits`` decimals by the rule above, in ``language``'s separators
    (default: the active language of :mod:`opennps._i18n`); ``empty`` for None or NaN."""
    if value is None:
        return empty
    try:
        fixed = rounded(value, digits)
    except (InvalidOperation, ValueError):
        return empty
    if not fixed.is_finite():
        return empty
    code = _code(language)
    text = f"{abs(fixed):f}"
    whole, _dot, fraction = text.partition(".")
    sign = "-" if fixed < 0 else ""
    mark = "," if code in _COMMA else "."
    return sign + _group(whole, code) + (mark + fraction if fraction else "")


def signed(value: float | None, digits: int = 1, *, language: str | None = None) -> str:
    """Like :func:`number`, with "+" before a positive figure (changes, differences).

    >>> signed(6.04), signed(-6.05), signed(0.01)
    ('+6.0', '-6.1', '0.0')
    """
    text = number(value, digits, language=language)
    if value is not None and rounded(value, digits) > 0:
        return "+" + text
    return text


def count(value: int | None, *, language: str | None = None) -> str:
    """A whole number (answers, mentions) with the language's thousands separator."""
    return number(value, 0, language=language)


def percent(share: float | None, digits: int = 1, *, language: str | None = None) -> str:
    """A share of 0…1 as a percentage: "28.6%" (English), "28,6%" elsewhere.

    The number and the sign are never broken across lines.
    """
    if share is None:
        return "–"
    return number(100 * share, digits, language=language) + "%"


def p_value(p: float | None, *, language: str | None = None) -> str:
    """A p-value with three decimals, or "< 0.001"."""
    if p is None:
        return "–"
    if p < 0.001:
        return "<" + _NBSP + number(0.001, 3, language=language)
    return number(p, 3, language=language)


def method_name(method: str) -> str:
    """An interval method's name in the active language ("adjusted-wald": "adjusted Wald")."""
    return _(METHOD_NAMES[method]) if method in METHOD_NAMES else method


def adjustment_name(adjustment: str) -> str:
    """A multiple-comparison adjustment's name in the active language."""
    return _(ADJUSTMENT_NAMES[adjustment]) if adjustment in ADJUSTMENT_NAMES else adjustment


def industry_name(industry: str) -> str:
    """A benchmark industry's name in the active language ("retail": "Retail")."""
    return _(INDUSTRY_NAMES[industry]) if industry in INDUSTRY_NAMES else industry


def source_name(source: str) -> str:
    """A benchmark's source in the active language (names stay, words are translated)."""
    return _(_SOURCE_NAMES[source]) if source in _SOURCE_NAMES else source


def day(value: date | datetime | None) -> str:
    """A date as every page and report writes it, in any language: 2025-01-31.

    One form everywhere, the one of the period labels (2025-01, 2025-W05) and of the date
    filters in the URL, so that no reader has to guess whether 01/02 is January or
    February. A datetime is shown as the day it falls on where it was taken.
    """
    if value is None:
        return "–"
    return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()


def moment(value: datetime | None) -> str:
    """A date and time: 2025-01-31 14:05 (the caller turns it into local time first)."""
    if value is None:
        return "–"
    return value.strftime("%Y-%m-%d %H:%M")
