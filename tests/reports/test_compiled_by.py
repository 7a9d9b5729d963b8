"""The monthly summary and the community report carry, like a memo, the issuing
office and the name, position and signature line of who compiled them; the
community report's timeline tables have a header row."""

import io

import pdfplumber
import pytest
from django.urls import reverse

from communities.models import Community, IssueCategory
from issues import services
from tests.factories import ParticipantFactory, make_user
from tests.pdf_text import nfkc, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def compiler(reference_data):
    user = make_user(username="suda", role="secretariat", department_code="PALAD")
    user.first_name, user.last_name = "สุดารัตน์", "ธุรการดี"
    user.save()
    ParticipantFactory(user=user, name="นางสาวสุดารัตน์ ธุรการดี", position="นักจัดการงานทั่วไป")
    return user


def _flat(text: str) -> str:
    return "".join(text.split())


def test_the_monthly_summary_names_its_compiler_and_office(client, compiler):
    client.force_login(compiler)
    response = client.get(reverse("reports:monthly_pdf", args=[2026, 3]))
    text = _flat(pdf_text(response.content))
    assert "(ลงชื่อ)" in text and "ผู้จัดทํารายงาน" in text
    assert "(สุดารัตน์ธุรการดี)" in text
    assert "นักจัดการงานทั่วไป" in text
    assert "สํานักปลัดเทศบาลเทศบาลนครหัวหิน" in text


def test_the_community_report_names_its_compiler_and_heads_its_tables(client, compiler):
    services.issue_create(
        actor=compiler,
        community=Community.objects.get(number=1),
        category=IssueCategory.objects.get(code="road"),
        title="ถนนชำรุดหน้าศาลาชุมชน",
    )
    client.force_login(compiler)
    response = client.get(reverse("reports:community_pdf", args=[1]))
    text = _flat(pdf_text(response.content))
    assert "(สุดารัตน์ธุรการดี)" in text and "ผู้จัดทํารายงาน" in text
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        tables = pdf.pages[0].extract_tables()
    assert tables, "the timeline table"
    # pdfplumber orders a cluster's marks by position: compare the letters, not their order.
    header = [sorted(nfkc(_flat(cell or ""))) for cell in tables[0][0]]
    assert header == [sorted(nfkc(word)) for word in ("วันที่", "การดำเนินการ", "รายละเอียด")]
