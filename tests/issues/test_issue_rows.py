"""The issue list's rows, written in Python, read as the template wrote them."""

import datetime

import pytest
from django.template import engines
from django.utils import translation

from communities.models import Community
from issues import selectors
from issues.models import Issue
from issues.templatetags.issue_rows import issue_row

pytestmark = pytest.mark.django_db

# The row of issues/_issue_table.html as a template, before it became ``issue_row``.
ROW_TEMPLATE = """{% load i18n issue_rows %}<tr{% if issue.overdue %} class="row-overdue"{% endif %}>
      {% if bulk %}<td class="tick"><input type="checkbox" name="issue" value="{{ issue.pk }}:{{ issue.version }}" form="bulk-form" id="tick-{{ issue.pk }}" aria-label="{% blocktranslate with ref=issue.reference %}Tick {{ ref }}{% endblocktranslate %}"></td>{% endif %}
      {% if issue.readable is False %}<td class="nowrap">{{ issue.reference }}</td>
      <td>{{ issue.title }}<br>{% else %}<td class="nowrap"><a href="{{ issue|issue_url }}">{{ issue.reference }}</a></td>
      <td><a href="{{ issue|issue_url }}">{{ issue.title }}</a><br>{% endif %}<span class="muted">{{ issue.category.name }}</span></td>
      <td class="wide-only">{{ issue.community.number }}. {{ issue.community.name }}</td>
      <td class="wide-only">{{ issue.department.name|default:"—" }}</td>
      <td class="wide-only nowrap">{{ issue.received_at|thai_date_short }}</td>
      <td class="nowrap stack-inline" data-label="{{ target_label }}">{{ issue.target_date|thai_date_short|default:"—" }}</td>
      <td class="stack-inline">{{ issue|status_badge }}</td>
    </tr>"""


@pytest.fixture
def issues(make_issue, received_issue):
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    overdue = make_issue(title='ถนน <ทรุด> & "น้ำขัง"', target_date=yesterday)
    other = make_issue(category_code="garbage", community_number=2)
    Issue.objects.filter(pk=other.pk).update(target_date=None)
    Issue.objects.filter(pk=received_issue.pk).update(department=None)
    return [overdue, other, received_issue]


@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize("bulk", [True, False, ""])
def test_each_row_reads_as_the_template_wrote_it(issues, language, bulk):
    Community.objects.filter(number=2).update(name_en="")
    template = engines["django"].from_string(ROW_TEMPLATE)
    rows = list(selectors.with_list_columns(Issue.objects.filter(pk__in=[i.pk for i in issues])))
    rows += list(Issue.objects.filter(pk__in=[i.pk for i in issues]))  # without the columns
    with translation.override(language):
        for readable in (None, True, False):
            for issue in rows:
                if readable is not None:
                    issue.readable = readable
                target_label = "<วัน> เป้าหมาย" if readable else translation.gettext("Target date")
                expected = template.render(
                    {"issue": issue, "bulk": bulk, "target_label": target_label}
                )
                assert issue_row(issue, bulk, target_label) == expected
    assert any(issue.department_id is None for issue in rows)
