from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "opennps.web.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from opennps.web import conf  # noqa: F401  (connects the settings cache reset)

        from . import checks  # noqa: F401  (registers the system checks)
