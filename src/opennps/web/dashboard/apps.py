from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "opennps.web.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        from opennps.web.surveys.events import responses_changed
        from opennps.web.surveys.navigation import (
            SurveySummary,
            SurveyTab,
            register_summary,
            register_tab,
        )

        from . import digests  # noqa: F401  (registers the digests' system check)
        from .tasks import on_responses_changed

        responses_changed.connect(on_responses_changed, dispatch_uid="dashboard-rollups")
        for tab in (SurveyTab("overview", _("Overview"), "dashboard:overview", 10,
                              keeps_filters=True),
                    SurveyTab("segments", _("Segments"), "dashboard:segments", 20,
                              keeps_filters=True),
                    SurveyTab("comments", _("Comments"), "dashboard:comments", 30,
                              keeps_filters=True),
                    SurveyTab("response_rate", _("Response rate"), "dashboard:response_rate",
                              50, keeps_filters=True)):
            register_tab(tab)
        from .home import summaries

        register_summary(SurveySummary("dashboard", "dashboard/_survey_summary.html",
                                       summaries))
