"""The issue list's rows and a report's timelines, written in Python, read as the
templates wrote them."""

import datetime

import pytest
from django.template import engines
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from communities.models import Community, Department
from issues import selectors
from issues.models import Issue, IssuePhoto, IssueUpdate
from issues.templatetags.issue_rows import (
    issue_row,
    issue_rows,
    report_issue,
    report_issues,
    report_timeline,
)

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


# The timeline of reports/community_report.html as a template, before it became
# ``report_timeline``.
TIMELINE_TEMPLATE = """{% for update in issue.timeline %}<li class="timeline-entry{% if not update.is_public %} internal{% endif %}">
      <div class="when">{{ update.created_at|thai_date_short }}</div>
      <div class="what"><strong>{{ update.action }}</strong>{% if update.to_department %} → {{ update.to_department.name }}{% endif %}{% if update.note %}<br>{{ update.note|linebreaksbr }}{% endif %}</div>
    </li>{% endfor %}"""


@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize("zone", ["Asia/Bangkok", "UTC"])
def test_a_report_timeline_reads_as_the_template_wrote_it(language, zone):
    engineering = Department.objects.get(code="ENG")
    Department.objects.filter(code="PEA").update(name_en="")
    utc = datetime.UTC
    updates = [
        IssueUpdate(created_at=datetime.datetime(2026, 12, 1, 18, 30, tzinfo=utc), is_public=True),
        IssueUpdate(
            created_at=datetime.datetime(2026, 3, 4, 9, 0, tzinfo=utc),
            is_public=False,
            note='บรรทัดหนึ่ง\r\n<บรรทัดสอง> & "สาม"\nสี่',
            to_department=engineering,
        ),
        IssueUpdate(
            created_at=datetime.datetime(2025, 1, 1, 0, 0),  # naive
            is_public=True,
            to_department=Department.objects.get(code="PEA"),
        ),
    ]
    updates[0].action = "ส่ง <กอง> & ต่อ"
    updates[1].action = gettext_lazy("Status")
    template = engines["django"].from_string(TIMELINE_TEMPLATE)
    with translation.override(language), timezone.override(zone):
        expected = template.render({"issue": {"timeline": updates}})
        assert report_timeline(updates) == expected
        assert report_timeline([]) == ""


# A row of issues/worklist.html as a template, before it became ``work_row``.
WORK_ROW_TEMPLATE = """{% load i18n issue_rows %}<li class="work-row{% if issue.overdue %} row-overdue{% endif %}">
        <div class="work-what">
          <a href="{{ issue|issue_url }}"><span class="nowrap">{{ issue.reference }}</span> {{ issue.title }}</a>
          <div class="muted">{{ issue.community.number }}. {{ issue.community.name }} · {{ issue.category.name }} · {% translate "received" %} <span class="nowrap">{{ issue.received_at|thai_date_short }}</span> · {% translate "target" %} <span class="nowrap">{{ issue.target_date|thai_date_short|default:"—" }}</span></div>
          <div class="work-status">{{ issue|status_badge }}</div>
        </div>
        {% if section.key == "to_accept" %}
        <form method="post" action="{% url 'issues:accept' issue.pk %}">{% csrf_token %}
          <input type="hidden" name="version" value="{{ issue.version }}">
          <input type="hidden" name="back" value="worklist">
          <button type="submit" class="button accept-button" aria-label="{% blocktranslate with reference=issue.reference %}Accept {{ reference }}{% endblocktranslate %}">{% translate "Accept" %}</button>
        </form>
        {% endif %}
      </li>"""


@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize("section", ["to_accept", "overdue", "waiting"])
@pytest.mark.parametrize("csrf_token", ["a-token", ""])
def test_each_worklist_row_reads_as_the_template_wrote_it(issues, language, section, csrf_token):
    reference = engines["django"].from_string(WORK_ROW_TEMPLATE)
    tag = engines["django"].from_string("{% load issue_rows %}{% work_row issue section.key %}")
    rows = selectors.with_list_columns(Issue.objects.filter(pk__in=[i.pk for i in issues]))
    with translation.override(language):
        for issue in [*rows, *Issue.objects.filter(pk__in=[i.pk for i in issues])]:
            context = {"issue": issue, "section": {"key": section}, "csrf_token": csrf_token}
            assert tag.render(context) == reference.render(context)


# An issue of reports/community_report.html as a template, before it became
# ``report_issue``.
REPORT_ISSUE_TEMPLATE = """{% load i18n issue_rows %}<article class="card report-issue">
  <h2><a href="{{ issue|issue_url }}">{{ issue.reference }} {{ issue.title }}</a></h2>
  <p>{% translate "overdue" as overdue_label %}{% include "issues/_status.html" %} · {{ issue.department.name|default:"—" }}{% if issue.target_date %} · {% translate "Target date" %} {{ issue.target_date|thai_date }}{% endif %}</p>
  <ol class="timeline">
    {% report_timeline issue.timeline %}
  </ol>
  {% if issue.latest_photos %}<ul class="gallery small">{% for photo in issue.latest_photos %}<li><figure><img src="{% url 'issues:photo_file' issue.pk photo.pk 'thumb' %}" alt="{% translate 'Photo of the problem' %}" loading="lazy"></figure></li>{% endfor %}</ul>{% endif %}
</article>"""


@pytest.mark.parametrize("language", ["th", "en"])
def test_each_report_issue_reads_as_the_template_wrote_it(issues, language):
    template = engines["django"].from_string(REPORT_ISSUE_TEMPLATE)
    rows = list(selectors.with_list_columns(Issue.objects.filter(pk__in=[i.pk for i in issues])))
    for n, issue in enumerate(rows):
        issue.timeline = list(issue.updates.order_by("pk"))
        issue.latest_photos = [IssuePhoto(pk=7 + k) for k in range(n)]
    with translation.override(language):
        for issue in rows:
            assert report_issue(issue) == template.render({"issue": issue})
        # The report's loop: each issue between newlines, as the template wrote them.
        expected = "".join(f"\n{report_issue(issue)}\n" for issue in rows)
        assert report_issues(rows) == expected
    assert {bool(issue.target_date) for issue in rows} == {True, False}


@pytest.mark.parametrize("bulk", [True, ""])
def test_the_table_writes_its_rows_as_its_loop_did(issues, bulk):
    """``issue_rows`` writes each row as ``issue_row`` does, spaced as the loop of
    issues/_issue_table.html spaced them; an empty table says so."""
    rows = list(selectors.table_rows(Issue.objects.filter(pk__in=[i.pk for i in issues])))
    rows[0].readable = False
    label = translation.gettext("Target date")
    expected = "".join(f"\n    {issue_row(issue, bulk, label)}\n  " for issue in rows)
    assert issue_rows(rows, bulk, label) == expected
    table = get_template("issues/_issue_table.html")
    assert expected in table.render({"issues": rows, "bulk": bulk})
    empty = table.render({"issues": [], "bulk": bulk})
    colspan = 8 if bulk else 7
    assert f'<tbody>\n  \n    <tr><td colspan="{colspan}">' in empty
