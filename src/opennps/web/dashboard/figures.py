"""Dashboard figures from score histograms: every statistic comes from opennps.core."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language, gettext_lazy, gettext_noop
from django.utils.translation import gettext as _

from opennps import _format, _i18n
from opennps.core import (
    BANDS,
    SCALES,
    Figure,
    Histogram,
    NPSResult,
    breakdown,
    ces,
    compare_nps,
    compare_to_benchmarks,
    comparison_method,
    csat,
)
from opennps.web.conf import opennps_settings
from opennps.web.surveys.models import Kind

METHOD = "adjusted-wald"


def confidence() -> float:
    """The confidence level of every interval and test (``OPENNPS["CONFIDENCE_LEVEL"]``)."""
    return float(opennps_settings()["CONFIDENCE_LEVEL"])


def confidence_percent() -> str:
    """The confidence level as shown: "95%"."""
    level = 100 * confidence()
    return _format.number(level, 0 if level % 1 == 0 else 1, language=get_language()) + "%"


def library_text(message: str) -> str:
    """A message of the library's catalogue (band sources, starter themes, industries) in
    the member's language: the web pages and the reports say them alike."""
    with _i18n.override(get_language()):
        return _i18n.gettext(message)


# What the headline figure of each kind of survey is called.
METRIC_NAMES = {Kind.NPS: gettext_lazy("Net Promoter Score"),
                Kind.ENPS: gettext_lazy("Net Promoter Score"),
                Kind.CSAT: gettext_lazy("Satisfied (4–5 of 5)"),
                Kind.CES: gettext_lazy("Agree (5–7 of 7)")}


def metric_name(kind: str) -> str:
    return str(METRIC_NAMES[Kind(kind)])

# The band labels of opennps.core, in this app's catalogues (the core's are not Django's).
BAND_LABELS = {
    "needs-improvement": gettext_noop("Needs improvement"),
    "average": gettext_noop("Average"),
    "good": gettext_noop("Good"),
    "favourable": gettext_noop("Favourable"),
    "great": gettext_noop("Great"),
    "excellent": gettext_noop("Excellent"),
    "world-class": gettext_noop("World class"),
}
MIN_N = 30


@dataclass(frozen=True)
class Row:
    """One figure as shown: the metric, its interval, n and the test that goes with it."""

    key: Any
    value: float
    low: float
    high: float
    n: int
    small: bool
    difference: float | None = None
    p_adjusted: float | None = None
    significant: bool = False


def is_recommend(kind: str) -> bool:
    """NPS and eNPS: 0–10 surveys with promoters, passives and detractors."""
    return SCALES[kind].is_recommend


def _rating(histogram: Histogram, kind: str) -> Any:
    return csat(histogram) if kind == Kind.CSAT else ces(histogram)


def _rating_row(key: Any, histogram: Histogram, kind: str) -> Row:
    result = _rating(histogram, kind)
    interval = result.confidence_interval(confidence())
    return Row(key, result.percent, interval.low, interval.high, result.n, result.n < MIN_N)


def rows(histograms: Mapping[Any, Histogram], kind: str, *, family: str,
         total: Histogram | None = None) -> list[Row]:
    """Figures of groups (``family="rest"``) or periods (``"previous"``) with their tests.

    ``total`` is the histogram of all the answers when the groups overlap (multiple
    choice): each group is then compared with the answers not in it.
    """
    present = {key: h for key, h in histograms.items() if h.n}
    if not present:
        return []
    if not is_recommend(kind):
        return [_rating_row(key, h, kind) for key, h in present.items()]
    overlapping = total is not None
    if total is None:
        total = Histogram.merge(present.values(), next(iter(present.values())).scale)
    figures: tuple[Figure[Any], ...]
    if family == "rest":
        figures = breakdown(total, present, method=METHOD, min_n=MIN_N,
                            confidence_level=confidence(), overlapping=overlapping).groups
    else:
        figures = breakdown(total, None, present, method=METHOD, min_n=MIN_N,
                            confidence_level=confidence()).periods
    return [Row(f.key, f.result.score, f.ci_low, f.ci_high, f.result.n, f.small,
                f.comparison.difference if f.comparison else None,
                f.comparison.p_adjusted if f.comparison else None,
                bool(f.comparison and f.comparison.significant)) for f in figures]


