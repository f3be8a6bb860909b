"""A separate meeting about a person of concern [002 §7–8]: an adult who poses a risk to
several children, or a child who is also alleged to harm others (likely also a victim, G31).

It is convened by children's social care about one PersonOfConcern and links the children's
own strategy meetings (each child keeps their own meeting, as the guidance says). What one
child's agencies may know must not reach another's: the meeting's general minutes are about
the person, and what is said about one child is a note on that child's link, shown only to
officers whose agency may see that child. Invitees (by agency and person) may open the
meeting; inviting involves the agency with no child.

Draft until the chair finalises; then the meeting, its links and notes, its invitations and
its actions are frozen in the database (triggers).
"""

from __future__ import annotations

import uuid

import pghistory
import pgtrigger
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cse_portal.lifecycle import frozen_once, rows_frozen_with_parent
from cse_portal.models import Agency, Officer
from strategy_meetings.models.meeting import Meeting


class PersonMeetingReason(models.TextChoices):
    SEVERAL_CHILDREN = (
        "several_children",
        "A person who poses a risk to several children",
    )
    CHILD_PERPETRATOR = (
        "child_perpetrator",
        "A child or young person who is alleged to harm others, and is likely also a victim "
        "(consider an AIM assessment)",
    )


_PERSON_MEETING_RULES = """
    IF NOT EXISTS (SELECT 1 FROM cse_portal_officer o WHERE o.id = NEW.chair_id
                   AND o.role IN ('cp_coordinator', 'iro')) THEN
        RAISE EXCEPTION 'The chair must be a child protection coordinator or an independent reviewing officer (G17)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM cse_portal_agency a WHERE a.id = NEW.convening_agency_id
                   AND a.kind = 'csc') THEN
        RAISE EXCEPTION 'A separate meeting is convened by children''s social care'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
"""

# A linked meeting is about a child the person is linked to.
_LINK_RULES = """
    IF NOT EXISTS (
            SELECT 1 FROM strategy_meetings_meeting m
            JOIN referrals_personlink l ON l.child_id = m.child_id
            JOIN strategy_meetings_personmeeting p ON p.person_id = l.person_id
            WHERE m.id = NEW.meeting_id AND p.id = NEW.person_meeting_id) THEN
        RAISE EXCEPTION 'A linked meeting is about a child linked to the person'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
"""


def _frozen_with(name: str) -> pgtrigger.Trigger:
    return rows_frozen_with_parent(
        name,
        parent=PersonMeeting,
        fk="person_meeting_id",
        message="A final separate meeting cannot be changed",
    )


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), append_only=True)
class PersonMeeting(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Not yet final"
        FINAL = "final", "Final"

    Reason = PersonMeetingReason

    person = models.ForeignKey(
        "referrals.PersonOfConcern", on_delete=models.PROTECT, related_name="separate_meetings"
    )
    reason = models.CharField(max_length=30, choices=PersonMeetingReason.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    convening_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    convened_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    convened_at = models.DateTimeField(default=timezone.now)
    chair = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField("date and time")
    place = models.TextField(blank=True)
    call_details = models.TextField(blank=True)
    # About the person only: what is said about one child is that child's note (a link).
    minutes = models.TextField("minutes about the person", blank=True)
    minutes_updated_by = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    finalised_by = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    linked_meetings = models.ManyToManyField(
        Meeting, through="PersonMeetingLink", related_name="person_meetings"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)
    creation_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["-starts_at", "-id"]
        default_permissions = ()
        triggers = [
            frozen_once("final_person_meeting_is_immutable", value="final"),
            pgtrigger.Trigger(
                name="person_meeting_rules",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func=_PERSON_MEETING_RULES,
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=PersonMeetingReason.values), name="person_meeting_reason"
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(call_details=""), name="person_meeting_place_or_call"
            ),
            models.CheckConstraint(
                condition=Q(status="draft", finalised_by__isnull=True, finalised_at__isnull=True)
                | (
                    Q(status="final", finalised_by__isnull=False, finalised_at__isnull=False)
                    & ~Q(minutes="")
                ),
                name="final_person_meeting_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Separate meeting {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("strategy_meetings:person_meeting", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        return f"SP-{self.pk:05d}" if self.pk else "SP-new"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), append_only=True)
class PersonMeetingLink(models.Model):
    """A child's own strategy meeting linked to the separate meeting, with what the separate
    meeting said about that child (seen only by officers who may see the child)."""

    person_meeting = models.ForeignKey(
        PersonMeeting, on_delete=models.PROTECT, related_name="links"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="+")
    note = models.TextField("about this child", blank=True)
    note_version = models.PositiveIntegerField(default=1)
    note_updated_by = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    linked_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["linked_at", "id"]
        default_permissions = ()
        triggers = [
            _frozen_with("person_meeting_links_of_drafts"),
            pgtrigger.Trigger(
                name="person_meeting_link_child_is_linked",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func=_LINK_RULES,
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person_meeting", "meeting"], name="person_meeting_links_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting} in {self.person_meeting}"


@pghistory.track(pghistory.InsertEvent(), append_only=True)
class PersonMeetingInvitation(models.Model):
    person_meeting = models.ForeignKey(
        PersonMeeting, on_delete=models.PROTECT, related_name="invitations"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    person_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=150, blank=True)
    invited_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["invited_at", "id"]
        default_permissions = ()
        triggers = [_frozen_with("person_meeting_invitations_of_drafts")]
        constraints = [
            models.CheckConstraint(
                condition=Q(officer__isnull=False) | ~Q(person_name=""),
                name="person_meeting_invitation_names_a_person",
            ),
            models.UniqueConstraint(
                fields=["person_meeting", "officer"],
                condition=Q(officer__isnull=False),
                name="person_meeting_invites_an_officer_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_display} ({self.agency})"

    @property
    def person_display(self) -> str:
        return str(self.officer) if self.officer_id else self.person_name


@pghistory.track(pghistory.InsertEvent(), append_only=True)
class PersonMeetingAction(models.Model):
    """A SMART action of the separate meeting: what, who (person and agency), by when, and
    how we will know it is done (G22)."""

    person_meeting = models.ForeignKey(
        PersonMeeting, on_delete=models.PROTECT, related_name="actions"
    )
    what = models.TextField("what will be done")
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    owner_name = models.CharField("who will do it", max_length=200)
    due = models.DateField("due date")
    measure = models.TextField("how we will know it is done")
    created_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    creation_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["due", "id"]
        default_permissions = ()
        triggers = [_frozen_with("person_meeting_actions_of_drafts")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(what="") & ~Q(owner_name="") & ~Q(measure=""),
                name="person_meeting_action_is_smart",
            )
        ]

    def __str__(self) -> str:
        return self.what[:60]
