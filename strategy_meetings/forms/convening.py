"""Forms of convening a meeting and of changing its details (G17, G18, G20, G29)."""

from __future__ import annotations

import uuid
from typing import Any, cast

from crispy_forms_gds.layout import Field, Fieldset, Fixed, Fluid, Layout, Size, Submit
from django import forms
from django.utils import timezone

from cse_portal.forms import FormKeyField, GovukForm
from cse_portal.models import Child, LocalAuthority, Officer
from referrals.forms.common import OfferedOfficerField
from strategy_meetings import selectors, services
from strategy_meetings.forms.common import (
    VersionField,
    as_yes_no,
    clean_time,
    combined,
    date_field,
    text_field,
    time_field,
    yes_no,
    yes_no_field,
)
from strategy_meetings.models import Meeting

# The free text the language prompt (G38) reads after a save.
DETAILS_TEXT_FIELDS = {
    "young_person_not_invited_reason": "Why is the young person not invited?",
    "family_not_invited_reason": "Why is the family not invited?",
}
CONVENE_TEXT_FIELDS = {**DETAILS_TEXT_FIELDS, "host_contact_note": "What was agreed"}


class _OfficerChoice(OfferedOfficerField):
    def label_from_instance(self, obj: Officer) -> str:
        return f"{obj} — {obj.get_role_display()}, {obj.agency}"


