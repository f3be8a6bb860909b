"""Sign-in, sign-out, two-factor (TOTP) enrolment and verification, session keep-alive."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from cse_portal.forms import SignInForm, TokenForm
from cse_portal.middleware import renew_idle_clock

LOCKOUT_MESSAGE = (
    "You cannot sign in with this username for 30 minutes because of too many failed "
    "attempts. Ask your system administrator if you need help sooner."
)
TIMEOUT_MESSAGES = {
    "idle": "You were signed out after 30 minutes without activity, to protect children's "
    "information. Sign in again to continue.",
    "absolute": "You were signed out because you had been signed in for 12 hours. "
    "Sign in again to continue.",
    "1": "You were signed out after a period without activity. Sign in again to continue.",
}


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["timeout_message"] = TIMEOUT_MESSAGES.get(self.request.GET.get("timeout", ""))
        return context


sign_in = method_decorator(require_http_methods(["GET", "POST"]), name="dispatch")(SignInView)


class LockedOutSignInForm(SignInForm):
    """The sign-in form as a locked-out try sees it: the lockout is its only error.

    It must not authenticate again: every authenticate() during a lockout is recorded by axes
    as one more failure (and restarts the 30 minutes), so the try would count twice.
    """

    def clean(self) -> dict[str, Any]:
        raise ValidationError(LOCKOUT_MESSAGE, code="locked_out")


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """What a locked-out sign-in sees: the same page and words whether the account exists."""
    form = LockedOutSignInForm(request, data=request.POST or None)
    form.is_valid()  # runs the checks above: the typed username is kept, the lockout shown
    return render(request, "accounts/sign_in.html", {"form": form}, status=429)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)  # flushes the session row on the server, not just the cookie
    messages.success(request, "You have signed out.")
    return redirect(settings.LOGOUT_REDIRECT_URL)


def _next_url(request: HttpRequest) -> str:
    """Where to go after the second factor: the page first asked for, if it is one of ours."""
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


def _qr_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def _base32_key(device: TOTPDevice) -> str:
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: show a QR code (and the key), confirm with a first code."""
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:two_factor_verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, "Two-factor sign-in is set up.")
            return redirect(_next_url(request))
        form.add_error("token", "The security code is not right. Check your app and try again")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "qr_svg": _qr_svg(device), "secret_key": _base32_key(device)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("accounts:two_factor_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, throttle = device.verify_is_allowed()
        if not allowed:
            # After wrong codes django-otp makes the officer wait; say so, rather than calling
            # a correct code wrong.
            form.add_error("token", _throttle_message(throttle))
        elif device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(_next_url(request))
        else:
            form.add_error("token", "The security code is not right. Check your app and try again")
    return render(request, "accounts/two_factor_verify.html", {"form": form})


def _throttle_message(throttle: dict[str, Any] | None) -> str:
    locked_until = (throttle or {}).get("locked_until")
    if locked_until is not None:
        seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
        return (
            f"Too many wrong codes. Wait {seconds} seconds, then enter the code your app "
            "shows at that time"
        )
    return "Too many wrong codes. Wait a moment, then try again"


@login_required
@require_POST
def session_extend(request: HttpRequest) -> HttpResponse:
    """'Stay signed in': the idle clock restarts now (the session middleware writes it at most
    once a minute; this request always does)."""
    renew_idle_clock(request)
    return JsonResponse({"idle_seconds": settings.CSE_SESSION_IDLE_SECONDS})


app_name = "accounts"
urlpatterns = [
    path("sign-in/", sign_in.as_view(), name="sign_in"),
    path("sign-out/", sign_out, name="sign_out"),
    path("two-factor/setup/", two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", two_factor_verify, name="two_factor_verify"),
    path("session/extend/", session_extend, name="session_extend"),
]
