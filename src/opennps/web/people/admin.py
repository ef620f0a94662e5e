from django.contrib import admin

from .models import Person, Segment


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "organisation", "language", "time_zone"]
    search_fields = ["email", "name"]


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
