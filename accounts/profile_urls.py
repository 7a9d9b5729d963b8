from django.urls import path

from . import views

app_name = "profile"

urlpatterns = [
    path("", views.profile, name="page"),
    path("line/unlink/", views.profile_line_unlink, name="line_unlink"),
]
