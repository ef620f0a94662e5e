"""``/v1/…``: the Delighted-compatible API; ``/api/…``: the native API; API key pages."""

from django.urls import path, re_path

from . import views
from .delighted.views import dispatch

app_name = "api"

urlpatterns = [
    re_path(r"^v1/(?P<path>.*)$", dispatch, name="delighted"),
    path("settings/api-keys/", views.key_list, name="keys"),
    path("settings/api-keys/<int:pk>/revoke/", views.key_revoke, name="key_revoke"),
]
