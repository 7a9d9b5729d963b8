"""A year of realistic issues for the demo: raised at the demo meetings, routed,
surveyed, worked on and closed according to their age, some of them overdue."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from communities.models import Community, Department, IssueCategory
from issues import services
from issues.models import Issue, Priority, Status
from meetings.models import Meeting

PROBLEMS = {
    "road": ("ถนนชำรุดเป็นหลุมบ่อ", "ทางเท้าแตกร้าว ผู้สูงอายุสะดุดล้ม", "ขอตีเส้นจราจรหน้าโรงเรียน"),
    "drainage": ("ท่อระบายน้ำอุดตัน น้ำท่วมขังเมื่อฝนตก", "ฝาท่อระบายน้ำชำรุด"),
    "street_light": ("ไฟฟ้าส่องสว่างดับหลายจุด", "ขอติดตั้งไฟส่องสว่างในซอยเปลี่ยว"),
    "garbage": ("ขยะตกค้าง รถเก็บขยะไม่มาตามรอบ", "ขอถังขยะเพิ่มบริเวณตลาด"),
    "stray_animals": ("สุนัขจรจัดจำนวนมากไล่กัดผู้สัญจร",),
    "trees": ("กิ่งไม้พาดสายไฟ เสี่ยงอันตราย", "ต้นไม้ใหญ่เอนเข้าหาบ้านเรือน"),
    "water_supply": ("น้ำประปาไหลอ่อนช่วงเช้า", "ท่อประปาแตกรั่วริมถนน"),
    "electricity": ("เสาไฟฟ้าเอียง เสี่ยงล้ม",),
    "safety": ("ขอติดตั้งกล้องวงจรปิดทางเข้าชุมชน", "รถจอดกีดขวางทางเข้าออก"),
    "public_health": ("ยุงชุกชุม ขอพ่นหมอกควันกำจัดยุง",),
    "welfare": ("ผู้สูงอายุติดเตียงขอรับความช่วยเหลือ",),
    "other": ("ขอป้ายชื่อซอยใหม่แทนป้ายที่ชำรุด",),
}
PLACES = ("ซอยหัวหิน ", "ถนนเพชรเกษม ซอย ", "ถนนสระสงค์ ซอย ", "หมู่บ้านชายทะเล ซอย ")
PROGRESS = (
    "เจ้าหน้าที่ลงพื้นที่ตรวจสอบแล้ว อยู่ระหว่างจัดหาวัสดุ",
    "ดำเนินการแล้วบางส่วน คาดว่าแล้วเสร็จภายในเดือนนี้",
    "ประสานผู้รับจ้างแล้ว รอเข้าดำเนินการ",
)
REFERRAL_AGENCY = {"electricity": "PEA", "water_supply": "PWA", "road": "DOH"}


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _progress(issue: Issue, *, staff, officer, kpt, raised: datetime.date, today, rng):
    """Move ``issue`` along as far as its age allows."""
    age = (today - raised).days

    def step(days, actor, **kwargs):
        day = min(raised + datetime.timedelta(days=days), today)
        return services.issue_update(
            issue=issue, actor=actor, version=None, at=_at(day, 14), **kwargs
        )

    if issue.follow_up_team and age > 5:
        services.survey_record(
            issue=issue,
            actor=kpt,
            version=None,
            survey_date=raised + datetime.timedelta(days=5),
            team_members="นายปิยะ ติดตามงาน, นางสาวกมลา สำรวจดี",
            findings="ลงพื้นที่ตรวจสอบแล้ว พบปัญหาตามที่ชุมชนแจ้ง",
            recommendation="มอบส่วนราชการที่รับผิดชอบดำเนินการโดยเร็ว",
            at=_at(raised + datetime.timedelta(days=5), 10),
        )
    if age < 7 or rng.random() < 0.12:
        return issue  # Not taken up yet.
    roll = rng.random()
    target = raised + datetime.timedelta(days=rng.choice((30, 45, 60)))
    actor = officer if issue.department.code == "ENG" else staff
    code = issue.category.code
    if roll < 0.08 and code in REFERRAL_AGENCY:
        agency = Department.objects.get(code=REFERRAL_AGENCY[code])
        return step(
            8, staff, to_status=Status.REFERRED, referred_to=agency, note=f"ส่งต่อ{agency.name_th}"
        )
    if roll < 0.15:
        return step(9, staff, to_status=Status.PLANNED, note="บรรจุในแผนพัฒนาปีงบประมาณถัดไป")
    issue = step(
        7,
        actor,
        to_status=Status.IN_PROGRESS,
        target_date=target,
        target_reason="กำหนดตามแผนงานและวัสดุที่ต้องจัดหา",
        note=rng.choice(PROGRESS),
    )
    # The older the issue, the likelier it is fixed; a few miss their target.
    if age < 20 or rng.random() < 0.2:
        return issue
    fixed_after = rng.randint(12, 70)
    if raised + datetime.timedelta(days=fixed_after) > today:
        return issue
    issue = step(fixed_after, actor, to_status=Status.RESOLVED, note="ดำเนินการแก้ไขแล้วเสร็จ")
    if age > fixed_after + 30:
        issue = step(
            fixed_after + 28,
            kpt,
            to_status=Status.CLOSED,
            note="ชุมชนยืนยันว่าแก้ไขแล้ว",
            outcome="fixed",
        )
    return issue


@transaction.atomic
def demo_issues_create() -> int:
    """Create the demo issues unless there are issues already; return how many."""
    if Issue.objects.exists():
        return 0
    User = get_user_model()
    staff, officer, kpt = (User.objects.get(username=name) for name in ("staff", "officer", "kpt"))
    rng = random.Random(42)
    today = timezone.localdate()
    communities = list(Community.objects.filter(active=True))
    categories = {category.code: category for category in IssueCategory.objects.all()}
    count = 0
    meetings = Meeting.objects.exclude(status=Meeting.Status.DRAFT).order_by("date")
    for meeting in meetings:
        for _index in range(rng.randint(4, 7)):
            code = rng.choice(list(PROBLEMS))
            community = rng.choice(communities)
            chair = community.participants.filter(role="chair").first()
            issue = services.issue_create(
                actor=staff,
                community=community,
                category=categories[code],
                title=rng.choice(PROBLEMS[code]),
                description="ชุมชนแจ้งในที่ประชุมผู้นำชุมชน ขอให้หน่วยงานที่เกี่ยวข้องพิจารณาแก้ไข",
                location_text=f"{rng.choice(PLACES)}{rng.randint(1, 120)}",
                meeting=meeting,
                raised_by=chair.name if chair else "",
                follow_up_team=rng.random() < 0.4,
                priority=rng.choice(
                    (Priority.NORMAL, Priority.NORMAL, Priority.HIGH, Priority.URGENT)
                ),
                at=_at(meeting.date, 11),
            )
            _progress(
                issue,
                staff=staff,
                officer=officer,
                kpt=kpt,
                raised=meeting.date,
                today=today,
                rng=rng,
            )
            count += 1
    leader = User.objects.filter(username="leader").first()
    if leader is not None:
        services.issue_submit(
            actor=leader,
            category=categories["drainage"],
            title="น้ำท่วมขังหน้าศาลาชุมชนหลังฝนตกทุกครั้ง",
            description="น้ำระบายไม่ทัน ท่วมขังสูงประมาณ 20 ซม. นานกว่า 3 ชั่วโมง",
            location_text="หน้าศาลาชุมชน",
        )
        count += 1
    return count
