from django.urls import path

from strategy_meetings import views

app_name = "strategy_meetings"

_meeting = "children/<uuid:child_pk>/meetings/<int:pk>/"

urlpatterns = [
    path("meetings/", views.my_meetings, name="mine"),
    path("children/<uuid:child_pk>/meetings/convene/", views.meeting_convene, name="convene"),
    path(_meeting, views.meeting_detail, name="detail"),
    path(f"{_meeting}details/", views.meeting_details, name="details"),
    path(f"{_meeting}invite/", views.meeting_invite, name="invite"),
    path(
        f"{_meeting}invitations/<int:invitation_pk>/remove/",
        views.invitation_remove,
        name="invitation_remove",
    ),
    path(
        f"{_meeting}invitations/<int:invitation_pk>/decline/",
        views.invitation_decline,
        name="invitation_decline",
    ),
    path(f"{_meeting}attendance/", views.meeting_attendance, name="attendance"),
    path(f"{_meeting}minutes/", views.meeting_minutes, name="minutes"),
    path(f"{_meeting}minutes/<slug:key>/", views.meeting_section, name="section"),
    path(f"{_meeting}outcome/", views.meeting_outcome, name="outcome"),
    path(f"{_meeting}finalise/", views.meeting_finalise, name="finalise"),
    path(f"{_meeting}addendum/", views.meeting_addendum, name="addendum"),
]
