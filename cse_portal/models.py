"""The one shared model: local authorities, agencies, officers, children and involvements.

Every app stands on these. Access to a child follows the agencies *involved* with the
child (see `cse_portal.access`); the access log and the change history make every view and
every change attributable.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import pghistory
import pgtrigger
from django.contrib.auth.models import AbstractUser, Group
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase


class LocalAuthority(models.Model):
    """A local authority area; each has one children's social care (CSC) agency."""

    name = models.CharField(max_length=150, unique=True)
    code = models.SlugField(max_length=20, unique=True, help_text="A short code, e.g. 'northdale'.")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name

    @property
    def childrens_social_care(self) -> Agency | None:
        return self.agencies.filter(kind=Agency.Kind.CHILDRENS_SOCIAL_CARE, is_active=True).first()


class Agency(models.Model):
    class Kind(models.TextChoices):
        CHILDRENS_SOCIAL_CARE = "csc", "Children's social care"
        POLICE = "police", "Police"
        HEALTH = "health", "Health"
        EDUCATION = "education", "School or education"
        YOUTH_JUSTICE = "youth_justice", "Youth justice"
        VOLUNTARY_SECTOR = "voluntary", "Voluntary sector"
        HOUSING = "housing", "Housing"
        PROBATION = "probation", "Probation"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="agencies"
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_active = models.BooleanField(default=True)
    # The agency's officers share this group; object permissions on children are granted
    # to it, never to individuals, so access follows the agency's involvement.
    group = models.OneToOneField(Group, on_delete=models.PROTECT, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            # Each local authority area has one children's social care.
            models.UniqueConstraint(
                fields=["local_authority"],
                condition=Q(kind="csc", is_active=True),
                name="one_active_csc_per_local_authority",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.group_id is None:
            self.group = Group.objects.create(name=f"agency:{uuid.uuid4()}")
        super().save(*args, **kwargs)

    @property
    def is_csc(self) -> bool:
        return self.kind == self.Kind.CHILDRENS_SOCIAL_CARE

    @property
    def cse_lead_officer(self) -> Officer | None:
        return self.officers.filter(is_cse_lead=True, is_active=True).first()


# Who may reach which caseload: every change of an officer's agency, role or powers is recorded
# (by a database trigger, attributed to whoever made it, in the admin or anywhere else).
OFFICER_ACCESS_FIELDS = ["agency", "role", "is_cse_lead", "is_active", "is_staff", "is_superuser"]


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),  # only when one of the fields below changes
    fields=OFFICER_ACCESS_FIELDS,
    model_name="OfficerAccessEvent",
    obj_field=pghistory.ObjForeignKey(related_name="access_events"),
    append_only=True,
)
class Officer(AbstractUser):
    """A person who signs in: a practitioner or other officer of exactly one agency, or a
    system administrator, who holds no agency and so sees no child."""

    class Role(models.TextChoices):
        PRACTITIONER = "practitioner", "Practitioner"
        SOCIAL_WORKER = "social_worker", "Social worker"
        TEAM_MANAGER = "team_manager", "Team manager"
        CP_COORDINATOR = "cp_coordinator", "Child protection coordinator"
        IRO = "iro", "Independent reviewing officer"
        SYSTEM_ADMINISTRATOR = "sysadmin", "System administrator"

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="officers", null=True, blank=True
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRACTITIONER)
    job_title = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_cse_lead = models.BooleanField(
        "CSE lead officer",
        default=False,
        help_text="The agency's named lead officer for child sexual exploitation.",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            # Everyone but a system administrator works for an agency.
            models.CheckConstraint(
                condition=Q(agency__isnull=False) | Q(role="sysadmin"),
                name="officer_has_agency_unless_sysadmin",
            ),
            # A system administrator (or any superuser) never holds an agency: an agency would
            # open its caseload to them with no involvement recorded.
            models.CheckConstraint(
                condition=Q(agency__isnull=True) | (~Q(role="sysadmin") & Q(is_superuser=False)),
                name="sysadmin_holds_no_agency",
                violation_error_message=(
                    "A system administrator cannot belong to an agency. Leave the agency empty, "
                    "or give this officer another role and take away superuser status."
                ),
            ),
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(is_cse_lead=True, is_active=True),
                name="one_cse_lead_per_agency",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def display_with_agency(self) -> str:
        return f"{self} ({self.agency})" if self.agency_id else str(self)


class Ethnicity(models.TextChoices):
    """Census 2021 ethnic groups (England and Wales)."""

    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian or Asian British: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian or Asian British: Chinese"
    ASIAN_INDIAN = "asian_indian", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian or Asian British: Pakistani"
    ASIAN_OTHER = "asian_other", "Asian or Asian British: any other Asian background"
    BLACK_AFRICAN = "black_african", "Black, Black British, Caribbean or African: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black, Black British, Caribbean or African: Caribbean"
    BLACK_OTHER = "black_other", "Black, Black British, Caribbean or African: any other background"
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed or multiple: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = (
        "mixed_white_black_african",
        "Mixed or multiple: White and Black African",
    )
    MIXED_WHITE_BLACK_CARIBBEAN = (
        "mixed_white_black_caribbean",
        "Mixed or multiple: White and Black Caribbean",
    )
    MIXED_OTHER = "mixed_other", "Mixed or multiple: any other background"
    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: any other White background"
    OTHER_ARAB = "other_arab", "Other ethnic group: Arab"
    OTHER = "other", "Other ethnic group: any other"
    NOT_KNOWN = "not_known", "Not known"
    NOT_GIVEN = "not_given", "Prefers not to say"


class Gender(models.TextChoices):
    # No form assumes the child is a girl (G39): every gender is a first-class answer.
    FEMALE = "female", "Girl or young woman"
    MALE = "male", "Boy or young man"
    NON_BINARY = "non_binary", "Non-binary"
    SELF_DESCRIBED = "self_described", "Describes their gender another way"
    NOT_KNOWN = "not_known", "Not known"


class LookedAfterStatus(models.TextChoices):
    NOT_LOOKED_AFTER = "no", "Not looked after"
    LOOKED_AFTER = "looked_after", "Looked after (in care)"
    CARE_LEAVER = "care_leaver", "Leaving care or care leaver"
    NOT_KNOWN = "not_known", "Not known"


class RiskGroup(models.TextChoices):
    """Groups at particular risk the guidance asks practitioners to notice (domain.md §3).

    Looked-after status, age 16-17 and boys and young men are derived from the record's
    other fields, so they are not repeated here.
    """

    MISSING = "missing", "Goes missing from home or care"
    GANG_ASSOCIATED = "gang", "Gang-associated"
    DISABLED = "disabled", "Disabled or has a learning difficulty"
    MIGRANT = "migrant", "Migrant, unaccompanied or trafficked"
    YOUNG_CARER = "young_carer", "Young carer"
    HOMELESS = "homeless", "Homeless"
    LGBT = "lgbt", "Lesbian, gay, bisexual or trans"
    BEREAVED = "bereaved", "Bereaved or has experienced loss"


class AgeFromBirthOrEstimate:
    """The age of a person recorded with a date of birth, or with an approximate age that grows
    a year for every year since it was recorded. Mixed into models that have the fields
    date_of_birth, approximate_age, approximate_age_recorded_on and created_at."""

    date_of_birth: date | None
    approximate_age: int | None
    approximate_age_recorded_on: date | None
    created_at: datetime

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth:
            dob = self.date_of_birth
            return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
        if self.approximate_age is not None:
            recorded = self.approximate_age_recorded_on or self.created_at.date()
            return self.approximate_age + max(0, (day - recorded).days // 365)
        return None

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())


class ChildQuerySet(models.QuerySet["Child"]):
    def search(self, text: str) -> ChildQuerySet:
        """Children whose names or known-as names contain every word of `text`."""
        qs = self
        for word in text.split():
            qs = qs.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(known_as__icontains=word)
            )
        return qs


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), append_only=True
)
class Child(AgeFromBirthOrEstimate, models.Model):
    """A child or young person under 18 — possibly not yet identified by name."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    is_identified = models.BooleanField(
        default=True,
        help_text="A referral may concern a child whose identity is not yet known.",
    )
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    known_as = models.CharField(
        "Known as", max_length=200, blank=True, help_text="Other names or nicknames, if any."
    )
    description = models.TextField(
        blank=True,
        help_text="For a child not yet identified: what is known (appearance, places, associates).",
    )
    date_of_birth = models.DateField(null=True, blank=True)
    approximate_age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="When the date of birth is not known."
    )
    approximate_age_recorded_on = models.DateField(null=True, blank=True, editable=False)
    gender = models.CharField(max_length=20, choices=Gender.choices, default=Gender.NOT_KNOWN)
    gender_description = models.CharField(max_length=100, blank=True)
    ethnicity = models.CharField(
        max_length=40, choices=Ethnicity.choices, default=Ethnicity.NOT_KNOWN
    )
    address = models.TextField(blank=True)
    school_or_setting = models.CharField(max_length=200, blank=True)

    looked_after_status = models.CharField(
        max_length=20, choices=LookedAfterStatus.choices, default=LookedAfterStatus.NOT_KNOWN
    )
    home_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        related_name="children_home",
        help_text="The local authority responsible for the child.",
    )
    host_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        related_name="children_hosted",
        null=True,
        blank=True,
        help_text="Where a looked-after child is placed outside the home authority.",
    )
    host_cse_lead_contact = models.TextField(
        "Host authority's CSE lead contact",
        blank=True,
        help_text="Name, phone and email of the host authority's CSE lead.",
    )
    risk_groups = ArrayField(
        models.CharField(max_length=20, choices=RiskGroup.choices), default=list, blank=True
    )

    owning_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="children_owned",
        help_text="The agency that created the record.",
    )
    created_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency: an edit names the version it started from; a stale edit is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    # The hidden key of the form that added the child: the same form sent twice adds one child.
    creation_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ChildQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "created_at"]
        verbose_name_plural = "children"
        # Case data: no model-level permissions beyond the ones granted per object.
        default_permissions = ()
        permissions = [
            ("view_child", "View the child's record"),
            ("change_child", "Change the child's record"),
            ("share_child", "Share the child's record with another agency"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_identified=False) | ~Q(first_name="") | ~Q(last_name=""),
                name="identified_child_has_a_name",
            ),
            models.CheckConstraint(
                condition=Q(approximate_age__isnull=True) | Q(approximate_age__lte=17),
                name="approximate_age_under_18",
            ),
            models.CheckConstraint(
                condition=~Q(host_authority=models.F("home_authority")),
                name="host_authority_differs_from_home",
            ),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            # The list's search (`ChildQuerySet.search`: UPPER(name) LIKE '%WORD%') finds its
            # rows through trigrams instead of reading every child (pg_trgm, migration 0005).
            *(
                GinIndex(OpClass(Upper(name), name="gin_trgm_ops"), name=f"child_{name}_trgm")
                for name in ("first_name", "last_name", "known_as")
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("children:detail", kwargs={"child_pk": self.pk})

    @property
    def display_name(self) -> str:
        if not self.is_identified and not (self.first_name or self.last_name):
            return f"Child not yet identified ({self.reference})"
        name = " ".join(p for p in [self.first_name, self.last_name] if p)
        return name or f"Child ({self.reference})"

    @property
    def reference(self) -> str:
        """A short, stable reference for talking about a record without its name."""
        return f"C-{str(self.pk)[:8].upper()}"

    @property
    def is_looked_after(self) -> bool:
        return self.looked_after_status == LookedAfterStatus.LOOKED_AFTER

    @property
    def placed_out_of_area(self) -> bool:
        return self.host_authority_id is not None

    def derived_risk_groups(self) -> list[str]:
        """Every group at particular risk, the recorded flags and those the record implies."""
        labels = [RiskGroup(code).label for code in self.risk_groups]
        if self.is_looked_after:
            labels.insert(0, "Looked after")
        elif self.looked_after_status == LookedAfterStatus.CARE_LEAVER:
            labels.insert(0, "Leaving care")
        age = self.age
        if age is not None and 16 <= age <= 17:
            labels.append("Aged 16 or 17")
        if self.gender == Gender.MALE:
            labels.append("Boy or young man")
        return labels


class ChildGroupObjectPermission(GroupObjectPermissionBase):
    """Guardian's direct foreign-key table: an agency group's permissions on one child."""

    content_object = models.ForeignKey(Child, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), append_only=True)
class Involvement(models.Model):
    """An agency's involvement with a child: what gives the agency access, and why."""

    class Reason(models.TextChoices):
        CREATED_RECORD = "created_record", "Created the record"
        REFERRAL = "referral", "Referral"
        MEETING_INVITATION = "meeting_invitation", "Invited to a strategy meeting"
        EXPLICIT_SHARE = "explicit_share", "Shared by another agency"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="involvements")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="involvements")
    reason = models.CharField(max_length=30, choices=Reason.choices)
    note = models.TextField(blank=True, help_text="Why the agency is involved.")
    granted_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    end_reason = models.TextField(blank=True)
    # The hidden key of the share form: the same form sent twice shares once.
    creation_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["granted_at"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["child", "agency", "reason"],
                condition=Q(ended_at__isnull=True),
                name="one_open_involvement_per_reason",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_by__isnull=False),
                name="ended_involvement_has_ender",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} — {self.get_reason_display()}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class AccessLog(models.Model):
    """One row per view, export or search of children's records. Append-only in the database."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        EXPORT = "export", "Exported"
        SEARCH = "search", "Searched"
        LIST = "list", "Listed"
        CHANGE = "change", "Changed"
        SHARE = "share", "Shared"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="access_log")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="access_log", null=True, blank=True
    )
    # What was looked at: e.g. "child record", "screening 12", "referral 4 (PDF)".
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    path = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        default_permissions = ("view",)
        triggers = [
            pgtrigger.Protect(
                name="access_log_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]
        indexes = [models.Index(fields=["child", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.officer} {self.get_action_display()} {self.object_type}"


class PdfExport(models.Model):
    """A PDF for the child's file being prepared in the background (`cse_portal.pdf_exports`).

    Only the officer who asked may download it, and only while the door still lets them see
    the child; the download is logged and deletes the row, so the file is kept only as long as
    needed (one never downloaded is deleted after CSE_PDF_EXPORT_KEEP_SECONDS).
    """

    class Status(models.TextChoices):
        PREPARING = "preparing", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be made"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=40)  # a builder registered in cse_portal.pdf_exports
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREPARING)
    title = models.CharField(max_length=120)  # "The child's record", never a child's name
    filename = models.CharField(max_length=120, blank=True)
    object_type = models.CharField(max_length=60, blank=True)  # for the access log
    detail = models.CharField(max_length=300, blank=True)  # for the access log
    pdf = models.BinaryField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"


class Notification(models.Model):
    """One event for one officer, inside the portal ("CSC decided on your referral"). It
    carries no case detail: a fixed sentence, a record's reference at most, and the link to
    the record, which the access door checks when it is opened. Apps create them through
    `cse_portal.notifications.notify`, from their services, at the event."""

    recipient = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="notifications")
    # Namespaced by the app that sent it, e.g. "referral.decided", "meeting.invited".
    kind = models.CharField(max_length=60)
    text = models.CharField(max_length=200)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        default_permissions = ()
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="") & ~Q(text=""), name="notification_has_kind_and_text"
            ),
            # A path inside the portal, never an address elsewhere.
            models.CheckConstraint(
                condition=Q(link="") | Q(link__startswith="/"), name="notification_link_is_a_path"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.text} ({self.recipient})"

    @property
    def is_new(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """An officer's choice about the e-mail digest, and when the last one was sent. No row
    means the default: the digest is on (it says only that there is something to look at)."""

    DIGEST_DEFAULT = True

    officer = models.OneToOneField(
        Officer,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    email_digest = models.BooleanField("e-mail me a daily digest", default=DIGEST_DEFAULT)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"Notification preference of {self.officer}"


class ThemeSummary(models.Model):
    """The themes' figures of one agency's scope over one period, computed ahead
    (`cse_portal.themes_summary`): the exact counts of every registered theme, as JSON. The
    page, the CSV and the PDF read them and suppress small numbers as they show them, so all
    three give the same figures; `computed_at` is when the figures were current."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    computed_at = models.DateTimeField()
    figures = models.JSONField()

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "period_start", "period_end"], name="theme_summary_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.period_start}–{self.period_end} at {self.computed_at:%H:%M}"
