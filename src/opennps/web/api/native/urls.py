"""``/api/``: the native REST API, its OpenAPI schema and its interactive reference."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import resources, views

app_name = "api-native"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("surveys", views.SurveyViewSet, basename="survey")
router.register("responses", views.ResponseViewSet, basename="response")
router.register("people", resources.PersonViewSet, basename="person")
router.register("survey-requests", resources.SurveyRequestViewSet, basename="survey-request")
router.register("unsubscribes", resources.UnsubscribeViewSet, basename="unsubscribe")
router.register("bounces", resources.BounceViewSet, basename="bounce")
router.register("cases", resources.CaseViewSet, basename="case")
router.register("webhooks", resources.WebhookViewSet, basename="webhook")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-native:schema"),
         name="docs"),
]
