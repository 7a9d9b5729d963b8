from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/settings/", views.preferences, name="preferences"),
    path("notifications/line/", views.line_usage, name="line_usage"),
    path("line/webhook/", views.line_webhook, name="line_webhook"),
]
