import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from core.form_messages import NamedRequiredMixin
from core.phones import normalize_thai_phone

from .models import Profile, Role


class _RoleLinkFields(NamedRequiredMixin, forms.Form):
    # The choices are set in __init__: the department and community models are the
    # reference data's, reached through the profile's foreign keys.
    first_name = forms.CharField(label=_("first name"), max_length=150)
    last_name = forms.CharField(label=_("last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    department = forms.ModelChoiceField(
        label=_("department"),
        queryset=None,
        required=False,
        help_text=_("For secretariat staff, department officers and the follow-up team."),
    )
    community = forms.ModelChoiceField(
        label=_("community"),
        queryset=None,
        required=False,
        help_text=_("For community leaders."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        Department, Community = Profile.linked_models()
        self.fields["department"].queryset = Department.objects.exclude(
            kind=Department.Kind.EXTERNAL
        ).order_by("name_th")
        self.fields["community"].queryset = Community.objects.order_by("number")


class _NewPasswordFields(NamedRequiredMixin, forms.Form):
    password1 = forms.CharField(
        label=_("password"),
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("password again"),
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password2") != cleaned["password1"]:
            self.add_error("password2", _("The two passwords are not the same."))
        return cleaned


class UserCreateForm(_NewPasswordFields, _RoleLinkFields):
    username = forms.CharField(
        label=_("username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only, no spaces; used to log in."),
    )
    field_order = ["username", "first_name", "last_name", "role", "department", "community"]


class UserEditForm(_RoleLinkFields):
    pass


class PasswordResetForm(_NewPasswordFields):
    pass


class LoginForm(NamedRequiredMixin, AuthenticationForm):
    # Django's Thai text speaks of upper and lower case, which Thai does not have.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or password is not correct. Please try again."),
    }


# LINE's own rule for a LINE ID: 4 to 20 lower-case letters, digits, dots, hyphens
# and underscores.
LINE_ID_PATTERN = re.compile(r"[a-z0-9._-]{4,20}")


class OwnContactsForm(NamedRequiredMixin, forms.Form):
    """The contact data a person corrects themselves. A field left as it was is not
    checked again, so an old value typed some other way never blocks a change of
    another field; an empty field removes the value."""

    email = forms.EmailField(
        label=_("e-mail"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("phone"),
        required=False,
        max_length=50,
        help_text=_("A mobile (081-234-5678) or fixed line (032-511-047) number."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    line_id = forms.CharField(
        label=_("LINE ID"),
        required=False,
        max_length=100,
        help_text=_("The ID people search for to add you on LINE, if you want them to."),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )

    def __init__(self, *args, on_participant_list: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not on_participant_list:
            del self.fields["phone"]
            del self.fields["line_id"]

    def _unchanged(self, name: str, value: str) -> bool:
        return value == (self.initial.get(name) or "")

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        return value if self._unchanged("phone", value) else normalize_thai_phone(value)

    def clean_line_id(self):
        value = self.cleaned_data["line_id"].strip()
        if self._unchanged("line_id", value) or not value:
            return value
        value = value.lower()
        if not LINE_ID_PATTERN.fullmatch(value):
            raise forms.ValidationError(
                _(
                    "A LINE ID has 4 to 20 letters (a–z), digits, dots, hyphens or "
                    "underscores, with no spaces."
                )
            )
        return value
