from django.urls import path

from . import views

app_name = "issues"

urlpatterns = [
    path("", views.issue_list, name="list"),
    path("new/", views.issue_create, name="create"),
    path("submit/", views.issue_submit, name="submit"),
    path("worklist/", views.worklist, name="worklist"),
    path("board/", views.follow_up_board, name="board"),
    path("export.csv", views.issue_export, name="export"),
    path("bulk/route/", views.issue_bulk_route, name="bulk_route"),
    path("bulk/print/", views.issue_bulk_print, name="bulk_print"),
    path("<int:pk>/", views.issue_detail, name="detail"),
    path("<int:pk>/update/", views.issue_update, name="update"),
    path("<int:pk>/survey/", views.issue_survey, name="survey"),
    path("<int:pk>/accept/", views.issue_accept, name="accept"),
    path("<int:pk>/route/", views.issue_route, name="route"),
    path("<int:pk>/hand-back/", views.issue_hand_back, name="hand_back"),
    path("<int:pk>/confirm/", views.issue_confirm, name="confirm"),
    path("<int:pk>/fixed/", views.issue_confirm_fix, name="confirm_fix"),
    path("<int:pk>/not-fixed/", views.issue_dispute_fix, name="dispute_fix"),
    path("<int:pk>/photos/<int:photo_pk>/<str:size>.jpg", views.photo_file, name="photo_file"),
]
