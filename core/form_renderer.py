"""The form renderer: Django's, with its commonest widget templates written in Python.

A select of the forty-two communities is forty-three template includes, each with
its attributes' own include: the issue list's filters spent a fifth of the page's
time there. For the templates below, whose output is plain (an input, a select and
its options, a textarea, a choice of a checkbox or radio group), ``render`` builds
the same text directly, with the template language's escaping.

Each is used only while the template Django would load has exactly the source it was
written from (``SOURCES``): a Django upgrade or an app that overrides one falls back
to the template. So does any value the template language would treat in its own way
(a callable, a number it would localise, an option group), so that the output is
always the template's. ``tests/core/test_form_renderer.py`` renders the project's
forms both ways and compares them.
"""

import operator

from django.forms.renderers import DjangoTemplates
from django.template import TemplateDoesNotExist
from django.utils.functional import Promise, cached_property
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData


class _Unsupported(Exception):
    """A value this module does not write as the template would: use the template."""


def _text(value) -> str:
    """``{{ value }}``: a string, escaped unless it is safe."""
    if isinstance(value, str):
        return conditional_escape(value)
    if isinstance(value, Promise):  # a lazy translation
        return conditional_escape(str(value))
    raise _Unsupported


def _formatted(value) -> str:
    """``{{ value|stringformat:'s' }}``: any value as ``%s``, escaped unless safe."""
    if callable(value):
        raise _Unsupported
    text = str(value) if isinstance(value, tuple) else value
    try:
        text = "%s" % text  # noqa: UP031 (the filter's own formatting)
    except (ValueError, TypeError):
        text = ""
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs) -> str:
    """``django/forms/widgets/attrs.html``."""
    if type(attrs) is not dict or "items" in attrs:
        raise _Unsupported
    parts = []
    for name, value in attrs.items():
        if callable(value):
            raise _Unsupported
        if value is not False:
            parts.append(" " + _text(name))
            if value is not True:
                parts.append('="' + _formatted(value) + '"')
    return "".join(parts)


def _input(widget) -> str:
    """``django/forms/widgets/input.html``."""
    value = widget["value"]
    if callable(value):
        raise _Unsupported
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        + (f' value="{_formatted(value)}"' if operator.ne(value, None) else "")
        + _attrs(widget["attrs"])
        + ">\n"
    )


def _input_template(context) -> str:
    return _input(context["widget"])


def _input_option(context) -> str:
    """``django/forms/widgets/input_option.html`` (checkbox and radio choices)."""
    widget = context["widget"]
    wrap_label = widget.get("wrap_label")
    if callable(wrap_label):
        raise _Unsupported
    if not wrap_label:
        return _input(widget) + "\n"
    label_id = widget["attrs"].get("id")
    if callable(label_id):
        raise _Unsupported
    label_for = f' for="{_text(label_id)}"' if label_id else ""
    return f"<label{label_for}>{_input(widget)} {_text(widget['label'])}</label>\n"


SELECT_OPTION = "django/forms/widgets/select_option.html"


def _option(option) -> str:
    return (
        f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_text(option['label'])}</option>\n"
    )


def _select(context) -> str:
    """``django/forms/widgets/select.html``, without option groups."""
    widget = context["widget"]
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name or callable(group_name):
            raise _Unsupported
        for option in group_choices:
            if option.get("template_name") != SELECT_OPTION:
                raise _Unsupported
            parts.append("\n  ")
            parts.append(_option(option))
    parts.append("\n</select>\n")
    return "".join(parts)


def _select_option(context) -> str:
    return _option(context["widget"])


def _textarea(context) -> str:
    """``django/forms/widgets/textarea.html``."""
    widget = context["widget"]
    value = widget["value"]
    if callable(value):
        raise _Unsupported
    return (
        f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        + (_text(value) if value else "")
        + "</textarea>\n"
    )


_INCLUDE_INPUT = '{% include "django/forms/widgets/input.html" %}\n'
_INCLUDE_INPUT_OPTION = '{% include "django/forms/widgets/input_option.html" %}\n'
_ATTRS = '{% include "django/forms/widgets/attrs.html" %}'

