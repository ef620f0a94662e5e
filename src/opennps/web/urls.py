"""The project's URLs: each app under its own namespace."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on their own; the icon is a static file."""
    return redirect(static("opennps/favicon.ico"), permanent=True)


urlpatterns = [
    path("", lambda request: redirect("surveys:list"), name="home"),
    path("favicon.ico", favicon, name="favicon"),
    path("accounts/", include("opennps.web.accounts.urls")),
    # The admin signs in through the service's sign-in (throttled, with the second factor).
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True),
         name="admin_login"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("opennps.web.surveys.urls")),
    path("", include("opennps.web.dashboard.urls")),
    path("", include("opennps.web.themes.urls")),
    path("", include("opennps.web.followup.urls")),
    path("", include("opennps.web.widget.urls")),
    path("", include("opennps.web.api.urls")),
    path("api/", include("opennps.web.api.native.urls")),
    path("", include("opennps.web.audit.urls")),
    path("", include("opennps.web.audit.privacy_urls")),
    path("", include("opennps.web.people.urls")),
    path("", include("opennps.web.distribution.urls")),
]

handler404 = "opennps.web.api.errors.not_found"
# A lost database connection is a 503 "try again" (with the answer kept), not a 500.
handler500 = "opennps.web.unavailable.server_error"
