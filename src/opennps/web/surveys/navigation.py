"""The tab bar of a survey's pages: one registry that every app fills in.

Every page of a survey (its dashboard, themes, answers, settings, and the pages other apps
add: people, waves, cases, action plans) shows the same header: breadcrumbs back to the
survey list, the survey's name, the dates its figures cover, and this tab bar. An app
adds its tab in its ``AppConfig.ready``::

    from django.utils.translation import gettext_lazy as _
    from opennps.web.accounts.models import MANAGE_SURVEYS
    from opennps.web.surveys.navigation import SurveyTab, register_tab

    class WavesConfig(AppConfig):
        def ready(self) -> None:
            register_tab(SurveyTab(
                key="waves", label=_("Waves"), url_name="distribution:waves", order=70,
                current_for=("distribution:wave", "distribution:wave_new"),
                roles=MANAGE_SURVEYS))

``url_name`` is reversed with the survey's ``pk`` as its one argument. The tab is shown
as current on its own page and on every page named in ``current_for`` (a list and its
detail pages). ``keeps_filters`` carries the answer filters of the page (dates, channel,
...) to the tab's page: set it for pages that read :mod:`opennps.web.surveys.filters`.
``roles`` limits the tab to members with one of those roles (``None``: every member),
``applies`` to surveys for which it returns True (e.g. NPS surveys only). Order: the
dashboard's tabs take 10–50, the other apps 60–90, the survey's own pages 100 and after.
When a page is one tab's ``url_name`` and in another's ``current_for``, the first is current.

The survey list (the home page) shows each survey as a card; an app adds figures to the
cards with :func:`register_summary` (the dashboard adds the current score, its interval,
n, a sparkline and the number of answers): ``summarize(surveys)`` answers, in a bounded
number of queries, a mapping of survey pk to the context of ``template``, which each card
includes with that context as ``summary``.

Templates never list tabs: ``base.html`` renders ``{% survey_header %}`` (from the
``opennps_ui`` tag library) on every page whose context holds a ``survey``, so a new page
of a survey gets the header by passing ``survey`` to its template.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

__all__ = ["SurveySummary", "SurveyTab", "register_summary", "register_tab",
           "registered_summaries", "registered_tabs", "tabs_for", "unregister_tab"]


@dataclass(frozen=True)
class SurveyTab:
    """One tab of the survey tab bar (see the module docstring)."""

    key: str
    label: Any  # a lazy translation
    url_name: str
    order: int
    current_for: tuple[str, ...] = ()
    keeps_filters: bool = False
    roles: Collection[str] | None = None
    applies: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class SurveySummary:
    """Figures an app adds to each survey's card on the survey list."""

    key: str
    template: str
    summarize: Callable[[Sequence[Any]], Mapping[int, Any]]


_TABS: dict[str, SurveyTab] = {}
_SUMMARIES: dict[str, SurveySummary] = {}


def register_summary(summary: SurveySummary) -> None:
    """Add ``summary`` to the cards of the survey list (the same key replaces it)."""
    _SUMMARIES[summary.key] = summary


def registered_summaries() -> list[SurveySummary]:
    return list(_SUMMARIES.values())


def register_tab(tab: SurveyTab) -> None:
    """Add ``tab`` to every survey's tab bar (registering the same key again replaces it,
    so a reloaded app does not add it twice)."""
    _TABS[tab.key] = tab


def unregister_tab(key: str) -> None:
    """Remove a tab (for tests, and for an app that replaces another's tab)."""
    _TABS.pop(key, None)


def registered_tabs() -> list[SurveyTab]:
    """Every registered tab, in tab-bar order."""
    return sorted(_TABS.values(), key=lambda tab: (tab.order, tab.key))


def tabs_for(survey: Any, *, role: str | None, view_name: str | None,
             query_string: str = "") -> list[dict[str, Any]]:
    """The tabs ``role`` sees on ``survey``'s pages: label, URL and whether it is the
    current page (``view_name``: the namespaced URL name of the page shown)."""
    shown = []
    tabs = registered_tabs()
    exact = any(tab.url_name == view_name for tab in tabs)
    for tab in tabs:
        if tab.roles is not None and role not in tab.roles:
            continue
        if tab.applies is not None and not tab.applies(survey):
            continue
        try:
            url = reverse(tab.url_name, args=[survey.pk])
        except NoReverseMatch:
            continue  # an app whose URLs are not installed in this project
        if tab.keeps_filters and query_string:
            url = f"{url}?{query_string}"
        # A tab's own page makes it current; else the tab that lists the page.
        current = view_name is not None and (view_name == tab.url_name if exact
                                             else view_name in tab.current_for)
        shown.append({"key": tab.key, "label": tab.label, "url": url, "current": current})
    return shown
