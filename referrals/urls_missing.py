"""The pages of missing episodes (G33), in the referrals app's namespace ("referrals:missing_…")."""

from django.urls import path

from referrals.views import missing

_children = "children/<uuid:child_pk>/missing-episodes/"
_episode = f"{_children}<int:pk>/"

urlpatterns = [
    path(_children, missing.missing_list, name="missing_list"),
    path(f"{_children}record/", missing.missing_record, name="missing_record"),
    path(_episode, missing.missing_detail, name="missing_detail"),
    path(f"{_episode}return/", missing.missing_return, name="missing_return"),
    path(f"{_episode}return-interview/", missing.missing_interview, name="missing_interview"),
    path(f"{_episode}addendum/", missing.missing_addendum, name="missing_addendum"),
]
