from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import Participant, ParticipantRole
from core.forms import ThaiDateField, Time24Field

from .models import Meeting
from .services import MEETING_FIELDS


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """A file field that takes several files from one ``<input multiple>``."""

    widget = MultipleImageInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = list(MEETING_FIELDS)
        # Typed in the Buddhist Era (1/12/2569) or picked from the Thai calendar;
        # times on the 24-hour clock, never the device's AM/PM.
        field_classes = {"date": ThaiDateField, "start_time": Time24Field, "end_time": Time24Field}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = Participant.objects.filter(
            active=True, role__in=[ParticipantRole.EXECUTIVE, ParticipantRole.COUNCIL]
        )
        # The example in an empty end time is a meeting's end, not its start.
        self.fields["end_time"].widget.attrs["placeholder"] = "12:00"


class MeetingEditForm(MeetingForm):
    """The meeting form with the version of the meeting it showed, so a save from
    a form opened before someone else's save is refused."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_version(self) -> int | None:
        value = self.cleaned_data["version"]
        if not value:
            return None
        if not (value.isascii() and value.isdigit() and len(value) <= 9):
            # A hidden field's own error would not be shown; say it for the form.
            self.add_error(
                None,
                _(
                    "This form was sent in a shape it cannot be read in. Open the "
                    "meeting again and redo the change."
                ),
            )
            return None
        return int(value)


class PhotoUploadForm(forms.Form):
    images = MultipleImageField(
        label=_("Photos"),
        help_text=_("JPEG, PNG or WebP; several at once."),
        widget=MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)


class GuestForm(forms.Form):
    name = forms.CharField(
        label=_("Guest's name"),
        max_length=200,
        error_messages={
            "required": _("Write the guest's name."),
            "max_length": _(
                "The name is too long (at most %(limit_value)d characters, it has %(show_value)d)."
            ),
        },
    )
    position = forms.CharField(
        label=_("Position or organisation"),
        max_length=200,
        required=False,
        error_messages={
            "max_length": _(
                "The position is too long (at most %(limit_value)d characters, it has "
                "%(show_value)d)."
            ),
        },
    )


class SubItemForm(forms.Form):
    parent = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Sub-item title"), max_length=300)
