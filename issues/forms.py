import re
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Department, IssueCategory
from core.form_messages import NamedRequiredMixin
from core.forms import ThaiDateField
from core.thaidates import format_date
from meetings.forms import MultipleImageField, MultipleImageInput
from meetings.models import Meeting

from .models import Issue, Outcome, Priority, Status, reference_parse

PHOTO_WIDGET = MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
# A leader reports from a phone: the camera opens at once, the gallery is a tap away.
CAMERA_WIDGET = MultipleImageInput(attrs={"accept": "image/*", "capture": "environment"})


def photos_field():
    return MultipleImageField(
        label=_("Photos"),
        required=False,
        help_text=_("JPEG, PNG or WebP; several at once."),
        widget=PHOTO_WIDGET,
    )


def target_reason_field():
    """Why a department's target date is not the category's (issues.services asks)."""
    return forms.CharField(
        label=_("Reason for this target date"),
        required=False,
        max_length=500,
        help_text=_("Needed when the date is not the category's target."),
    )


def camera_photos_field(label):
    return MultipleImageField(
        label=label,
        required=False,
        help_text=_("Up to 5 photos: take them with the phone's camera or choose them."),
        widget=CAMERA_WIDGET,
    )


class VersionedForm(NamedRequiredMixin, forms.Form):
    """Carries the version of the issue the user saw, so a stale form is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        # The version is hidden: a missing or changed one is told at the top of the
        # form, where the user sees it, and what they typed stays in the form.
        if "version" in self.errors:
            del self.errors["version"]
            self.version_refused = True
            self.add_error(
                None,
                _(
                    "The form did not say which version of the issue it was opened on, so "
                    "nothing was saved. Check the issue's current state and send the form again."
                ),
            )
        return super().clean()


class IssueForm(NamedRequiredMixin, forms.ModelForm):
    received_on = ThaiDateField(
        label=_("Received on"),
        required=False,
        help_text=_(
            "For an issue raised at a meeting: the meeting's date, unless you change it. "
            "Otherwise today."
        ),
    )

    # The date received sits beside the meeting it defaults from.
    field_order = [
        "community",
        "category",
        "title",
        "description",
        "location_text",
        "latitude",
        "longitude",
        "meeting",
        "received_on",
    ]

    class Meta:
        model = Issue
        fields = [
            "community",
            "category",
            "title",
            "description",
            "location_text",
            "latitude",
            "longitude",
            "meeting",
            "raised_by",
            "department",
            "follow_up_team",
            "priority",
            "target_date",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"target_date": ThaiDateField}
        help_texts = {
            "department": _("Leave empty to route by the category's default department."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.filter(active=True)
        self.fields["category"].queryset = IssueCategory.objects.filter(active=True).select_related(
            "default_department"
        )
        # A required choice starts empty: a forgotten one is asked for, not filed
        # under the first community or category.
        self.fields["community"].empty_label = _("— choose —")
        self.fields["category"].empty_label = _("— choose —")
        self.fields["department"].queryset = Department.objects.filter(active=True).exclude(
            kind=Department.Kind.EXTERNAL
        )
        # The optional choices say what leaving them empty means, not Django's dashes.
        self.fields["department"].empty_label = _("— by the category —")
        self.fields["meeting"].queryset = Meeting.objects.exclude(
            status=Meeting.Status.PUBLISHED
        ).order_by("-date")
        self.fields["meeting"].empty_label = _("— not raised at a meeting —")

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError(
                _("The date received cannot be later than today (%(today)s).")
                % {"today": format_date(timezone.localdate())}
            )
        return day


# A coordinate as a browser gives it: digits, a point, more digits.
COORDINATE = re.compile(r"-?[0-9]{1,3}(\.[0-9]{1,20})?")
COORDINATE_PLACES = Decimal("0.000001")  # what the issue keeps: about 10 cm


def _coordinate(text: str, limit: int) -> Decimal | None:
    """Return ``text`` as a coordinate within ±``limit``, rounded to what an issue
    keeps, or ``None`` when it is not one."""
    text = text.strip()
    if not COORDINATE.fullmatch(text):
        return None
    value = Decimal(text).quantize(COORDINATE_PLACES, rounding=ROUND_HALF_UP)
    return value if -limit <= value <= limit else None


class SubmitForm(forms.ModelForm):
    """A leader's report from a phone: what, where (in words, from the phone's
    location, or a pin on the map) and photos. The coordinates are hidden fields the
    page's script fills; nobody types numbers."""

    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    photos = camera_photos_field(_("Photos"))

    class Meta:
        model = Issue
        fields = ["category", "title", "description", "location_text", "latitude", "longitude"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "location_text": _("A place people know: a soi, a house number, a landmark."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = IssueCategory.objects.filter(active=True)
        self.fields["category"].empty_label = _("— choose —")
        self.fields["description"].required = True
        # Django's "This field is required." names no field; say which, in Thai.
        for field in self.fields.values():
            message = (
                gettext("Choose “%(field)s”.")
                if isinstance(field, forms.ModelChoiceField)
                else gettext("Fill in “%(field)s”.")
            )
            field.error_messages["required"] = message % {"field": field.label}

    def clean(self):
        cleaned = super().clean()
        latitude = (self.data.get(self.add_prefix("latitude")) or "").strip()
        longitude = (self.data.get(self.add_prefix("longitude")) or "").strip()
        cleaned["latitude"] = cleaned["longitude"] = None
        if latitude or longitude:
            lat, lng = _coordinate(latitude, 90), _coordinate(longitude, 180)
            if lat is None or lng is None:
                # Hidden fields: the message goes at the top, where it is seen.
                self.add_error(
                    None,
                    gettext(
                        "The position from the phone could not be read, so nothing was sent. "
                        "Press “Use my current location” again or place the pin on the map, "
                        "or clear the position and describe the place in words."
                    ),
                )
            else:
                cleaned["latitude"], cleaned["longitude"] = lat, lng
        return cleaned


class UpdateForm(VersionedForm):
    to_status = forms.ChoiceField(label=_("New status"), required=False)
    note = forms.CharField(
        label=_("Progress note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_public = forms.BooleanField(
        label=_("Visible to the community"), required=False, initial=True
    )
    target_date = ThaiDateField(label=_("Target date"), required=False)
    target_reason = target_reason_field()
    duplicate_of = forms.CharField(
        label=_("Duplicate of (reference)"),
        required=False,
        max_length=20,
        help_text=_("For example 2569-0042"),
    )
    referred_to = forms.ModelChoiceField(
        label=_("Referred to"),
        required=False,
        queryset=Department.objects.filter(kind=Department.Kind.EXTERNAL, active=True),
        empty_label="—",
    )
    outcome = forms.ChoiceField(
        label=_("Outcome (when closing)"),
        required=False,
        choices=[("", "—"), *Outcome.choices],
        help_text=_("Closed is not the same as fixed: say what closing achieved."),
    )
    outcome_agency = forms.ModelChoiceField(
        label=_("Agency responsible (when it is another agency's)"),
        required=False,
        queryset=Department.objects.filter(kind=Department.Kind.EXTERNAL, active=True),
        empty_label="—",
    )
    outcome_note = forms.CharField(
        label=_("Reason (when not fixed or partly fixed)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    photos = photos_field()

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [("", _("— no change, progress only —"))] + [
            (value, Status(value).label) for value in targets
        ]
        # Ask only for what a move this user can make needs.
        if Status.DUPLICATE not in targets:
            del self.fields["duplicate_of"]
        if Status.REFERRED not in targets:
            del self.fields["referred_to"]
        if Status.CLOSED not in targets:
            for name in ("outcome", "outcome_agency", "outcome_note"):
                del self.fields[name]

    def clean_target_date(self):
        value = self.cleaned_data["target_date"]
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("A target date cannot be in the past."))
        return value

    def clean_duplicate_of(self):
        text = self.cleaned_data["duplicate_of"].strip()
        if not text:
            return None
        reference = reference_parse(text)
        issue = None
        if reference is not None:
            issue = Issue.objects.filter(fiscal_year=reference[0], number=reference[1]).first()
        if issue is None:
            raise forms.ValidationError(_("No issue has the reference %(ref)s.") % {"ref": text})
        return issue


class RouteForm(VersionedForm):
    department = forms.ModelChoiceField(
        label=_("Responsible department"),
        queryset=Department.objects.filter(active=True).exclude(kind=Department.Kind.EXTERNAL),
        empty_label=_("— choose —"),
    )
    follow_up_team = forms.BooleanField(label=_("Follow-up team involved"), required=False)
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Priority.choices, coerce=int)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class BulkRouteForm(forms.Form):
    """The department the ticked issues of the list are sent to."""

    department = forms.ModelChoiceField(
        label=_("Send the ticked issues to"),
        queryset=Department.objects.filter(active=True).exclude(kind=Department.Kind.EXTERNAL),
        empty_label=_("— choose —"),
        error_messages={"required": _("Choose the department to send the issues to.")},
    )


class AcceptForm(VersionedForm):
    """The department takes the issue up ("ตอบรับเรื่อง"), with the target date it gives."""

    target_date = ThaiDateField(label=_("Target date"), required=False)
    target_reason = target_reason_field()
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The community sees it, as it sees that the issue was accepted."),
    )


class HandBackForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why is this not your department's work?"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SurveyForm(VersionedForm):
    survey_date = ThaiDateField(label=_("Survey date"))
    team_members = forms.CharField(label=_("Team members"), max_length=500)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))
    recommendation = forms.CharField(
        label=_("Recommendation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photos = photos_field()


class ConfirmForm(VersionedForm):
    meeting = forms.ModelChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.exclude(status=Meeting.Status.PUBLISHED).order_by("date"),
        empty_label=_("— choose —"),
    )


class ConfirmFixForm(VersionedForm):
    """A leader's "it is fixed": nothing to type but the version seen."""


class DisputeFixForm(VersionedForm):
    """A leader's "it is not fixed", with what is still wrong and photos of it."""

    reason = forms.CharField(
        label=_("What is still not fixed?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write what is still not fixed.")},
    )
    photos = camera_photos_field(_("Photos of the problem now"))
