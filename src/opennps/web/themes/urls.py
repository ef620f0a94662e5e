from django.urls import path

from . import views

app_name = "themes"

urlpatterns = [
    path("surveys/<int:pk>/themes/", views.themes, name="themes"),
    path("surveys/<int:pk>/themes/taxonomy/", views.taxonomy, name="taxonomy"),
    path("surveys/<int:pk>/themes/accept/", views.accept, name="accept"),
]
