from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DistributionConfig(AppConfig):
    name = "opennps.web.distribution"
    label = "distribution"
    verbose_name = _("Distribution")

    def ready(self) -> None:
        from anymail.signals import tracking

        from .webhooks import on_tracking

        tracking.connect(on_tracking, dispatch_uid="opennps-distribution-tracking")
