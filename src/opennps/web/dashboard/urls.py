from django.urls import path

from . import digest_views, views

app_name = "dashboard"

urlpatterns = [
    path("surveys/<int:pk>/dashboard/", views.overview, name="overview"),
    path("surveys/<int:pk>/dashboard/segments/", views.segments, name="segments"),
    path("surveys/<int:pk>/dashboard/comments/", views.comment_list, name="comments"),
    path("surveys/<int:pk>/dashboard/comments/tags/", views.tag, name="tag"),
    path("surveys/<int:pk>/dashboard/response-rate/", views.response_rate,
         name="response_rate"),
    path("surveys/<int:pk>/dashboard/report/", views.report, name="report"),
    path("surveys/<int:pk>/dashboard/goal/", views.goal, name="goal"),
    path("digests/", digest_views.subscriptions, name="digests"),
    path("digests/<int:subscription_pk>/stop/", digest_views.delete, name="digest_delete"),
    path("digests/unsubscribe/<str:token>/", digest_views.unsubscribe,
         name="digest_unsubscribe"),
]
