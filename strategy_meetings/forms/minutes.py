"""Forms of the minutes: attendance, one section, the outcome, finalising and an addendum."""

from __future__ import annotations

import uuid
from typing import Any

from crispy_forms_gds.layout import HTML, Field, Fieldset, Fluid, Layout, Size, Submit
from django import forms

from cse_portal.forms import FormKeyField, GovukForm
from strategy_meetings import services
from strategy_meetings.forms.common import (
    VersionField,
    as_yes_no,
    text_field,
    yes_no,
    yes_no_field,
)
from strategy_meetings.models import (
    ADDENDUM_PLACES,
    Attendance,
    Invitation,
    Meeting,
    MeetingOutcome,
    MinutesSection,
    PlanningForum,
)

OUTCOME_TEXT_FIELDS = {
    "outcome_notes": "Notes on the outcome",
    "parents_told_what": "What will the parents or carers be told?",
    "parents_not_told_reason": "Why will they not be told?",
}


class AttendanceForm(GovukForm):
    """Each invitee's attendance (G17) with the version of their row, and whether the young
    person and the family attended (G18) with the answer the page showed."""

    submit_label = "Save attendance"

    def __init__(
        self, *args: Any, meeting: Meeting, invitations: list[Invitation], **kwargs: Any
    ) -> None:
        self.meeting = meeting
        self.invitations = invitations
        super().__init__(*args, **kwargs)
        for invitation in invitations:
            self.fields[f"attendance_{invitation.pk}"] = forms.ChoiceField(
                label=f"{invitation.person_display}, {invitation.agency}"
                + (f" ({invitation.role})" if invitation.role else ""),
                choices=Attendance.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=invitation.attendance,
                error_messages={"invalid_choice": "Select whether they attended"},
            )
            self.fields[f"version_{invitation.pk}"] = VersionField(initial=invitation.version)
        for who, label in (("young_person", "the young person"), ("family", "the family")):
            if getattr(meeting, f"{who}_invited"):
                was = as_yes_no(getattr(meeting, f"{who}_attended"))
                self.fields[f"{who}_attended"] = yes_no_field(f"Did {label} attend?")
                self.fields[f"{who}_attended"].initial = was
                self.fields[f"{who}_attended_was"] = forms.CharField(
                    widget=forms.HiddenInput, required=False, initial=was
                )
        self.helper.layout = self.get_layout()

    def get_layout(self) -> Layout:
        parts: list[Any] = []
        for invitation in getattr(self, "invitations", []):
            parts += [
                Field.radios(f"attendance_{invitation.pk}", inline=True),
                Field(f"version_{invitation.pk}"),
            ]
        family = [
            item
            for who in ("young_person", "family")
            if f"{who}_attended" in self.fields
            for item in (Field.radios(f"{who}_attended", inline=True), Field(f"{who}_attended_was"))
        ]
        if family:
            parts.append(
                Fieldset(*family, legend="The young person and the family", legend_size=Size.MEDIUM)
            )
        return Layout(*parts, Submit("submit", self.submit_label))

    def answers(self) -> list[services.AttendanceAnswer]:
        data = getattr(self, "cleaned_data", {})
        return [
            services.AttendanceAnswer(
                invitation=invitation,
                attendance=data.get(f"attendance_{invitation.pk}") or "",
                expected_version=data.get(f"version_{invitation.pk}") or 0,
            )
            for invitation in self.invitations
        ]

    def family(self) -> services.FamilyAttendance:
        data = getattr(self, "cleaned_data", {})
        return services.FamilyAttendance(
            young_person_attended=yes_no(data.get("young_person_attended")),
            young_person_attended_was=yes_no(data.get("young_person_attended_was")),
            family_attended=yes_no(data.get("family_attended")),
            family_attended_was=yes_no(data.get("family_attended_was")),
        )


