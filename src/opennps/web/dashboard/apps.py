from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "opennps.web.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        from opennps.web.surveys.events import responses_changed

        from . import digests  # noqa: F401  (registers the digests' system check)
        from .tasks import on_responses_changed

        responses_changed.connect(on_responses_changed, dispatch_uid="dashboard-rollups")
