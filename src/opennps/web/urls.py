"""The project's URLs: each app under its own namespace."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on their own; the icon is a static file."""
    return redirect(static("opennps/favicon.ico"), permanent=True)


urlpatterns = [
    path("", lambda request: redirect("surveys:list"), name="home"),
    path("favicon.ico", favicon, name="favicon"),
    path("accounts/", include("opennps.web.accounts.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("opennps.web.surveys.urls")),
    path("", include("opennps.web.dashboard.urls")),
    path("", include("opennps.web.themes.urls")),
]
