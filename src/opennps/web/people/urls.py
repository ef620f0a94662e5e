from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("people/", views.person_list, name="list"),
    path("people/import/", views.person_import, name="import"),
    path("people/<int:person_pk>/", views.person_detail, name="detail"),
    path("people/<int:person_pk>/edit/", views.person_edit, name="edit"),
    path("people/segments/", views.segment_list, name="segments"),
    path("people/segments/new/", views.segment_edit, name="segment_create"),
    path("people/segments/<int:segment_pk>/", views.segment_edit, name="segment_edit"),
    path("people/segments/<int:segment_pk>/delete/", views.segment_delete,
         name="segment_delete"),
]
