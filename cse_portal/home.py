"""The home page ("Your work"), the officer's notifications and their account page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from cse_portal import notifications, work
from cse_portal.audit import log_access
from cse_portal.forms import GovukForm
from cse_portal.models import AccessLog
from cse_portal.types import AuthenticatedRequest

NOTIFICATIONS_PER_PAGE = 30


@login_required
@require_http_methods(["GET"])
def home(request: AuthenticatedRequest) -> HttpResponse:
    officer = request.user
    if officer.agency_id is None:
        # Only a system administrator holds no agency: their work is in the admin, and these
        # lists would show them nothing.
        return redirect("admin:index")
    shown = work.registry.for_officer(officer)
    # The lists name children (those the officer may see): the page is a listing, logged.
    log_access(
        request,
        AccessLog.Action.LIST,
        object_type="your work",
        detail=", ".join(f"{s.contribution.key} {s.work.count}" for s in shown)[:300],
    )
    return render(
        request,
        "home/your_work.html",
        {
            "busy": [s for s in shown if s.work.count],
            "overdue": sum(s.overdue for s in shown),
            "idle": [s for s in shown if not s.work.count],
            "unread": notifications.unread_count(officer) or 0,
        },
    )


@login_required
@require_http_methods(["GET"])
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    rows = notifications.notifications_for(request.user)
    page = Paginator(rows, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "home/notifications.html",
        {"page_obj": page, "unread": notifications.unread_count(request.user) or 0},
    )


@login_required
@require_POST
def notification_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Mark it read and go to its record (the record's own page checks the door)."""
    notification = notifications.get_notification_for(request.user, pk)
    if notification is None:
        raise Http404("No such notification.")
    notifications.notification_mark_read(notification=notification, by=request.user)
    if request.POST.get("go") and url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts=None
    ):
        return redirect(notification.link or "notifications:list")
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: AuthenticatedRequest) -> HttpResponse:
    count = notifications.notifications_mark_all_read(by=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("notifications:list")


class DigestForm(GovukForm):
    email_digest = forms.TypedChoiceField(
        label="Send me an e-mail when there are new notifications",
        help_text="At most once a day. It says only that there is something to look at: "
        "never a child's name or anything about a case.",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


@login_required
@require_http_methods(["GET", "POST"])
def account(request: AuthenticatedRequest) -> HttpResponse:
    officer = request.user
    initial = {"email_digest": "yes" if notifications.wants_digest(officer) else "no"}
    form = DigestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        notifications.preference_set_digest(
            officer=officer, email_digest=form.cleaned_data["email_digest"]
        )
        messages.success(request, "Your e-mail preference has been saved.")
        return redirect("account")
    return render(request, "home/account.html", {"form": form})


urlpatterns = (
    [
        path("", notification_list, name="list"),
        path("<int:pk>/", notification_open, name="open"),
        path("read-all/", notification_read_all, name="read_all"),
    ],
    "notifications",
)
