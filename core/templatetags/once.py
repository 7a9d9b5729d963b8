from django import template
from django.utils.html import format_html

from core import once

register = template.Library()


@register.simple_tag(takes_context=True)
def once_field(context):
    """The form's one-time token: the one it was sent with when it is shown again
    after a refusal, otherwise a new one."""
    request = context.get("request")
    token = (once.posted_token(request) if request is not None else "") or once.new_token()
    return format_html('<input type="hidden" name="{}" value="{}">', once.FIELD, token)
