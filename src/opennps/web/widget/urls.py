from django.urls import path

from opennps.web.surveys import urls as _survey_urls  # noqa: F401  (its "token" converter)

from .views import manage, public

app_name = "widget"

urlpatterns = [
    path("widget.js", public.script, name="script"),
    path("widget/<token:key>/", public.config, name="config"),
    path("widget/<token:key>/impressions/", public.impression, name="impression"),
    path("widget/<token:key>/impressions/<token:token>/answer/", public.answer, name="answer"),
    path("widget/<token:key>/impressions/<token:token>/follow-up/", public.follow_up,
         name="follow_up"),
    path("widget/<token:key>/impressions/<token:token>/dismiss/", public.dismiss,
         name="dismiss"),
    path("surveys/<int:pk>/widget/", manage.widget_settings, name="settings"),
    path("surveys/<int:pk>/widget/secret/", manage.rotate_secret, name="secret"),
]
