from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WidgetConfig(AppConfig):
    name = "opennps.web.widget"
    label = "widget"
    verbose_name = _("Website widget")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
