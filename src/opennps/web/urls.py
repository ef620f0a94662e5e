"""The project's URLs: each app under its own namespace."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import include, path

urlpatterns = [
    path("", lambda request: redirect("surveys:list"), name="home"),
    path("accounts/", include("opennps.web.accounts.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("opennps.web.surveys.urls")),
    path("", include("opennps.web.dashboard.urls")),
    path("", include("opennps.web.themes.urls")),
    path("", include("opennps.web.people.urls")),
    path("", include("opennps.web.distribution.urls")),
]
