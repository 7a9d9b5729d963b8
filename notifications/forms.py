from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Mode


class PreferenceForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How do you want to hear of changes to your issues?"),
        choices=Mode.choices,
        widget=forms.RadioSelect,
    )
