"""`python manage.py load_demo`: load the fictional demo data set, idempotently.

The data lives in fixtures/demo/core.json; this module only reads it. Children are recorded
and shared through the real services, so their involvements, permissions and change history
are the same as those of children recorded through the pages.

Running the command again changes nothing: local authorities are found by code, agencies by
name, officers by username, children by name (or, when not yet identified, by description)
within the owning agency, and a share is skipped when the agency is already involved.

After the core data, every installed app that has a `demo` module gets its `load_demo(stdout)`
called, in INSTALLED_APPS order, inside the same transaction; the core imports no app.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.db import transaction
from django.utils import timezone

from cse_portal import services
from cse_portal.mail_tasks import sending_no_email
from cse_portal.models import Agency, Child, Involvement, LocalAuthority, Officer

DEMO_DATA_PATH = settings.BASE_DIR / "fixtures" / "demo" / "core.json"
DEFAULT_DEMO_PASSWORD = "demo-password-2026"  # noqa: S105  (fictional demo accounts only)

# Fields of a child in the data file that go to the service unchanged.
_CHILD_FIELDS = {
    "is_identified",
    "first_name",
    "last_name",
    "known_as",
    "description",
    "approximate_age",
    "gender",
    "gender_description",
    "ethnicity",
    "address",
    "school_or_setting",
    "looked_after_status",
    "host_cse_lead_contact",
    "risk_groups",
}
# Keys of a child in the data file that the loader works out itself.
_CHILD_KEYS = _CHILD_FIELDS | {
    "created_by",
    "age",
    "days_since_birthday",
    "home_authority",
    "host_authority",
    "shares",
}


def date_of_birth(today: date, age: int, days_since_birthday: int) -> date:
    """The date of birth of a child who turned `age` `days_since_birthday` days ago."""
    if not 0 <= age <= 17 or not 0 <= days_since_birthday <= 364:
        raise CommandError(
            f"A demo child needs an age of 0 to 17 and 0 to 364 days since the birthday: "
            f"{age}, {days_since_birthday}"
        )
    last_birthday = today - timedelta(days=days_since_birthday)
    try:
        return last_birthday.replace(year=last_birthday.year - age)
    except ValueError:  # 29 February in a year that has none
        return last_birthday.replace(year=last_birthday.year - age, day=28)


@dataclass
class Tally:
    """What one run created, to tell the user (and to show a second run creates nothing)."""

    local_authorities: int = 0
    agencies: int = 0
    officers: int = 0
    children: int = 0
    shares: int = 0
    refreshed_ages: int = 0
    existing_officers: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"Created {self.local_authorities} local authorities, {self.agencies} agencies, "
            f"{self.officers} officers, {self.children} children and {self.shares} shares"
            + (
                f"; {self.refreshed_ages} children who had turned 18 got a later date of birth"
                if self.refreshed_ages
                else ""
            )
            + "."
        )


class DemoLoader:
    """Loads the core demo data; finds before it creates, so a second run creates nothing."""

    def __init__(self, *, password: str, reset_passwords: bool, today: date) -> None:
        self.password = password
        self.reset_passwords = reset_passwords
        self.today = today
        self.tally = Tally()
        self._password_hash = ""
        self.authorities: dict[str, LocalAuthority] = {}
        self.agencies: dict[str, Agency] = {}
        self.officers: dict[str, Officer] = {}

    def load(self, data: dict[str, Any]) -> Tally:
        for spec in data["local_authorities"]:
            self._local_authority(spec)
        for spec in data["agencies"]:
            self._agency(spec)
        for spec in data["officers"]:
            self._officer(spec)
        for spec in data["children"]:
            self._child(spec)
        return self.tally

    def password_hash(self) -> str:
        # Hashing is deliberately slow: hash once and give every officer the same hash.
        if not self._password_hash:
            self._password_hash = make_password(self.password)
        return self._password_hash

    def _local_authority(self, spec: dict[str, Any]) -> None:
        authority, created = LocalAuthority.objects.get_or_create(
            code=spec["code"], defaults={"name": spec["name"]}
        )
        self.authorities[authority.code] = authority
        self.tally.local_authorities += created

    def _agency(self, spec: dict[str, Any]) -> None:
        agency, created = Agency.objects.get_or_create(
            name=spec["name"],
            defaults={
                "kind": Agency.Kind(spec["kind"]),
                "local_authority": self.authorities[spec["local_authority"]],
                "email": spec.get("email", ""),
                "phone": spec.get("phone", ""),
            },
        )
        self.agencies[agency.name] = agency
        self.tally.agencies += created

    def _officer(self, spec: dict[str, Any]) -> None:
        officer = Officer.objects.select_related("agency").filter(username=spec["username"]).first()
        if officer is None:
            officer = Officer.objects.create(
                username=spec["username"],
                password=self.password_hash(),
                first_name=spec["first_name"],
                last_name=spec["last_name"],
                email=spec.get("email", ""),
                phone=spec.get("phone", ""),
                job_title=spec.get("job_title", ""),
                agency=self.agencies[spec["agency"]] if spec["agency"] else None,
                role=Officer.Role(spec["role"]),
                is_cse_lead=spec.get("is_cse_lead", False),
                is_staff=spec.get("is_staff", False),
                is_superuser=spec.get("is_superuser", False),
            )
            self.tally.officers += 1
        else:
            # An officer who already exists keeps whatever was changed since (their password
            # included) unless the user asks for the demo password to be set again.
            self.tally.existing_officers.append(officer.username)
            if self.reset_passwords:
                officer.password = self.password_hash()
                officer.save(update_fields=["password"])
        self.officers[officer.username] = officer

    def _child(self, spec: dict[str, Any]) -> None:
        unknown = set(spec) - _CHILD_KEYS
        if unknown:
            raise CommandError(f"Unknown keys in a demo child: {', '.join(sorted(unknown))}")
        by = self.officers[spec["created_by"]]
        child = self._find_child(spec, by)
        if child is None:
            child = services.child_create(by=by, data=self._child_data(spec, by))
            self.tally.children += 1
        elif child.age is not None and child.age > 17:
            # A demo database kept for a long time: the child would have grown up, so move the
            # birthday along rather than show an adult as a child.
            child = services.child_update(
                child=child,
                by=by,
                data=self._age_data(spec),
                expected_version=child.version,
            )
            self.tally.refreshed_ages += 1
        for share in spec.get("shares", []):
            agency = self.agencies[share["agency"]]
            already_involved = Involvement.objects.filter(
                child=child, agency=agency, ended_at__isnull=True
            ).exists()
            if not already_involved:
                sharer = self.officers[share["by"]] if "by" in share else by
                services.child_share(child=child, agency=agency, by=sharer, reason=share["reason"])
                self.tally.shares += 1

    def _find_child(self, spec: dict[str, Any], by: Officer) -> Child | None:
        children = Child.objects.filter(owning_agency=by.agency)
        if spec.get("is_identified", True):
            children = children.filter(first_name=spec["first_name"], last_name=spec["last_name"])
        else:
            children = children.filter(is_identified=False, description=spec["description"])
        return children.order_by("created_at").first()

    def _child_data(self, spec: dict[str, Any], by: Officer) -> dict[str, Any]:
        data = {key: spec[key] for key in _CHILD_FIELDS if key in spec}
        data.update(self._age_data(spec))
        home = spec.get("home_authority")
        if home:
            data["home_authority"] = self.authorities[home]
        else:
            assert by.agency is not None, "demo children are recorded by an agency's officer"
            data["home_authority"] = by.agency.local_authority
        if spec.get("host_authority"):
            data["host_authority"] = self.authorities[spec["host_authority"]]
        return data

    def _age_data(self, spec: dict[str, Any]) -> dict[str, Any]:
        if "age" in spec:
            dob = date_of_birth(self.today, spec["age"], spec.get("days_since_birthday", 0))
            return {"date_of_birth": dob}
        return {"approximate_age": spec.get("approximate_age")}


def run_app_demo_loaders(stdout: OutputWrapper, stderr: OutputWrapper) -> list[str]:
    """Call `<app>.demo.load_demo(stdout)` of each installed app that has one; return the labels."""
    ran = []
    for app_config in apps.get_app_configs():
        module_name = f"{app_config.name}.demo"
        try:
            spec = importlib.util.find_spec(module_name)
        except ModuleNotFoundError:  # the app is a single module, not a package
            spec = None
        if spec is None:
            continue
        loader = getattr(importlib.import_module(module_name), "load_demo", None)
        if not callable(loader):
            stderr.write(f"{module_name} has no load_demo(stdout) function; skipped.")
            continue
        loader(stdout)
        ran.append(app_config.label)
    return ran


class Command(BaseCommand):
    help = "Load the fictional demo data set (idempotent) and print the demo sign-ins."
    requires_migrations_checks = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--quiet", action="store_true", help="Do not print the table of demo sign-ins."
        )
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Set every demo officer's password to the demo password again.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.CSE_ENV == "production":
            # The demo creates a superuser and officers with a published password.
            raise CommandError("load_demo does not run with CSE_ENV=production.")
        password = os.environ.get("CSE_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(
                f"CSE_DEMO_PASSWORD is not acceptable: {' '.join(error.messages)}"
            ) from error

        data = json.loads(DEMO_DATA_PATH.read_text(encoding="utf-8"))
        loader = DemoLoader(
            password=password,
            reset_passwords=options["reset_passwords"],
            today=timezone.localdate(),
        )
        with transaction.atomic(), sending_no_email("loading the demo data"):
            tally = loader.load(data)
            app_loaders = run_app_demo_loaders(self.stdout, self.stderr)

        if options["quiet"]:
            return
        self.stdout.write(tally.summary())
        if app_loaders:
            self.stdout.write(f"Demo data from apps: {', '.join(app_loaders)}.")
        self._write_sign_ins([loader.officers[spec["username"]] for spec in data["officers"]])
        self.stdout.write(f"\nPassword for every demo officer: {password}")
        if tally.existing_officers and not options["reset_passwords"]:
            self.stdout.write(
                "(Officers who already existed keep their password; "
                "--reset-passwords sets the demo password again.)"
            )

    def _write_sign_ins(self, officers: list[Officer]) -> None:
        rows = [("Username", "Name", "Agency", "Role")]
        for officer in officers:
            role = officer.get_role_display() + (", CSE lead" if officer.is_cse_lead else "")
            agency = str(officer.agency) if officer.agency_id else "— (no case data)"
            rows.append((officer.username, officer.get_full_name(), agency, role))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("\nDemo sign-ins:")
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  " + "  ".join([*cells, row[3]]))
