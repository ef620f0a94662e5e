from django.urls import path, register_converter

from . import views


class UnsubscribeTokenConverter:
    """An invitation id and its signature (``123:abc…``); anything else is a 404."""

    regex = r"[0-9]{1,20}:[A-Za-z0-9_-]{20,100}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(UnsubscribeTokenConverter, "unsubscribe")

app_name = "distribution"

urlpatterns = [
    path("u/<unsubscribe:token>/", views.unsubscribe, name="unsubscribe"),
    path("hooks/email/", views.webhook, name="webhook"),
    path("hooks/email/<slug:provider>/", views.provider_webhook, name="provider_webhook"),
    path("surveys/<int:pk>/waves/", views.wave_list, name="waves"),
    path("surveys/<int:pk>/waves/new/", views.wave_create, name="wave_create"),
    path("surveys/<int:pk>/waves/<int:wave_pk>/", views.wave_detail, name="wave"),
    path("surveys/<int:pk>/waves/<int:wave_pk>/status/", views.wave_status,
         name="wave_status"),
    path("surveys/<int:pk>/email/", views.survey_settings, name="survey_settings"),
    path("surveys/<int:pk>/email/preview/<str:language>/", views.preview, name="preview"),
    path("distribution/settings/", views.organisation_settings, name="settings"),
    path("distribution/suppressions/", views.suppression_list, name="suppressions"),
    path("distribution/suppressions/remove/", views.suppression_remove,
         name="suppression_remove"),
]
