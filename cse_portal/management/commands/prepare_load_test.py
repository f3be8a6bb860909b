"""Prepare a demo (or generated) database for the load test (`make load`, scripts/load/).

Adds load-test officers in the existing agencies and gives every officer who holds an agency
a confirmed TOTP device with a new random key, then writes the sign-ins (username, password,
key) to a file readable by its owner only. The load test computes each officer's codes from
that key, as an authenticator app would: it signs in through the real two-factor pages of a
`CSE_ENV=production` server, so nothing about sign-in is relaxed for it.

It refuses to run with CSE_ENV=production: it replaces officers' second factors and writes
their keys to a file.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from cse_portal.models import Agency, Officer

DEVICE_NAME = "Load test authenticator"


class Command(BaseCommand):
    help = "Add load-test officers and TOTP devices whose keys the load test knows."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--officers", type=int, default=30, help="Load officers to add.")
        parser.add_argument("--out", required=True, help="Where to write the sign-ins (JSON).")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.CSE_ENV == "production":
            raise CommandError("prepare_load_test does not run with CSE_ENV=production.")
        password = os.environ.get("CSE_LOAD_PASSWORD") or f"load-{secrets.token_urlsafe(12)}"
        with transaction.atomic():
            self._add_officers(options["officers"], make_password(password))
            sign_ins = [
                self._sign_in(officer, password)
                for officer in Officer.objects.filter(agency__isnull=False, is_active=True)
                .select_related("agency")
                .order_by("username")
            ]
        out = Path(options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.touch(mode=0o600)
        out.write_text(json.dumps(sign_ins, indent=1), encoding="utf-8")
        self.stdout.write(f"{len(sign_ins)} load-test sign-ins written to {out}")

    def _add_officers(self, count: int, password_hash: str) -> None:
        agencies = list(Agency.objects.filter(is_active=True).order_by("name"))
        if not agencies:
            raise CommandError("No agencies: load the demo data (load_demo) first.")
        for n in range(1, count + 1):
            agency = agencies[n % len(agencies)]
            csc = agency.kind == Agency.Kind.CHILDRENS_SOCIAL_CARE
            role = Officer.Role.SOCIAL_WORKER if csc else Officer.Role.PRACTITIONER
            Officer.objects.update_or_create(
                username=f"load.officer.{n:02d}",
                defaults={
                    "password": password_hash,
                    "first_name": "Load",
                    "last_name": f"Officer {n:02d}",
                    "agency": agency,
                    "role": role,
                },
            )

    def _sign_in(self, officer: Officer, password: str) -> dict[str, str]:
        if officer.username.startswith("load.officer."):
            officer_password = password
        else:  # a demo officer keeps the demo password
            officer_password = os.environ.get("CSE_DEMO_PASSWORD") or "demo-password-2026"
        TOTPDevice.objects.filter(user=officer).delete()
        device = TOTPDevice.objects.create(user=officer, name=DEVICE_NAME, confirmed=True)
        return {
            "username": officer.username,
            "password": officer_password,
            "totp_key": device.key,  # hex, as django-otp stores it
            "role": officer.role,
            "agency_kind": officer.agency.kind if officer.agency else "",
        }
