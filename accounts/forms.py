from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import Profile, Role


class _RoleLinkFields(forms.Form):
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


class _NewPasswordFields(forms.Form):
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


class LoginForm(AuthenticationForm):
    # Django's Thai text speaks of upper and lower case, which Thai does not have.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or password is not correct. Please try again."),
    }
