from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "opennps.web.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from django.contrib.auth.signals import (
            user_logged_in,
            user_logged_out,
            user_login_failed,
        )

        from . import receivers

        user_logged_in.connect(receivers.signed_in, dispatch_uid="audit-signed-in")
        user_logged_out.connect(receivers.signed_out, dispatch_uid="audit-signed-out")
        user_login_failed.connect(receivers.sign_in_failed, dispatch_uid="audit-sign-in-failed")
