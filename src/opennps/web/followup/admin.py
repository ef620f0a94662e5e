from django.contrib import admin

from .models import Note


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["response", "author", "created_at"]
    raw_id_fields = ["response"]
