"""A required field left empty is named in the message: กรุณาเลือก “หมวดหมู่”,
กรุณากรอก “เรื่อง”, never Django's own "ฟิลด์นี้จำเป็น" that does not say which."""

from django import forms
from django.utils.translation import gettext as _

DJANGO_REQUIRED = forms.Field.default_error_messages["required"]
CHOSEN = (forms.ChoiceField, forms.ModelChoiceField, forms.MultipleChoiceField)


def required_message(field: forms.Field) -> str:
    """Return the message for ``field`` left empty: choose it, or fill it in."""
    label = str(field.label or "").strip()
    if isinstance(field, CHOSEN):
        return _("Choose “%(field)s”.") % {"field": label}
    return _("Fill in “%(field)s”.") % {"field": label}


class NamedRequiredMixin:
    """Give each required field of the form that keeps Django's default message one
    that names it (a field's own message, such as "Write what is still not fixed.",
    is kept)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if str(field.error_messages.get("required")) == str(DJANGO_REQUIRED):
                field.error_messages["required"] = required_message(field)
