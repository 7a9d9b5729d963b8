"""The form renderer writes what Django's templates write, on every page.

``core.form_renderer`` builds the commonest widgets in Python; Django's own renderer
(``DjangoTemplates``) is the reference: each widget and each page's HTML must be the
same, byte for byte, with either."""

import re

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from core.form_renderer import SOURCES, FormRenderer
from tests.test_permission_matrix import FIXTURES, TABLE, objects  # noqa: F401 (fixture)

REFERENCE = "django.forms.renderers.DjangoTemplates"
CHOICES = [
    ("", "ทั้งหมด"),
    ("a", "<ก & ข>"),
    ("b", mark_safe("<em>ปลอดภัย</em>")),
    ("c", gettext_lazy("Status")),
    (3, "สาม"),
    ("q\"'", "อัญประกาศ"),
]


class Sample(forms.Form):
    text = forms.CharField(
        widget=forms.TextInput(
            attrs={
                "placeholder": '<พิมพ์> "ที่นี่"',
                "required_hint": True,
                "hidden_flag": False,
                "data-safe": mark_safe("<b>"),
                "data-none": None,
                "data-tuple": (1, 2),
                "data-number": 1234567,
                "aria-label": gettext_lazy("Search"),
            }
        )
    )
    number = forms.IntegerField(required=False)
    decimal = forms.DecimalField(required=False, localize=True)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    email = forms.EmailField(required=False)
    password = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    tick = forms.BooleanField(required=False)
    note = forms.CharField(widget=forms.Textarea, required=False)
    pick = forms.ChoiceField(choices=CHOICES, required=False)
    picks = forms.MultipleChoiceField(choices=CHOICES, required=False)
    boxes = forms.MultipleChoiceField(
        choices=CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    radio = forms.ChoiceField(choices=CHOICES, required=False, widget=forms.RadioSelect)
    grouped = forms.ChoiceField(
        choices=[("ภาค", [("n", "เหนือ"), ("s", "<ใต้>")]), ("x", "อื่น")], required=False
    )
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)


DATA = [
    None,
    {},
    {
        "text": "<script>alert('x')</script>",
        "number": "12",
        "decimal": "1234.5",
        "hidden": 'a"b',
        "email": "not-an-email",
        "password": "<secret>",
        "tick": "on",
        "note": "บรรทัดหนึ่ง\n<บรรทัดสอง> & ",
        "pick": "a",
        "picks": ["b", "3"],
        "boxes": ["", "c", "q\"'"],
        "radio": "3",
        "grouped": "s",
        "date": "2026-12-01",
    },
]


def _render_all(form, renderer) -> list[str]:
    """Every way a template renders a field: whole, and each choice as a tag or with
    its label."""
    form.renderer = renderer
    out = []
    for field in form:
        out.append(str(field))
        out.append(field.as_widget(attrs={"aria-describedby": "help <1>"}))
        out.extend(str(choice) for choice in field)
        out.extend(choice.tag() for choice in field)
        out.extend(choice.tag(wrap_label=True) for choice in field)
    return out


@pytest.mark.parametrize("data", DATA)
def test_each_widget_is_written_as_the_templates_write_it(data):
    fast, reference = FormRenderer(), DjangoTemplates()
    assert set(fast.fast_templates) == set(SOURCES), "a template no longer matches its source"
    assert _render_all(Sample(data), fast) == _render_all(Sample(data), reference)


def test_a_template_that_differs_from_its_source_is_rendered_by_the_template(monkeypatch):
    """An upgraded or overridden template is not written in Python from the old one."""
    renderer = FormRenderer()
    real = renderer._source
    monkeypatch.setattr(
        renderer,
        "_source",
        lambda name: "changed" if name == "django/forms/widgets/input.html" else real(name),
    )
    fast = renderer.fast_templates
    assert "django/forms/widgets/input.html" not in fast
    # Every template that includes it falls back too; the select does not include it.
    assert "django/forms/widgets/text.html" not in fast
    assert "django/forms/widgets/checkbox_option.html" not in fast
    assert "django/forms/widgets/select.html" in fast
    assert _render_all(Sample(DATA[2]), renderer) == _render_all(Sample(DATA[2]), DjangoTemplates())


def test_the_project_uses_it():
    assert settings.FORM_RENDERER == "core.form_renderer.FormRenderer"
    assert isinstance(get_default_renderer(), FormRenderer)


# Each render signs the CSRF token anew, and a form's one-time token is new each time.
VARYING = re.compile(r'(name="(?:csrfmiddlewaretoken|once)" value=")[^"]*(")')
# Pages that are not HTML (PDFs, CSV, photos, downloads) or redirect.
NOT_PAGES = ("pdf", "export", "file", "download", "line_login", "line_callback", "set_language")
EXTRA_QUERIES = {
    "issues:list": [
        "?q=ถนน&status=forwarded&status=closed&community=1&overdue=on&sort=-received",
        "?community=99999&fiscal_year=abc",
    ],
    "issues:worklist": ["?status=forwarded&community=1", "?category=99999"],
}


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    if response.streaming or not response["Content-Type"].startswith("text/html"):
        return ""
    return VARYING.sub(r"\1\2", response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("role", FIXTURES)
def test_every_page_is_the_same_with_either_renderer(client, request, role, objects):  # noqa: F811
    client.force_login(request.getfixturevalue(FIXTURES[role]))
    urls = []
    for name, (arguments, expected) in TABLE.items():
        if expected[role] != 200 or any(part in name for part in NOT_PAGES):
            continue
        url = reverse(name, args=[objects[argument] for argument in arguments])
        urls += [url] + [url + query for query in EXTRA_QUERIES.get(name, [])]
    pages = {}
    for renderer in (REFERENCE, "core.form_renderer.FormRenderer"):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(settings, "FORM_RENDERER", renderer)
            get_default_renderer.cache_clear()
            pages[renderer] = [_page(client, url) for url in urls]
    get_default_renderer.cache_clear()
    assert sum(bool(page) for page in pages[REFERENCE]) >= 6
    for url, reference, fast in zip(urls, *pages.values(), strict=True):
        assert fast == reference, url
