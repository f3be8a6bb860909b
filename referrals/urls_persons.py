"""Persons of concern across children (G30–G32): every route is under the child, so the
door (and the access tests that walk every child route) covers it."""

from django.urls import path

from referrals.views import persons_network as views

_person = "children/<uuid:child_pk>/persons/<int:person_pk>/"

urlpatterns = [
    path(_person, views.person_detail, name="person_detail"),
    path(f"{_person}merge/", views.person_merge, name="person_merge"),
    path(f"{_person}actions/new/", views.disruption_add, name="disruption_add"),
    path(
        f"{_person}actions/<int:action_pk>/addendum/",
        views.disruption_addendum,
        name="disruption_addendum",
    ),
    path(
        "children/<uuid:child_pk>/referrals/<int:pk>/persons/existing/",
        views.referral_person_pick,
        name="person_pick",
    ),
]
