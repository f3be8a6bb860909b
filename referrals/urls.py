from django.urls import include, path

from referrals import views
from referrals.views import case_status

app_name = "referrals"

_referral = "children/<uuid:child_pk>/referrals/<int:pk>/"

urlpatterns = [
    path("referrals/", views.referral_tray, name="tray"),
    path("referrals/sent/", views.referral_sent_list, name="sent"),
    path(
        "referrals/start-unidentified/",
        views.referral_start_unidentified,
        name="start_unidentified",
    ),
    path("children/<uuid:child_pk>/referrals/start/", views.referral_start, name="start"),
    path(_referral, views.referral_detail, name="detail"),
    path(f"{_referral}edit/", views.referral_edit, name="edit"),
    path(f"{_referral}persons/", views.referral_persons, name="persons"),
    path(f"{_referral}persons/<int:link_pk>/", views.referral_person_edit, name="person_edit"),
    path(
        f"{_referral}persons/<int:link_pk>/remove/",
        views.referral_person_remove,
        name="person_remove",
    ),
    path(f"{_referral}places/", views.referral_places, name="places"),
    path(
        f"{_referral}places/<int:place_pk>/remove/",
        views.referral_place_remove,
        name="place_remove",
    ),
    path(f"{_referral}submit/", views.referral_submit, name="submit"),
    path(f"{_referral}acknowledge/", views.referral_acknowledge, name="acknowledge"),
    path(f"{_referral}decide/", views.referral_decide, name="decide"),
    path(f"{_referral}inform/", views.referral_inform, name="inform"),
    path("children/<uuid:child_pk>/case/close/", case_status.case_close, name="case_close"),
    path("children/<uuid:child_pk>/case/reopen/", case_status.case_reopen, name="case_reopen"),
    path("", include("referrals.urls_missing")),
    path("", include("referrals.urls_assessment")),  # the CSE2 risk assessment
    path("", include("referrals.urls_persons")),  # persons of concern across children
]
