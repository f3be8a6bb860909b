"""Forms of children's social care's response: the acknowledgement, the decision and the
looked-after notice. They convert the answers (choices, officers, a date and a time); what
the answers must be is the service's rule (`referrals.services.*_problems`), so a field the
service checks is not required here."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any, cast

from crispy_forms_gds.layout import Field, Fieldset, Fixed, Fluid, Layout, Size, Submit
from django import forms

from cse_portal.forms import GovukForm
from cse_portal.models import Officer
from cse_portal.working_days import LONDON
from referrals import services
from referrals.forms.common import OfferedOfficerField, RealDateField
from referrals.models import InformMethod, Outcome, Referral
from referrals.selectors import csc_officers, iro_officers
from referrals.services import DECIDING_ROLES


def _offer(form: forms.BaseForm, name: str, officers: Any) -> None:
    cast(forms.ModelChoiceField, form.fields[name]).queryset = officers


class AcknowledgementForm(GovukForm):
    submit_label = "Send acknowledgement to the referrer"

    message = forms.CharField(
        label="Confirmation to the referrer",
        help_text="Confirm that the referral has been received. The referrer sees this text.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    action_being_taken = forms.CharField(
        label="What action is being taken",
        help_text="For example: allocated to a social worker; a decision will be made by the "
        "time shown.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def get_layout(self) -> Layout:
        return Layout(
            Field.textarea("message", rows=4),
            Field.textarea("action_being_taken", rows=4),
            Submit("submit", self.submit_label),
        )

    def answers(self) -> dict[str, Any]:
        """The service's arguments, from the input that converted."""
        data = self.cleaned_data
        return {
            "message": data.get("message") or "",
            "action_being_taken": data.get("action_being_taken") or "",
        }


YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(value: Any) -> bool | None:
    return {"yes": True, "no": False}.get(str(value or ""))


def _acknowledgement_fields() -> dict[str, forms.Field]:
    form = AcknowledgementForm()
    return {name: form.fields[name] for name in ("message", "action_being_taken")}


def default_acknowledgement_message(referral: Referral) -> str:
    return (
        f"We have received your CSE1 referral {referral.reference} about "
        f"{referral.child.display_name}."
    )


