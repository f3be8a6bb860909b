"""Forms of the shared core, and the base every form of the portal builds on."""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fixed, Fluid, Layout, Size, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from cse_portal.models import Agency, Child, Gender, LocalAuthority, LookedAfterStatus, RiskGroup
from cse_portal.text import strip_invisible

MAX_TEXT = 10_000  # generous, but bounded: no request can fill the database with one field


if TYPE_CHECKING:
    # For the type checker the mixin is a form: it is only ever mixed into one (GovukForm,
    # GovukModelForm, SignInForm), which gives it `fields`, `errors` and `full_clean`.
    _MixedIntoForm = forms.BaseForm
else:
    _MixedIntoForm = object


class GovukFormMixin(_MixedIntoForm):
    """Attaches the crispy GOV.UK helper; the template renders `{% error_summary form %}`."""

    submit_label = "Save"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # templates own the <form> (and the CSRF token)
        self.helper.layout = self.get_layout()
        for field in self.fields.values():
            # Every text answer is bounded. Setting max_length after construction adds no
            # validator, so add it ourselves (UUID fields are CharFields that clean to UUIDs).
            if not isinstance(field, forms.CharField) or isinstance(field, forms.UUIDField):
                continue
            if field.max_length is None:
                field.max_length = MAX_TEXT
            if not any(isinstance(v, MaxLengthValidator) for v in field.validators):
                limit = field.max_length
                field.validators.append(
                    MaxLengthValidator(
                        limit, message=f"Keep this answer to {limit:,} characters or fewer"
                    )
                )
        _prepare_govuk_fields(cast(forms.BaseForm, self))

    def get_layout(self) -> Layout:
        return Layout(*self.fields, Submit("submit", self.submit_label))

    def full_clean(self) -> None:
        super().full_clean()
        # An error about a whole date (e.g. "must be under 18") belongs to the date's first
        # input: the error summary then links to the Day field, which can take focus, as the
        # GOV.UK pattern asks, instead of the wrapper <div>.
        for name, field in self.fields.items():
            subfields = getattr(field, "fields", None)
            if not subfields or name not in self.errors:
                continue
            if not any(getattr(sub.widget, "errors", None) for sub in subfields):
                subfields[0].widget.errors = list(self.errors[name])


