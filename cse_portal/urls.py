from django.contrib import admin
from django.urls import include, path

from cse_portal import exports, home, views

children_patterns = (
    [
        path("", views.child_list, name="list"),
        path("add/", views.child_add, name="add"),
        path("<uuid:child_pk>/", views.child_detail, name="detail"),
        path("<uuid:child_pk>/edit/", views.child_edit, name="edit"),
        path("<uuid:child_pk>/share/", views.child_share, name="share"),
        path("<uuid:child_pk>/access-history/", views.child_audit, name="audit"),
        path("<uuid:child_pk>/record.pdf", exports.child_record_pdf, name="record_pdf"),
    ],
    "children",
)

admin.site.site_header = "CSE Portal administration"
admin.site.site_title = "CSE Portal administration"

urlpatterns = [
    path("", home.home, name="home"),
    path("account/", home.account, name="account"),
    path("account/", include("cse_portal.accounts")),
    path("notifications/", include(home.urlpatterns)),
    path("children/", include(children_patterns)),
    path("", include("screening.urls")),
    path("", include("referrals.urls")),
    path("", include("strategy_meetings.urls")),
    path("admin/", admin.site.urls),
]
