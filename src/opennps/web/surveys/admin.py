from django.contrib import admin
from django.http import HttpRequest

from .models import Question, Response, Survey, SurveyText


class SurveyTextInline(admin.StackedInline):
    model = SurveyText
    extra = 0


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "kind", "status", "created_at"]
    list_filter = ["kind", "status"]
    inlines = [SurveyTextInline, QuestionInline]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["survey", "score", "channel", "language", "created_at"]
    list_filter = ["channel", "language"]
    raw_id_fields = ["request", "person"]

    # Answers change only through the answer services, which keep the dashboard's daily
    # roll-up and the themes in step: the admin shows them, read-only.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
