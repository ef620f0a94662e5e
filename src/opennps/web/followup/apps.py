from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "opennps.web.followup"
    label = "followup"
    verbose_name = _("Follow-up")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from opennps.web.surveys.events import responses_changed

        from . import checks  # noqa: F401 - registers the system checks
        from .models import AlertRule
        from .services.rules import forget_active_rules, on_responses_changed

        responses_changed.connect(on_responses_changed, dispatch_uid="followup-alerts")
        post_save.connect(forget_active_rules, sender=AlertRule,
                          dispatch_uid="followup-rules-saved")
        post_delete.connect(forget_active_rules, sender=AlertRule,
                            dispatch_uid="followup-rules-deleted")
