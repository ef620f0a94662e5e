from django.urls import path, register_converter

from .views import imports, manage, public


class TokenConverter:
    """Public link tokens: URL-safe base64; anything else is a 404 before any query."""

    regex = r"[A-Za-z0-9_-]{16,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TokenConverter, "token")

app_name = "surveys"

urlpatterns = [
    path("s/<token:token>/", public.respond, name="respond"),
    path("s/<token:token>/more/", public.follow_up, name="follow_up"),
    path("s/<token:token>/thanks/", public.thanks, name="thanks"),
    path("o/<token:token>/", public.open_link, name="open"),
    path("k/<token:token>/", public.kiosk, name="kiosk"),
    path("surveys/", manage.survey_list, name="list"),
    path("surveys/new/", manage.survey_create, name="create"),
    path("surveys/<int:pk>/", manage.survey_detail, name="detail"),
    path("surveys/<int:pk>/edit/", manage.survey_edit, name="edit"),
    path("surveys/<int:pk>/status/", manage.survey_status, name="status"),
    path("surveys/<int:pk>/texts/<str:language>/", manage.survey_texts, name="texts"),
    path("surveys/<int:pk>/questions/new/", manage.question_edit, name="question_create"),
    path("surveys/<int:pk>/questions/<int:question_pk>/", manage.question_edit,
         name="question_edit"),
    path("surveys/<int:pk>/questions/<int:question_pk>/delete/", manage.question_delete,
         name="question_delete"),
    path("surveys/<int:pk>/responses/", manage.responses, name="responses"),
    path("surveys/<int:pk>/links/new/", manage.link_create, name="link_create"),
    path("surveys/<int:pk>/import/", imports.import_file, name="import"),
    path("surveys/<int:pk>/import/<int:job>/", imports.import_status, name="import-status"),
]
