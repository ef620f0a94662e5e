from django.contrib import admin

from .models import Invitation, Suppression, SurveyDistribution, Wave


@admin.register(Wave)
class WaveAdmin(admin.ModelAdmin):
    list_display = ["name", "survey", "rhythm", "status", "next_run_at"]
    list_filter = ["status", "rhythm"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "wave", "number", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    search_fields = ["email", "message_id"]
    raw_id_fields = ["survey_request", "person", "wave"]


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "reason", "created_at"]
    search_fields = ["email"]


admin.site.register(SurveyDistribution)