class DecisionForm(GovukForm):
    """Exactly one of the three decisions the guidance allows (G09), approved by a team
    manager: the one signed in, or another, verbally (the record says which). On a referral
    naming an identified person of concern, CSC's judgement of the evidence (G10). When the
    acknowledgement has not been sent, it is sent with the decision (G07)."""

    submit_label = "Record decision"
    together_label = "Send the acknowledgement and record the decision"
    ORDER = (
        "message",
        "action_being_taken",
        "person_well_evidenced",
        "evidence_judged_by",
        "outcome",
        "threshold_not_met_reason",
        "rationale",
        "decided_by",
        "approved_by",
    )

    outcome = forms.ChoiceField(
        label="Decision",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select one of the three decisions"},
    )
    threshold_not_met_reason = forms.CharField(
        label="If the threshold is not met: why is the threshold for children's social care "
        "not met?",
        help_text="Needed if you decide the threshold is not met: this referral names an "
        "identified person of concern, so it meets, or may meet, the strategy-meeting "
        "threshold. The referrer sees this reason.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    rationale = forms.CharField(
        label="Reasons for the decision",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    person_well_evidenced = forms.ChoiceField(
        label="Is the concern about an identified person of concern sufficiently well evidenced?",
        help_text="If it is, the referral meets the strategy-meeting threshold and a "
        "multi-agency strategy meeting should be held.",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    evidence_judged_by = OfferedOfficerField(
        Officer.objects.none(),
        label="Who judged the evidence",
        empty_label="Select the social worker or team manager",
    )
    decided_by = OfferedOfficerField(
        Officer.objects.none(),
        label="Social worker who made the decision",
        empty_label="Select the social worker",
    )
    approved_by = OfferedOfficerField(
        Officer.objects.none(),
        label="Team manager who approved the decision verbally",
        help_text="You are recording their approval for them: the record will say it was "
        "given verbally and recorded by you.",
        empty_label="Select the team manager",
    )

    def __init__(self, *args: Any, referral: Referral, officer: Officer, **kwargs: Any) -> None:
        self.referral = referral
        self.together = referral.acknowledgement_or_none is None
        self.asks_evidence = services.asks_whether_person_well_evidenced(referral)
        self.asks_threshold_reason = referral.names_identified_person
        super().__init__(*args, **kwargs)
        self._fit_to(referral, officer)

    def _fit_to(self, referral: Referral, officer: Officer) -> None:
        deciders = csc_officers(referral.to_agency_id, DECIDING_ROLES)
        _offer(self, "decided_by", deciders)
        _offer(self, "evidence_judged_by", deciders)
        _offer(self, "approved_by", csc_officers(referral.to_agency_id, ("team_manager",)))
        if officer.role == Officer.Role.TEAM_MANAGER:
            self.fields["approved_by"].label = "Team manager who approved the decision"
            self.fields["approved_by"].help_text = (
                "Select yourself to approve it now, signed in. If another team manager "
                "approved it verbally, select them: the record will say so."
            )
        if not self.asks_evidence:
            del self.fields["person_well_evidenced"], self.fields["evidence_judged_by"]
        if not self.asks_threshold_reason:
            del self.fields["threshold_not_met_reason"]
        if self.together:
            self.fields.update(_acknowledgement_fields())
            self.fields["message"].initial = default_acknowledgement_message(referral)
            self.submit_label = self.together_label
        if not self.is_bound and deciders.filter(pk=officer.pk).exists():
            self.fields["decided_by"].initial = officer.pk
            if self.asks_evidence:
                self.fields["evidence_judged_by"].initial = officer.pk
        # In the order of the page, so the error summary lists the problems in that order.
        self.fields = {name: self.fields[name] for name in self.ORDER if name in self.fields}
        self.helper.layout = self.get_layout()

    def clean_outcome(self) -> str:
        # Radios send one value; a crafted request with two would otherwise keep the last.
        getlist = getattr(self.data, "getlist", None)
        if getlist is not None and len(getlist(self.add_prefix("outcome"))) > 1:
            raise forms.ValidationError("Select only one decision")
        return str(self.cleaned_data["outcome"])

    def get_layout(self) -> Layout:
        parts: list[Any] = []
        if self.together:
            parts.append(
                Fieldset(
                    Field.textarea("message", rows=4),
                    Field.textarea("action_being_taken", rows=4),
                    legend="Acknowledgement to the referrer",
                    legend_size=Size.MEDIUM,
                )
            )
        if self.asks_evidence:
            parts += [
                Field.radios("person_well_evidenced", legend_size=Size.MEDIUM, inline=True),
                Field.select("evidence_judged_by"),
            ]
        parts.append(Field.radios("outcome", legend_size=Size.MEDIUM))
        if self.asks_threshold_reason:
            parts.append(Field.textarea("threshold_not_met_reason", rows=4))
        parts += [
            Field.textarea("rationale", rows=6),
            Field.select("decided_by"),
            Field.select("approved_by"),
            Submit("submit", self.submit_label),
        ]
        return Layout(*parts)

    def acknowledgement(self) -> services.Acknowledgement | None:
        if not self.together:
            return None
        data = self.cleaned_data
        return services.Acknowledgement(
            data.get("message") or "", data.get("action_being_taken") or ""
        )

    def answers(self) -> dict[str, Any]:
        """The service's arguments, from the input that converted."""
        data = self.cleaned_data
        return {
            "outcome": data.get("outcome") or "",
            "rationale": data.get("rationale") or "",
            "decided_by": data.get("decided_by"),
            "approved_by": data.get("approved_by"),
            "person_well_evidenced": _yes_no(data.get("person_well_evidenced")),
            "evidence_judged_by": data.get("evidence_judged_by"),
            "threshold_not_met_reason": data.get("threshold_not_met_reason") or "",
            "acknowledgement": self.acknowledgement(),
        }


_TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")


class LookedAfterNoticeForm(GovukForm):
    """G11: who was informed (team manager and IRO), when and how."""

    submit_label = "Record that they were informed"

    team_manager = OfferedOfficerField(
        Officer.objects.none(), label="Team manager informed", empty_label="Select the team manager"
    )
    iro = forms.ModelChoiceField(
        label="Independent reviewing officer (IRO) informed",
        queryset=Officer.objects.none(),
        required=False,
        empty_label="Not listed — enter the name below",
        error_messages={"invalid_choice": "Select the IRO you informed"},
    )
    iro_name = forms.CharField(label="IRO's name, if not listed", max_length=200, required=False)
    informed_on = RealDateField(label="Date they were informed", help_text="For example, 27 3 2026")
    informed_time = forms.CharField(
        label="Time",
        max_length=5,
        help_text="Use the 24-hour clock, for example 14:30",
        error_messages={"required": "Enter the time, for example 14:30"},
    )
    method = forms.ChoiceField(
        label="How were they informed?",
        choices=InformMethod.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    bring_lac_review_forward = forms.ChoiceField(
        label="Did the team manager and the IRO agree to bring the LAC review forward?",
        help_text="The guidance asks them to discuss this at once, and if so whether to "
        "combine it with the strategy meeting.",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    combine_with_strategy_meeting = forms.ChoiceField(
        label="If it is brought forward: will the LAC review be combined with the strategy "
        "meeting?",
        help_text="Leave this unanswered if the review is not brought forward.",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    detail = forms.CharField(
        label="Notes (optional)",
        help_text="For example, why the review is or is not brought forward, or who will "
        "chair the meeting.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer(self, "team_manager", csc_officers(referral.to_agency_id, ("team_manager",)))
        _offer(self, "iro", iro_officers(referral))
        self.fields["informed_on"].error_messages.update(
            {
                "required": "Enter the date they were informed",
                "incomplete": "Enter the date they were informed",
            }
        )

    def get_layout(self) -> Layout:
        return Layout(
            Field.select("team_manager"),
            Field.select("iro"),
            Field.text("iro_name", field_width=Fluid.ONE_HALF),
            Field("informed_on"),
            Field.text("informed_time", field_width=Fixed.FIVE),
            Field.radios("method"),
            Field.radios("bring_lac_review_forward", inline=True),
            Field.radios("combine_with_strategy_meeting", inline=True),
            Field.textarea("detail", rows=3),
            Submit("submit", self.submit_label),
        )

    def clean_informed_time(self) -> time:
        match = _TIME.match(self.cleaned_data.get("informed_time") or "")
        if not match:
            raise forms.ValidationError("Enter the time using the 24-hour clock, like 14:30")
        return time(int(match.group(1)), int(match.group(2)))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, at = data.get("informed_on"), data.get("informed_time")
        if isinstance(day, date) and isinstance(at, time):
            data["informed_at"] = datetime.combine(day, at, tzinfo=LONDON)
        return data

    def answers(self) -> dict[str, Any]:
        """The service's arguments, from the input that converted (`informed_at` is None when
        the date or the time did not)."""
        data = self.cleaned_data
        return {
            "team_manager": data.get("team_manager"),
            "informed_at": data.get("informed_at"),
            "method": data.get("method") or "",
            "iro": data.get("iro"),
            "iro_name": data.get("iro_name") or "",
            "bring_lac_review_forward": _yes_no(data.get("bring_lac_review_forward")),
            "combine_with_strategy_meeting": _yes_no(data.get("combine_with_strategy_meeting")),
        }