def _prepare_govuk_fields(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if type(field.widget) is forms.NumberInput:
            # GOV.UK asks for a text input with a numeric keyboard, not type="number" (which
            # crispy-forms-gds leaves without the govuk-input class, and which changes its
            # value under a scroll wheel). The field still checks that it is a number.
            attrs = {k: v for k, v in field.widget.attrs.items() if k not in {"min", "max", "step"}}
            decimal = isinstance(field, (forms.FloatField, forms.DecimalField))
            keyboard = "decimal" if decimal else "numeric"
            field.widget = forms.TextInput(
                attrs={**attrs, "inputmode": keyboard, "spellcheck": "false"}
            )
            field.widget.is_required = field.required
    if form.is_bound:
        _strip_invisible_characters(form)


def _strip_invisible_characters(form: forms.BaseForm) -> None:
    """Single-line answers (names, references) lose invisible formatting characters, which
    could make one name display as another (cse_portal/text.py). Passwords keep theirs."""
    source = form.data
    # A request's QueryDict is immutable: its copy is not.
    data: Any = source.copy() if isinstance(source, MultiValueDict) else dict(source)
    multi = isinstance(data, MultiValueDict)
    for name, field in form.fields.items():
        if (
            not isinstance(field, forms.CharField)
            or isinstance(field, forms.UUIDField)
            or isinstance(field.widget, (forms.Textarea, forms.PasswordInput))
        ):
            continue
        key = form.add_prefix(name)
        if multi:
            data.setlist(key, [strip_invisible(v) for v in data.getlist(key)])
        elif isinstance(data.get(key), str):
            data[key] = strip_invisible(data[key])
    form.data = data


def add_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field where the form has it."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _year_has_four_numbers(noun: str, example: str) -> Any:
    def validate(value: str) -> None:
        if not re.fullmatch(r"[0-9]+", value):
            return  # the part's own validator has said so
        if len(value) < 4:
            raise ValidationError(f"The year of the {noun} must include 4 numbers")
        if len(value) > 4:
            raise ValidationError(f"Enter a real {noun}, for example {example}")

    return validate


class SafeDateField(DateInputField):
    """A GOV.UK date input (day, month, year) whose every error says what is wrong and how to
    fix it, in the GOV.UK pattern's words, and that never fails on what is typed in it:
    crispy-forms-gds' field passes Python's messages on ("day is out of range for month") and
    lets a 20-digit year through to date(), which raises OverflowError (a server error).

    `noun` names the date in the messages ("date of birth"); a date given in part is an error
    (not a date left out), as the pattern asks.
    """

    def __init__(self, *, noun: str = "date", example: str = "27 3 2012", **kwargs: Any):
        self.noun, self.example = noun, example
        real = f"Enter a real {noun}, for example {example}"

        def part(label: str, what: str, pattern: str) -> forms.CharField:
            return forms.CharField(
                label=label,
                error_messages={"incomplete": f"The {noun} must include {what}"},
                validators=[RegexValidator(pattern, real)],
            )

        year = part("Year", "a year", r"^[0-9]+$")
        year.validators.append(_year_has_four_numbers(noun, example))
        fields = (
            part("Day", "a day", r"^[0-9]{1,2}$"),
            part("Month", "a month", r"^[0-9]{1,2}$"),
            year,
        )
        # The grandparent's constructor: DateInputField's own would replace our parts.
        forms.MultiValueField.__init__(
            self,
            fields=fields,
            require_all_fields=False,
            error_messages={
                "required": f"Enter the {noun}",
                "incomplete": f"Enter the {noun}",
                "invalid": real,
            },
            **kwargs,
        )

    def compress(self, data_list: Any) -> date | None:
        day, month, year = data_list if data_list else (None, None, None)
        if not (day and month and year):
            return None
        try:
            return date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError) as error:
            # 31 2 2012, month 13, year 0: not a real date.
            raise ValidationError(
                f"Enter a real {self.noun}, for example {self.example}"
            ) from error


