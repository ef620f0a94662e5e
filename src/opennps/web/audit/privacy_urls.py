from django.urls import path

from . import privacy_views

app_name = "privacy"

urlpatterns = [
    path("privacy/", privacy_views.find, name="find"),
    path("privacy/people/<int:pk>/export/", privacy_views.export, name="export"),
    path("privacy/people/<int:pk>/erase/", privacy_views.erase, name="erase"),
]
