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

        from opennps.web.distribution.messages import register_extra
        from opennps.web.surveys.navigation import SurveyTab, register_tab

        from .services.plans import you_said_we_did_for

        register_extra(you_said_we_did_for)

        register_tab(SurveyTab(
            "promoters", _("Promoters and passives"), "followup:promoters", 70,
            current_for=("followup:passives", "followup:message"),
            applies=lambda survey: survey.scale.is_recommend))
        post_save.connect(forget_active_rules, sender=AlertRule,
                          dispatch_uid="followup-rules-saved")
        post_delete.connect(forget_active_rules, sender=AlertRule,
                            dispatch_uid="followup-rules-deleted")
