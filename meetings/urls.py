from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/status/", views.meeting_status, name="status"),
    path("<int:pk>/minutes/", views.minutes_edit, name="minutes"),
    path("<int:pk>/minutes/sub-item/", views.sub_item_add, name="sub_item_add"),
    path("<int:pk>/attendance/", views.attendance_roll, name="attendance"),
    path("<int:pk>/attendance/guest/", views.attendance_guest, name="attendance_guest"),
    path("<int:pk>/photos/", views.photos, name="photos"),
    path("<int:pk>/photos/captions/", views.photo_captions, name="photo_captions"),
    path(
        "<int:pk>/photos/<int:photo_pk>/<str:size>.jpg",
        views.photo_file,
        name="photo_file",
    ),
    path("<int:pk>/check-in/", views.check_in_code, name="check_in_code"),
    path("<int:pk>/check-in/<str:token>/", views.check_in, name="check_in"),
]
