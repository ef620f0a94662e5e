from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "opennps.web.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from opennps.web import conf  # noqa: F401  (connects the settings cache reset)

        from . import checks  # noqa: F401  (registers the system checks)
        from .navigation import SurveyTab, register_tab

        register_tab(SurveyTab("answers", _("Answers"), "surveys:responses", 100))
        register_tab(SurveyTab(
            "settings", _("Settings"), "surveys:detail", 110,
            current_for=("surveys:edit", "surveys:status", "surveys:texts",
                         "surveys:question_create", "surveys:question_edit",
                         "surveys:question_delete", "surveys:link_create", "surveys:import")))
