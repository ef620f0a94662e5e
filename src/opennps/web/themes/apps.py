from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    name = "opennps.web.themes"
    label = "themes"
    verbose_name = _("Themes")

    def ready(self) -> None:
        from opennps.web.surveys.events import responses_changed

        from .tasks import on_responses_changed

        responses_changed.connect(on_responses_changed, dispatch_uid="themes-tagging")