# Each template written here: the source it was written from, and its function.
SOURCES = {
    "django/forms/widgets/input.html": (
        '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %}'
        " value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}" + _ATTRS + ">\n",
        _input_template,
    ),
    **{
        f"django/forms/widgets/{name}.html": (_INCLUDE_INPUT, _input_template)
        for name in (
            "text",
            "number",
            "email",
            "url",
            "password",
            "hidden",
            "checkbox",
            "search",
            "tel",
            "date",
            "datetime",
            "time",
            "color",
        )
    },
    "django/forms/widgets/input_option.html": (
        "{% if widget.wrap_label %}<label{% if widget.attrs.id %}"
        ' for="{{ widget.attrs.id }}"{% endif %}>{% endif %}'
        '{% include "django/forms/widgets/input.html" %}'
        "{% if widget.wrap_label %} {{ widget.label }}</label>{% endif %}\n",
        _input_option,
    ),
    "django/forms/widgets/checkbox_option.html": (_INCLUDE_INPUT_OPTION, _input_option),
    "django/forms/widgets/radio_option.html": (_INCLUDE_INPUT_OPTION, _input_option),
    "django/forms/widgets/select.html": (
        '<select name="{{ widget.name }}"' + _ATTRS + ">"
        "{% for group_name, group_choices, group_index in widget.optgroups %}"
        '{% if group_name %}\n  <optgroup label="{{ group_name }}">{% endif %}'
        "{% for option in group_choices %}\n"
        "  {% include option.template_name with widget=option %}{% endfor %}"
        "{% if group_name %}\n  </optgroup>{% endif %}{% endfor %}\n</select>\n",
        _select,
    ),
    SELECT_OPTION: (
        "<option value=\"{{ widget.value|stringformat:'s' }}\"" + _ATTRS + ">"
        "{{ widget.label }}</option>\n",
        _select_option,
    ),
    "django/forms/widgets/textarea.html": (
        '<textarea name="{{ widget.name }}"' + _ATTRS + ">\n"
        "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>\n",
        _textarea,
    ),
}
_INPUT = "django/forms/widgets/input.html"
_INPUT_OPTION = "django/forms/widgets/input_option.html"
# The templates each one includes (besides the attributes'), directly or not.
_INCLUDES = {
    **{name: (_INPUT,) for name, (source, _f) in SOURCES.items() if source == _INCLUDE_INPUT},
    _INPUT_OPTION: (_INPUT,),
    "django/forms/widgets/checkbox_option.html": (_INPUT_OPTION, _INPUT),
    "django/forms/widgets/radio_option.html": (_INPUT_OPTION, _INPUT),
    "django/forms/widgets/select.html": (SELECT_OPTION,),
}
ATTRS_TEMPLATE = "django/forms/widgets/attrs.html"
ATTRS_SOURCE = (
    "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
    "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}"
    "{% endfor %}"
)


class FormRenderer(DjangoTemplates):
    """Django's default renderer, with the templates of ``SOURCES`` in Python."""

    def _source(self, template_name: str) -> str | None:
        try:
            return self.get_template(template_name).template.source
        except TemplateDoesNotExist:
            return None

    @cached_property
    def fast_templates(self) -> dict:
        """The templates written here whose sources, and those of the templates they
        include, are those they were written from."""
        if self._source(ATTRS_TEMPLATE) != ATTRS_SOURCE:
            return {}
        same = {
            name for name, (source, _function) in SOURCES.items() if self._source(name) == source
        }
        return {
            name: function
            for name, (_source, function) in SOURCES.items()
            if name in same and all(included in same for included in _INCLUDES.get(name, ()))
        }

    def render(self, template_name, context, request=None):
        function = self.fast_templates.get(template_name)
        if function is not None:
            try:
                return function(context).strip()
            except (_Unsupported, KeyError):
                pass
        return super().render(template_name, context, request=request)