def headline(histogram: Histogram, kind: str) -> dict[str, Any]:
    """The overall figure: metric with interval and n, group counts and shares, distribution."""
    total = histogram.n
    distribution = [{"score": point, "count": count, "share": 100 * count / total if total else 0}
                    for point, count in zip(histogram.scale.points, histogram.counts,
                                            strict=True)]
    figure: dict[str, Any] = {"n": total, "distribution": distribution, "kind": kind}
    if not total:
        return figure
    if is_recommend(kind):
        result = NPSResult.from_histogram(histogram)
        interval = result.confidence_interval(confidence(), method=METHOD)
        figure.update(value=result.score, low=interval.low, high=interval.high, groups=[
            {"name": _("Promoters"), "key": "promoter", "count": result.promoters,
             "share": 100 * result.promoter_share},
            {"name": _("Passives"), "key": "passive", "count": result.passives,
             "share": 100 * result.passive_share},
            {"name": _("Detractors"), "key": "detractor", "count": result.detractors,
             "share": 100 * result.detractor_share},
        ])
    else:
        rating = _rating(histogram, kind)
        interval = rating.confidence_interval(confidence())
        figure.update(value=rating.percent, low=interval.low, high=interval.high,
                      mean=rating.mean)
    return figure


def change_in_words(current: Histogram, previous: Histogram, against: str = ""
                    ) -> dict[str, Any] | None:
    """This period against the previous one, tested, and said in a sentence; ``against``
    names what it is compared with ("2024-11-03 – 2025-02-01")."""
    if not (current.n and previous.n):
        return None
    a, b = NPSResult.from_histogram(current), NPSResult.from_histogram(previous)
    test = compare_nps(a, b, method=comparison_method(METHOD), confidence_level=confidence())
    language = get_language()
    values = {"points": _format.number(abs(test.difference), 1, language=language),
              "p": _format.number(test.p_value, 2, language=language) if test.p_value >= 0.01
              else "< " + _format.number(0.01, 2, language=language)}
    significant = test.p_value < 1 - confidence()
    if _format.rounded(test.difference, 1) == 0:
        text = _("no change, p = %(p)s") % values
    elif test.difference > 0:
        text = (_("up %(points)s points, significant: p = %(p)s") if significant
                else _("up %(points)s points, not significant: p = %(p)s")) % values
    else:
        text = (_("down %(points)s points, significant: p = %(p)s") if significant
                else _("down %(points)s points, not significant: p = %(p)s")) % values
    return {"text": text, "current": a, "previous": b, "test": test, "significant": significant,
            "against": against, "difference": test.difference,
            "direction": "flat" if _format.rounded(test.difference, 1) == 0
            else "up" if test.difference > 0 else "down"}


def context_of(score: float, *, bands: str, industry: str, target: int | None
               ) -> dict[str, Any]:
    """Where an NPS falls: interpretation band (with its source), benchmarks, target."""
    configuration = BANDS.get(bands) or BANDS["bain"]
    band = configuration.interpret(score)
    benchmarks = [{"source": library_text(item.benchmark.source), "year": item.benchmark.year,
                   "industry": library_text(_format.INDUSTRY_NAMES.get(
                       item.benchmark.industry, item.benchmark.industry)),
                   "nps": item.benchmark.nps, "difference": item.difference}
                  for item in compare_to_benchmarks(score, industry)] if industry else []
    return {
        "band": _(BAND_LABELS.get(band.label_key, band.label)),
        "bands_source": library_text(configuration.source),
        "bands_year": configuration.year,
        "benchmarks": benchmarks, "benchmark": benchmarks[0] if benchmarks else None,
        "target": target, "to_target": None if target is None else score - target,
    }


def bands_choices() -> list[tuple[str, str]]:
    """Each band configuration as the goal form offers it: its source, then its bands
    ("Bain & Company (attributed, second-hand): Good above 0, Favourable above 20, ...")."""
    choices = []
    for key, configuration in BANDS.items():
        steps = []
        for band in configuration.bands[1:]:
            lower = _format.number(band.lower, 0, language=get_language())
            label = _(BAND_LABELS.get(band.label_key, band.label))
            steps.append((_("%(band)s above %(score)s") if not band.inclusive
                          else _("%(band)s from %(score)s")) % {"band": label, "score": lower})
        source = library_text(configuration.source)
        if configuration.year:
            source = f"{source}, {configuration.year}"
        choices.append((key, f"{source}: {', '.join(steps)}"))
    return choices


def industry_choices() -> list[tuple[str, str]]:
    """The benchmark industries by their names in the member's language."""
    from opennps.core import INDUSTRIES

    return [("", _("No benchmark"))] + sorted(
        ((name, library_text(_format.INDUSTRY_NAMES.get(name, name))) for name in INDUSTRIES),
        key=lambda item: item[1])
