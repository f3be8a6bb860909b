from django.contrib import admin
from django.urls import include, path

from cse_portal import caseload_views, exports, home, pdf_exports, themes_views, views

children_patterns = (
    [
        path("", views.child_list, name="list"),
        path("add/", views.child_add, name="add"),
        path("<uuid:child_pk>/", views.child_detail, name="detail"),
        path("<uuid:child_pk>/edit/", views.child_edit, name="edit"),
        path("<uuid:child_pk>/share/", views.child_share, name="share"),
        path("<uuid:child_pk>/access-history/", views.child_audit, name="audit"),
        path("<uuid:child_pk>/record.pdf", exports.child_record_pdf, name="record_pdf"),
        path("<uuid:child_pk>/pdf/<uuid:export_pk>/", pdf_exports.export_status, name="export"),
        path(
            "<uuid:child_pk>/pdf/<uuid:export_pk>/download/",
            pdf_exports.export_download,
            name="export_download",
        ),
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
    # The lead officer's overview (G34, G35): URL names without a namespace, used by `make bench`.
    path("caseload/", caseload_views.caseload_page, name="caseload"),
    path("themes/", themes_views.themes_page, name="themes"),
    path("themes/export.csv", themes_views.themes_export_csv, name="themes_export_csv"),
    path("themes/export.pdf", themes_views.themes_export_pdf, name="themes_export_pdf"),
    path("", include("screening.urls")),
    path("", include("referrals.urls")),
    path("", include("strategy_meetings.urls")),
    path("admin/", admin.site.urls),
]
