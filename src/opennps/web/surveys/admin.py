from django.contrib import admin

from .models import Person, Question, Response, Survey, SurveyText


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


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "organisation", "language"]
    search_fields = ["email", "name"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["survey", "score", "channel", "language", "created_at"]
    list_filter = ["channel", "language"]
    raw_id_fields = ["request", "person"]
