"""The CSE2 risk assessment's pages, in the `referrals` namespace (included by
referrals/urls.py)."""

from django.urls import path

from referrals.views import assessment, assessment_persons, assessment_work

_assessment = "children/<uuid:child_pk>/assessments/<int:pk>/"

urlpatterns = [
    path(
        "children/<uuid:child_pk>/assessments/start/",
        assessment.assessment_start,
        name="assessment_start",
    ),
    path(_assessment, assessment.assessment_detail, name="assessment_detail"),
    path(f"{_assessment}answers/", assessment.assessment_answers, name="assessment_answers"),
    path(f"{_assessment}finalise/", assessment.assessment_finalise, name="assessment_finalise"),
    path(
        f"{_assessment}contributors/", assessment_work.assessment_invite, name="assessment_invite"
    ),
    path(
        f"{_assessment}contribute/",
        assessment_work.assessment_contribute,
        name="assessment_contribute",
    ),
    path(
        f"{_assessment}information/",
        assessment_work.assessment_information,
        name="assessment_information",
    ),
    path(
        f"{_assessment}information/<int:task_pk>/remove/",
        assessment_work.assessment_task_remove,
        name="assessment_task_remove",
    ),
    path(
        f"{_assessment}information/<int:task_pk>/done/",
        assessment_work.assessment_task_done,
        name="assessment_task_done",
    ),
    # Persons of concern the draft names (G30).
    path(
        f"{_assessment}persons/", assessment_persons.assessment_persons, name="assessment_persons"
    ),
    path(
        f"{_assessment}persons/existing/",
        assessment_persons.assessment_person_pick,
        name="assessment_person_pick",
    ),
    path(
        f"{_assessment}persons/from-referral/",
        assessment_persons.assessment_persons_from_referral,
        name="assessment_persons_from_referral",
    ),
    path(
        f"{_assessment}persons/<int:link_pk>/",
        assessment_persons.assessment_person_edit,
        name="assessment_person_edit",
    ),
    path(
        f"{_assessment}persons/<int:link_pk>/remove/",
        assessment_persons.assessment_person_remove,
        name="assessment_person_remove",
    ),
]