class MeetingDetailsForm(GovukForm):
    """The date, time and place, the minute-taker, and whether the young person and the family
    are invited (G18)."""

    submit_label = "Save details"
    DETAIL_FIELDS = (
        "starts_on",
        "starts_time",
        "place",
        "call_details",
        "minute_taker",
        "young_person_invited",
        "young_person_not_invited_reason",
        "family_invited",
        "family_not_invited_reason",
    )

    starts_on = date_field("Date of the meeting", "date of the meeting")
    starts_time = time_field("Start time")
    place = text_field(
        "Where is the meeting held?", 2, "The address and room, if it meets in person."
    )
    call_details = text_field(
        "How to join by phone or video (if it is held by call)", 2, "A link or a number and code."
    )
    minute_taker = _OfficerChoice(
        Officer.objects.none(),
        label="Minute-taker (optional)",
        help_text="They write the minutes with the chair.",
        empty_label="No minute-taker: the chair writes the minutes",
    )
    young_person_invited = yes_no_field(
        "Is the young person invited?",
        "The young person should be encouraged to attend unless there is a particular reason "
        "why this may not be desired.",
    )
    young_person_not_invited_reason = text_field(
        DETAILS_TEXT_FIELDS["young_person_not_invited_reason"], 3, "Needed if they are not invited."
    )
    family_invited = yes_no_field(
        "Is the family invited?",
        "The family should be encouraged to attend unless there is a particular reason why "
        "this may not be desired.",
    )
    family_not_invited_reason = text_field(
        DETAILS_TEXT_FIELDS["family_not_invited_reason"], 3, "Needed if they are not invited."
    )
    version = VersionField()

    def __init__(
        self, *args: Any, agency_id: int | None, meeting: Meeting | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(
            _OfficerChoice, self.fields["minute_taker"]
        ).queryset = selectors.minute_taker_candidates(agency_id)
        if meeting is not None and not self.is_bound:
            local = timezone.localtime(meeting.starts_at)
            self.initial.update(
                {
                    "starts_on": local.date(),
                    "starts_time": f"{local:%H:%M}",
                    "place": meeting.place,
                    "call_details": meeting.call_details,
                    "minute_taker": meeting.minute_taker_id,
                    "young_person_invited": as_yes_no(meeting.young_person_invited),
                    "young_person_not_invited_reason": meeting.young_person_not_invited_reason,
                    "family_invited": as_yes_no(meeting.family_invited),
                    "family_not_invited_reason": meeting.family_not_invited_reason,
                    "version": meeting.version,
                }
            )

    def clean_starts_time(self) -> object:
        return clean_time(self.cleaned_data.get("starts_time") or "")

    def details_layout(self) -> list[Any]:
        return [
            Fieldset(
                Field("starts_on"),
                Field.text("starts_time", field_width=Fixed.FIVE),
                Field.textarea("place", rows=2),
                Field.textarea("call_details", rows=2),
                legend="When and where",
                legend_size=Size.MEDIUM,
            ),
            Field.select("minute_taker"),
            Fieldset(
                Field.radios("young_person_invited", inline=True),
                Field.textarea("young_person_not_invited_reason", rows=3),
                Field.radios("family_invited", inline=True),
                Field.textarea("family_not_invited_reason", rows=3),
                legend="The young person and the family",
                legend_size=Size.MEDIUM,
            ),
        ]

    def get_layout(self) -> Layout:
        return Layout(*self.details_layout(), Field("version"), Submit("submit", self.submit_label))

    def details(self) -> services.MeetingDetails:
        data = getattr(self, "cleaned_data", {})
        return services.MeetingDetails(
            starts_at=combined(data.get("starts_on"), data.get("starts_time")),
            place=data.get("place") or "",
            call_details=data.get("call_details") or "",
            minute_taker=data.get("minute_taker"),
            young_person_invited=yes_no(data.get("young_person_invited")),
            young_person_not_invited_reason=data.get("young_person_not_invited_reason") or "",
            family_invited=yes_no(data.get("family_invited")),
            family_not_invited_reason=data.get("family_not_invited_reason") or "",
        )

    def problem_field(self, key: str) -> str:
        """A service's problem about the date and time goes on the date's first input."""
        return "starts_on" if key == "starts_at" else key


class _AuthorityChoice(forms.ModelChoiceField):
    def __init__(self, child: Child, **kwargs: Any) -> None:
        self.child = child
        super().__init__(**kwargs)

    def label_from_instance(self, obj: LocalAuthority) -> str:
        role = "home authority" if obj.pk == self.child.home_authority_id else "host authority"
        return f"{obj} (the child's {role})"


class ConveneForm(MeetingDetailsForm):
    """Convening: the chair (G17), the IRO of a looked-after child (G20), and for a child
    placed in another area which authority convenes and the host's CP manager (G29)."""

    submit_label = "Convene the meeting"

    chair = _OfficerChoice(
        Officer.objects.none(),
        label="Chair",
        help_text="A child protection coordinator or an independent reviewing officer (IRO).",
        empty_label="Select the chair",
    )
    iro = _OfficerChoice(
        Officer.objects.none(),
        label="The child's independent reviewing officer (IRO), to invite",
        help_text="The child is looked after: the IRO is invited. Leave this empty if the chair "
        "is the child's IRO.",
        empty_label="Select the IRO",
    )
    iro_name = forms.CharField(
        label="Or the IRO's name and contact, if they are not on the portal",
        max_length=200,
        required=False,
    )
    host_cp_manager = forms.CharField(
        label="Who in the host authority did you contact?",
        help_text="The host authority's child protection manager (or equivalent): name and role.",
        max_length=200,
        required=False,
    )
    contacted_on = date_field("Date you contacted them", "date you contacted them")
    contacted_time = time_field()
    host_contact_note = text_field(CONVENE_TEXT_FIELDS["host_contact_note"], 3, "Optional.")
    creation_key = FormKeyField()

    def __init__(self, *args: Any, child: Child, agency_id: int | None, **kwargs: Any) -> None:
        self.child = child
        super().__init__(*args, agency_id=agency_id, **kwargs)
        chairs = selectors.chair_candidates(child)
        cast(_OfficerChoice, self.fields["chair"]).queryset = chairs
        cast(_OfficerChoice, self.fields["iro"]).queryset = selectors.iro_candidates(child)
        if not child.is_looked_after:
            del self.fields["iro"], self.fields["iro_name"]
        if child.placed_out_of_area:
            areas = LocalAuthority.objects.filter(
                pk__in=[child.home_authority_id, child.host_authority_id]
            )
            self.fields["convening_authority"] = _AuthorityChoice(
                child,
                queryset=areas,
                label="Which authority convenes the strategy meeting?",
                help_text="The child is placed in another area: the two authorities agree who "
                "convenes and co-ordinates the response.",
                widget=forms.RadioSelect,
                required=False,
                empty_label=None,
            )
        else:
            for name in ("host_cp_manager", "contacted_on", "contacted_time", "host_contact_note"):
                del self.fields[name]
        if not self.is_bound:
            self.fields["creation_key"].initial = uuid.uuid4()
        self.helper.layout = self.get_layout()

    def clean_contacted_time(self) -> object:
        return clean_time(self.cleaned_data.get("contacted_time") or "")

    def get_layout(self) -> Layout:
        parts: list[Any] = [Field.select("chair")]
        if "iro" in self.fields:
            parts += [Field.select("iro"), Field.text("iro_name", field_width=Fluid.TWO_THIRDS)]
        parts += self.details_layout()
        if "convening_authority" in self.fields:
            parts.append(
                Fieldset(
                    Field.radios("convening_authority"),
                    Field.text("host_cp_manager", field_width=Fluid.TWO_THIRDS),
                    Field("contacted_on"),
                    Field.text("contacted_time", field_width=Fixed.FIVE),
                    Field.textarea("host_contact_note", rows=3),
                    legend="A child placed in another area",
                    legend_size=Size.MEDIUM,
                )
            )
        return Layout(*parts, Field("creation_key"), Submit("submit", self.submit_label))

    def convening(self) -> services.Convening:
        data = getattr(self, "cleaned_data", {})
        authority = (
            data.get("convening_authority")
            if self.child.placed_out_of_area
            else self.child.home_authority
        )
        return services.Convening(
            details=self.details(),
            chair=data.get("chair"),
            iro=data.get("iro"),
            iro_name=data.get("iro_name") or "",
            convening_authority=authority,
            host_cp_manager=data.get("host_cp_manager") or "",
            host_cp_manager_contacted_at=combined(
                data.get("contacted_on"), data.get("contacted_time")
            ),
            host_contact_note=data.get("host_contact_note") or "",
        )

    def problem_field(self, key: str) -> str:
        if key == "host_cp_manager_contacted_at":
            return "contacted_on"
        return super().problem_field(key)
