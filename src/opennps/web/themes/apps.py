from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    name = "opennps.web.themes"
    label = "themes"
    verbose_name = _("Themes")

    def ready(self) -> None:
        from opennps.web.surveys.events import responses_changed
        from opennps.web.surveys.navigation import SurveyTab, register_tab

        from .tasks import on_responses_changed

        responses_changed.connect(on_responses_changed, dispatch_uid="themes-tagging")
        register_tab(SurveyTab("themes", _("Themes"), "themes:themes", 40,
                               current_for=("themes:taxonomy",), keeps_filters=True))
