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

        from opennps.web.accounts.models import MANAGE_SURVEYS
        from opennps.web.surveys.navigation import SurveyTab, register_tab

        register_tab(SurveyTab(
            "waves", _("Waves"), "distribution:waves", 60,
            current_for=("distribution:wave", "distribution:wave_create",
                         "distribution:survey_settings"), roles=MANAGE_SURVEYS))
