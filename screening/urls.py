from django.urls import path

from screening import views

app_name = "screening"

urlpatterns = [
    path(
        "children/<uuid:child_pk>/screenings/new/",
        views.screening_new,
        name="new",
    ),
    path(
        "children/<uuid:child_pk>/screenings/<int:pk>/",
        views.screening_detail,
        name="detail",
    ),
    path(
        "children/<uuid:child_pk>/screenings/<int:pk>/edit/",
        views.screening_edit,
        name="edit",
    ),
    path(
        "children/<uuid:child_pk>/screenings/<int:pk>/submit/",
        views.screening_submit,
        name="submit",
    ),
    path(
        "children/<uuid:child_pk>/screenings/<int:pk>/advice/",
        views.screening_advice,
        name="advice",
    ),
    path("screenings/awaiting-advice/", views.awaiting_advice, name="awaiting_advice"),
    path("screenings/drafts/", views.drafts, name="drafts"),
]
