from django.urls import path

from strategy_meetings import pdf, views
from strategy_meetings.views import person_meetings

app_name = "strategy_meetings"

_meeting = "children/<uuid:child_pk>/meetings/<int:pk>/"
# A separate meeting about a person of concern [002 §7-8]: about no single child.
_separate = "separate-meetings/<int:pk>/"

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
    # The action plan (G22-G24), its progress after finalising (G26) and the PDF (G27).
    path("actions/", views.your_actions, name="your_actions"),
    path(f"{_meeting}plan/", views.meeting_plan, name="plan"),
    path(f"{_meeting}plan/actions/add/", views.action_add, name="action_add"),
    path(f"{_meeting}plan/actions/<int:action_pk>/", views.action_edit, name="action_edit"),
    path(
        f"{_meeting}plan/actions/<int:action_pk>/remove/",
        views.action_remove,
        name="action_remove",
    ),
    path(
        f"{_meeting}plan/actions/<int:action_pk>/progress/",
        views.action_progress,
        name="action_progress",
    ),
    path(f"{_meeting}plan/review-date/", views.review_date, name="review_date"),
    path(f"{_meeting}plan/sign/", views.plan_sign, name="plan_sign"),
    path(
        f"{_meeting}plan/attendees/<int:invitation_pk>/agreed/",
        views.record_agreement,
        name="record_agreement",
    ),
    path(f"{_meeting}plan/review/", views.review_convene, name="review_convene"),
    path(f"{_meeting}minutes.pdf", pdf.minutes_pdf, name="minutes_pdf"),
    path(
        "persons/<int:person_pk>/separate-meetings/convene/",
        person_meetings.person_meeting_convene,
        name="person_meeting_convene",
    ),
    path(_separate, person_meetings.person_meeting_detail, name="person_meeting"),
    path(
        f"{_separate}invite/", person_meetings.person_meeting_invite, name="person_meeting_invite"
    ),
    path(f"{_separate}link/", person_meetings.person_meeting_link, name="person_meeting_link"),
    path(
        f"{_separate}minutes/",
        person_meetings.person_meeting_minutes,
        name="person_meeting_minutes",
    ),
    path(
        f"{_separate}children/<int:link_pk>/",
        person_meetings.person_meeting_note,
        name="person_meeting_note",
    ),
    path(
        f"{_separate}actions/add/",
        person_meetings.person_meeting_action,
        name="person_meeting_action",
    ),
    path(
        f"{_separate}finalise/",
        person_meetings.person_meeting_finalise,
        name="person_meeting_finalise",
    ),
]
