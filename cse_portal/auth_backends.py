"""The officer as every signed-in request loads it: one query for the officer, the agency and
the ids of their confirmed second-factor devices.

Django's ModelBackend reads the officer by primary key; every page then reads the officer's
agency (the navigation, the access door) and django-otp reads the device named in the session.
`OfficerBackend.get_user` reads all three in one statement, and `OTPMiddleware` checks the
session's device against the ids read with the officer, on every request (nothing is cached
across requests: a device an administrator deleted, or an officer made inactive, no longer
counts at the very next request).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as BaseOTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

# The persistent id django-otp keeps in the session for a TOTP device: "otp_totp.totpdevice/7".
_TOTP_LABEL = "otp_totp.totpdevice"
CONFIRMED_TOTP_IDS = "confirmed_totp_ids"


class OfficerBackend(ModelBackend):
    """ModelBackend whose get_user also reads the agency and the confirmed TOTP devices' ids."""

    def get_user(self, user_id: Any) -> Any:
        officers = get_user_model()._default_manager
        try:
            user = (
                officers.select_related("agency")
                .annotate(
                    **{
                        CONFIRMED_TOTP_IDS: ArraySubquery(
                            TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True).values(
                                "id"
                            )
                        )
                    }
                )
                .get(pk=user_id)
            )
        except officers.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class OTPMiddleware(BaseOTPMiddleware):
    """django-otp's middleware, checking the session's TOTP device against the ids read with the
    officer instead of reading the device again. The device itself is read only if something
    asks for more than whether there is one (`user.otp_device` is then a lazy object); any
    other kind of device, or an officer loaded another way, goes django-otp's own way."""

    def _verify_user_sync(self, request: HttpRequest, user: Any) -> Any:
        self._init_user_fields(user)
        if not user.is_authenticated:
            return user
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        confirmed = getattr(user, CONFIRMED_TOTP_IDS, None)
        if persistent_id and confirmed is not None:
            label, _, device_id = self._normalize_persistent_id(persistent_id).rpartition("/")
            if label == _TOTP_LABEL and device_id.isdigit():
                pk = int(device_id)
                if pk in confirmed:  # the officer's own, confirmed device, read just now
                    user.otp_device = SimpleLazyObject(lambda: TOTPDevice.objects.get(pk=pk))
                else:
                    del request.session[DEVICE_ID_SESSION_KEY]  # as django-otp does
                return user
        return super()._verify_user_sync(request, user)