class SectionForm(GovukForm):
    """One section of the minutes. "Not relevant because …" is an answer (G19)."""

    submit_label = "Save and continue"
    text = text_field(
        "What the meeting said",
        10,
        "If this does not apply to this young person, say why: “Not relevant because …”.",
    )
    version = VersionField()

    def __init__(self, *args: Any, section: MinutesSection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = section.title
        if not self.is_bound:
            self.initial.update({"text": section.text, "version": section.version})

    def get_layout(self) -> Layout:
        return Layout(
            Field.textarea("text", rows=10, label_size=Size.LARGE, label_tag="h1"),
            Field("version"),
            Submit("submit", self.submit_label),
        )


class OutcomeForm(GovukForm):
    """The outcome, exactly one of four (G21), and the parents and carers (G25)."""

    submit_label = "Save the outcome"
    outcome = forms.ChoiceField(
        label="What is the outcome of the meeting?",
        choices=MeetingOutcome.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select one of the four outcomes"},
    )
    planning_forum = forms.ChoiceField(
        label="If section 47 enquiries or emergency action: which is the planning forum?",
        choices=PlanningForum.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select the planning forum"},
    )
    outcome_notes = text_field(OUTCOME_TEXT_FIELDS["outcome_notes"], 3, "Optional.")
    parents_will_be_told = yes_no_field(
        "Will the parents or carers be told of the concerns and what action is being considered?",
        "Parents and carers should usually be told. A decision not to tell them is recorded "
        "with the reasons.",
    )
    parents_told_what = text_field(OUTCOME_TEXT_FIELDS["parents_told_what"], 3)
    parents_told_by = forms.CharField(
        label="Who will tell them?", help_text="Name and role.", max_length=200, required=False
    )
    parents_not_told_reason = text_field(OUTCOME_TEXT_FIELDS["parents_not_told_reason"], 3)
    version = VersionField()

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(
                {
                    "outcome": meeting.outcome,
                    "planning_forum": meeting.planning_forum,
                    "outcome_notes": meeting.outcome_notes,
                    "parents_will_be_told": as_yes_no(meeting.parents_will_be_told),
                    "parents_told_what": meeting.parents_told_what,
                    "parents_told_by": meeting.parents_told_by,
                    "parents_not_told_reason": meeting.parents_not_told_reason,
                    "version": meeting.version,
                }
            )

    def get_layout(self) -> Layout:
        return Layout(
            Fieldset(
                Field.radios("outcome"),
                Field.radios("planning_forum"),
                Field.textarea("outcome_notes", rows=3),
                legend="Outcome",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("parents_will_be_told", inline=True),
                HTML('<p class="govuk-body">If they will be told:</p>'),
                Field.textarea("parents_told_what", rows=3),
                Field.text("parents_told_by", field_width=Fluid.TWO_THIRDS),
                HTML('<p class="govuk-body">If they will not be told:</p>'),
                Field.textarea("parents_not_told_reason", rows=3),
                legend="Parents and carers",
                legend_size=Size.MEDIUM,
            ),
            Field("version"),
            Submit("submit", self.submit_label),
        )

    def answers(self) -> services.OutcomeAnswers:
        data = getattr(self, "cleaned_data", {})
        return services.OutcomeAnswers(
            outcome=data.get("outcome") or "",
            planning_forum=data.get("planning_forum") or "",
            outcome_notes=data.get("outcome_notes") or "",
            parents_will_be_told=yes_no(data.get("parents_will_be_told")),
            parents_told_what=data.get("parents_told_what") or "",
            parents_told_by=data.get("parents_told_by") or "",
            parents_not_told_reason=data.get("parents_not_told_reason") or "",
        )


class FinaliseForm(GovukForm):
    submit_label = "Finalise the minutes"
    version = VersionField()

    def get_layout(self) -> Layout:
        return Layout(Field("version"), Submit("submit", self.submit_label))


class AddendumForm(GovukForm):
    """A correction or addition to final minutes (G26)."""

    submit_label = "Add the addendum"
    place = forms.ChoiceField(
        label="Which part of the minutes is it about?",
        required=False,
        error_messages={"invalid_choice": "Select the part of the minutes"},
    )
    text = text_field(
        "Addendum",
        6,
        "The minutes stay as they were; this is shown beside them, with your name, agency and "
        "the time.",
    )
    creation_key = FormKeyField()

    def __init__(self, *args: Any, sections: list[MinutesSection], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            ("", "Select a part of the minutes"),
            ("details", ADDENDUM_PLACES["details"]),
            ("attendance", ADDENDUM_PLACES["attendance"]),
            *[(s.key, s.title) for s in sections],
            ("outcome", ADDENDUM_PLACES["outcome"]),
        ]
        field = self.fields["place"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        if not self.is_bound:
            self.fields["creation_key"].initial = uuid.uuid4()

    def get_layout(self) -> Layout:
        return Layout(
            Field.select("place"),
            Field.textarea("text", rows=6),
            Field("creation_key"),
            Submit("submit", self.submit_label),
        )