class FormKeyField(forms.UUIDField):
    """The hidden key that ties a POST to the page that showed the form, so that sending the
    form twice creates once. A key that is not a UUID (an altered page) counts as no key: an
    error on a hidden field would have nowhere to show."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except ValidationError:
            return None


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


class SignInForm(GovukFormMixin, AuthenticationForm):
    submit_label = "Sign in"
    error_messages = {
        # The same words whether the name exists or not: nothing to learn from a failure.
        "invalid_login": "Enter a correct username and password.",
        "inactive": "Enter a correct username and password.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username"
        self.fields["password"].label = "Password"
        self.helper.layout = Layout(
            Field.text("username", field_width=Fluid.ONE_HALF),
            Field.text("password", field_width=Fluid.ONE_HALF),
            Submit("submit", "Sign in"),
        )


class TokenForm(GovukForm):
    submit_label = "Continue"
    token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app.",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={
            "required": "Enter the 6-digit security code",
            "min_length": "Enter the 6-digit security code",
            "max_length": "Enter the 6-digit security code",
        },
    )

    def get_layout(self) -> Layout:
        return Layout(Field.text("token", field_width=Fixed.FIVE), Submit("submit", "Continue"))

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError("The security code must be 6 numbers")
        return token


class ChildSearchForm(GovukForm):
    q = forms.CharField(
        label="Search by name",
        max_length=100,
        required=False,
        help_text="First name, last name or a name the child is known by.",
    )

    def get_layout(self) -> Layout:
        return Layout(Field.text("q", field_width=Fluid.ONE_HALF), Submit("submit", "Search"))


class ChildForm(GovukModelForm):
    submit_label = "Save child's details"
    date_of_birth = SafeDateField(
        label="Date of birth",
        noun="date of birth",
        required=False,
        help_text="For example, 27 3 2012",
    )
    approximate_age = forms.IntegerField(
        label="Approximate age in years",
        help_text="When the date of birth is not known.",
        required=False,
        error_messages={
            "invalid": "Enter the approximate age as a number, for example 14",
            "min_value": "Enter an approximate age from 0 to 17",
            "max_value": "The child must be under 18: enter an approximate age from 0 to 17",
        },
        min_value=0,
        max_value=17,
    )
    risk_groups = forms.MultipleChoiceField(
        label="Groups at particular risk",
        help_text="Select all that apply. Looked-after status, age and gender are recorded above.",
        choices=RiskGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # A hidden key ties a POST to the form it came from: sending the form twice adds one child.
    creation_key = FormKeyField()

    class Meta:
        model = Child
        fields = [
            "is_identified",
            "first_name",
            "last_name",
            "known_as",
            "description",
            "date_of_birth",
            "approximate_age",
            "gender",
            "gender_description",
            "ethnicity",
            "address",
            "school_or_setting",
            "looked_after_status",
            "home_authority",
            "host_authority",
            "host_cse_lead_contact",
            "risk_groups",
        ]
        labels = {
            "is_identified": "Is the child identified?",
            "first_name": "First name",
            "last_name": "Last name",
            "description": "What is known about the child",
            "approximate_age": "Approximate age in years",
            "gender": "Gender",
            "gender_description": "How the child describes their gender (optional)",
            "ethnicity": "Ethnicity",
            "address": "Address",
            "school_or_setting": "School, college or setting",
            "looked_after_status": "Looked-after status",
            "home_authority": "Home local authority",
            "host_authority": "Host local authority (if placed in another area)",
        }
        widgets = {
            "is_identified": forms.RadioSelect(choices=[(True, "Yes"), (False, "No, not yet")]),
            "gender": forms.RadioSelect,
            "looked_after_status": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "address": forms.Textarea(attrs={"rows": 3}),
            "host_cse_lead_contact": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["is_identified"] = forms.TypedChoiceField(
            label="Is the child identified?",
            choices=[("True", "Yes"), ("False", "No, not yet")],
            coerce=lambda v: v == "True",
            widget=forms.RadioSelect,
            initial="True",
            help_text="A referral can be made about a child whose identity is not yet known.",
        )
        cast(forms.ChoiceField, self.fields["gender"]).choices = Gender.choices
        cast(
            forms.ChoiceField, self.fields["looked_after_status"]
        ).choices = LookedAfterStatus.choices
        for name, empty_label in [
            ("home_authority", "Select a local authority"),
            ("host_authority", "Not placed in another area"),
        ]:
            field = cast(forms.ModelChoiceField, self.fields[name])
            field.queryset = LocalAuthority.objects.all()
            field.empty_label = empty_label
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.initial["is_identified"] = str(self.instance.is_identified)
            if self.instance.date_of_birth is None and self.instance.approximate_age is not None:
                # Today's age: "about 12" recorded two years ago is "about 14" now. Saving it
                # unchanged keeps the date it was recorded (services.child_update).
                self.initial["approximate_age"] = self.instance.age
        else:
            self.fields["creation_key"].initial = uuid.uuid4()

    def get_layout(self) -> Layout:
        return Layout(
            Fieldset(
                Field.radios("is_identified", inline=True),
                Field.text("first_name", field_width=Fluid.ONE_HALF),
                Field.text("last_name", field_width=Fluid.ONE_HALF),
                Field.text("known_as", field_width=Fluid.ONE_HALF),
                Field.textarea("description"),
                legend="Who the child is",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field("date_of_birth"),
                Field.text("approximate_age", field_width=Fixed.TWO),
                Field.radios("gender"),
                Field.text("gender_description", field_width=Fluid.ONE_HALF),
                Field.select("ethnicity"),
                Field.textarea("address"),
                Field.text("school_or_setting", field_width=Fluid.ONE_HALF),
                legend="About the child",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("looked_after_status"),
                Field.select("home_authority"),
                Field.select("host_authority"),
                Field.textarea("host_cse_lead_contact"),
                legend="Care and placement",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.checkboxes("risk_groups"),
                legend="Groups at particular risk",
                legend_size=Size.MEDIUM,
            ),
            Field("version"),
            Field("creation_key"),
            Submit("submit", self.submit_label),
        )

    def clean_date_of_birth(self) -> date | None:
        dob: date | None = self.cleaned_data.get("date_of_birth")
        if dob is None:
            return None
        today = timezone.localdate()
        if dob > today:
            raise forms.ValidationError("Date of birth must be today or in the past")
        age = today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))
        if age >= 18:
            raise forms.ValidationError(
                "The child must be under 18 – this service is for children and young people, "
                "as the guidance covers; check the date of birth"
            )
        return dob

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        identified = data.get("is_identified", True)
        if identified and not (data.get("first_name") or data.get("last_name")):
            self.add_error("first_name", "Enter the child's first name or last name")
        if not identified and not (
            data.get("description") or data.get("first_name") or data.get("known_as")
        ):
            self.add_error(
                "description",
                "Describe what is known about the child (appearance, places, associates)",
            )
        if data.get("date_of_birth") and data.get("approximate_age") is not None:
            self.add_error(
                "approximate_age", "Give either a date of birth or an approximate age, not both"
            )
        home, host = data.get("home_authority"), data.get("host_authority")
        if home and host and home == host:
            self.add_error(
                "host_authority", "The host authority must differ from the home authority"
            )
        if host and data.get("looked_after_status") != LookedAfterStatus.LOOKED_AFTER:
            self.add_error(
                "host_authority", "A host authority applies only to a looked-after child"
            )
        if host and not (data.get("host_cse_lead_contact") or "").strip():
            self.add_error(
                "host_cse_lead_contact",
                "Enter the host authority's CSE lead contact for a child placed in another area",
            )
        return data

    def child_data(self) -> dict[str, Any]:
        """The cleaned values to hand to the service (the version is not a field of the child)."""
        return {k: v for k, v in self.cleaned_data.items() if k not in {"version", "creation_key"}}


class _AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name} ({obj.get_kind_display()}, {obj.local_authority})"


class ShareForm(GovukForm):
    submit_label = "Share record"
    agency = _AgencyChoiceField(
        label="Agency to share with",
        queryset=Agency.objects.none(),
        empty_label="Select an agency",
        error_messages={
            "required": "Select the agency to share the record with",
            "invalid_choice": (
                "Select an agency from the list: an agency already involved with the child "
                "is not listed"
            ),
        },
    )
    reason = forms.CharField(
        label="Why are you sharing this record?",
        help_text="This is shown on the child's record and in the access history.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why you are sharing this record"},
    )
    # A hidden key ties a POST to the form it came from: sending it twice shares once.
    share_key = FormKeyField()

    def __init__(self, *args: Any, child: Child, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        involved = child.involvements.filter(ended_at__isnull=True).values("agency")
        agency = cast(_AgencyChoiceField, self.fields["agency"])  # the field declared above
        agency.queryset = (
            Agency.objects.filter(is_active=True)
            .exclude(pk__in=involved)
            .select_related("local_authority")
        )
        self.fields["share_key"].initial = uuid.uuid4()

    def get_layout(self) -> Layout:
        return Layout(
            Field.select("agency"),
            Field.textarea("reason"),
            Field("share_key"),
            Submit("submit", "Share record"),
        )
