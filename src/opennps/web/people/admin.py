from django.contrib import admin

from .models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "organisation", "language"]
    search_fields = ["email", "name"]
