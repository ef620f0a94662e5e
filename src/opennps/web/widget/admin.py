from django.contrib import admin

from .models import Impression, WidgetSettings


@admin.register(WidgetSettings)
class WidgetSettingsAdmin(admin.ModelAdmin):
    list_display = ("survey", "enabled", "throttle_days", "delay_seconds", "updated_at")
    exclude = ("secret",)


@admin.register(Impression)
class ImpressionAdmin(admin.ModelAdmin):
    list_display = ("survey", "origin", "identified", "shown_at", "dismissed_at")
    list_filter = ("identified",)
    raw_id_fields = ("request", "survey")
