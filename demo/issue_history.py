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

# Per category, problems as a community raises them: a title and what was said about
# it, with the place ({place}) and how long it has been so ({since}).
PROBLEMS = {
    "road": (
        (
            "ถนนชำรุดเป็นหลุมบ่อ",
            "ผิวถนน{place} แตกเป็นหลุมลึกหลายจุด {since} รถจักรยานยนต์ล้มแล้วสองราย ช่วงฝนตกน้ำขังจนมองไม่เห็นหลุม",
        ),
        (
            "ทางเท้าแตกร้าว ผู้สูงอายุสะดุดล้ม",
            "แผ่นทางเท้า{place} ยุบและยกตัวเป็นแนวยาว ผู้สูงอายุที่เดินไปตลาดตอนเช้าสะดุดล้ม ขอให้ปูใหม่ให้เรียบ",
        ),
        (
            "ขอตีเส้นจราจรหน้าโรงเรียน",
            "เส้นทางม้าลาย{place} ลบเลือนจนมองไม่เห็น ช่วงรับส่งนักเรียนรถวิ่งเร็ว "
            "ผู้ปกครองขอให้ตีเส้นใหม่และติดป้ายลดความเร็ว",
        ),
    ),
    "drainage": (
        (
            "ท่อระบายน้ำอุดตัน น้ำท่วมขังเมื่อฝนตก",
            "ท่อระบายน้ำ{place} มีเศษดินและขยะอุดตัน ฝนตกครั้งใดน้ำท่วมขังสูงราว 20 ซม. "
            "นานสองถึงสามชั่วโมง {since}",
        ),
        (
            "ฝาท่อระบายน้ำชำรุด",
            "ฝาท่อระบายน้ำ{place} แตกและยุบลงไป เด็กเดินผ่านเกือบตกลงไป ชาวบ้านเอากิ่งไม้ปักไว้เป็นสัญลักษณ์ชั่วคราว",
        ),
        (
            "น้ำเสียจากท่อระบายส่งกลิ่นเหม็น",
            "น้ำในรางระบายน้ำ{place} ไม่ไหล เป็นสีดำและส่งกลิ่นเหม็นโดยเฉพาะช่วงเย็น {since}",
        ),
    ),
    "street_light": (
        (
            "ไฟฟ้าส่องสว่างดับหลายจุด",
            "ไฟส่องสว่าง{place} ดับติดต่อกันสี่ดวง ตอนกลางคืนมืดมาก ผู้ที่กลับจากทำงานกะดึกไม่กล้าเดินผ่าน {since}",
        ),
        (
            "ขอติดตั้งไฟส่องสว่างในซอยเปลี่ยว",
            "ทางเดิน{place} ยาวประมาณ 300 เมตรไม่มีไฟส่องสว่างเลย ชาวบ้านขอเสาไฟเพิ่มอย่างน้อยสามต้น",
        ),
    ),
    "garbage": (
        (
            "ขยะตกค้าง รถเก็บขยะไม่มาตามรอบ",
            "รถเก็บขยะไม่เข้ามาเก็บ{place} ตามรอบวันจันทร์และพฤหัสบดี {since} ขยะล้นถัง สุนัขคุ้ยกระจายเต็มถนน",
        ),
        (
            "ขอถังขยะเพิ่มบริเวณตลาด",
            "ถังขยะ{place} มีเพียงสองใบ ไม่พอกับผู้ค้าและผู้ซื้อในวันตลาดนัด ขยะวางกองไว้ข้างถังจนถึงเช้า",
        ),
        (
            "มีผู้ลักลอบทิ้งขยะในที่ว่าง",
            "มีผู้นำขยะและเศษวัสดุก่อสร้างมาทิ้งในที่ดินว่าง{place} ตอนกลางคืน {since} ขอให้เก็บขนและติดป้ายห้ามทิ้ง",
        ),
    ),
    "stray_animals": (
        (
            "สุนัขจรจัดจำนวนมากไล่กัดผู้สัญจร",
            "สุนัขจรจัดราว 15 ตัวอยู่รวมกัน{place} ไล่กัดเด็กนักเรียนและผู้ขับขี่รถจักรยานยนต์ มีผู้ถูกกัดแล้วหนึ่งราย",
        ),
        (
            "ขอฉีดวัคซีนและทำหมันสุนัขในชุมชน",
            "สุนัขที่ไม่มีเจ้าของ{place} ออกลูกเพิ่มขึ้นเรื่อย ๆ {since} ชาวบ้านขอให้ฉีดวัคซีนพิษสุนัขบ้าและทำหมัน",
        ),
    ),
    "trees": (
        (
            "กิ่งไม้พาดสายไฟ เสี่ยงอันตราย",
            "กิ่งต้นจามจุรี{place} ยื่นพาดสายไฟฟ้า ลมแรงเมื่อใดเกิดประกายไฟ ขอให้ตัดแต่งกิ่ง",
        ),
        (
            "ต้นไม้ใหญ่เอนเข้าหาบ้านเรือน",
            "ต้นไม้ใหญ่{place} รากลอยและเอนเข้าหาบ้านสองหลัง เจ้าของบ้านกังวลว่าจะโค่นในช่วงมรสุม",
        ),
    ),
    "water_supply": (
        (
            "น้ำประปาไหลอ่อนช่วงเช้า",
            "บ้านเรือน{place} น้ำประปาไหลอ่อนมากช่วง 6 ถึง 9 โมงเช้า บ้านชั้นสองไม่มีน้ำใช้ {since}",
        ),
        (
            "ท่อประปาแตกรั่วริมถนน",
            "ท่อประปา{place} แตก น้ำพุ่งออกมาตลอดเวลา {since} ถนนเริ่มทรุดเป็นแอ่ง น้ำในบ้านไหลอ่อนลง",
        ),
    ),
    "electricity": (
        (
            "เสาไฟฟ้าเอียง เสี่ยงล้ม",
            "เสาไฟฟ้า{place} เอียงออกมาทางถนนหลังรถบรรทุกเฉี่ยวชน ชาวบ้านเกรงว่าจะล้มทับ",
        ),
        (
            "ไฟฟ้าตกบ่อยในชุมชน",
            "ไฟฟ้า{place} ตกและดับบ่อยในช่วงหัวค่ำ {since} เครื่องใช้ไฟฟ้าของชาวบ้านเสียหายแล้วหลายบ้าน",
        ),
    ),
    "safety": (
        (
            "ขอติดตั้งกล้องวงจรปิดทางเข้าชุมชน",
            "มีรถจักรยานยนต์หายสองคัน{place} {since} ชุมชนขอกล้องวงจรปิดที่ทางเข้าออกหลัก",
        ),
        (
            "รถจอดกีดขวางทางเข้าออก",
            "มีรถจอดซ้อนคัน{place} ทั้งวัน รถพยาบาลและรถดับเพลิงเข้าไม่ได้ ขอให้เทศกิจกวดขัน",
        ),
    ),
    "public_health": (
        (
            "ยุงชุกชุม ขอพ่นหมอกควันกำจัดยุง",
            "ยุงชุกชุม{place} มีเด็กป่วยเป็นไข้เลือดออกแล้วสองราย ขอให้พ่นหมอกควันและแจกทรายกำจัดลูกน้ำ",
        ),
        (
            "ขอตรวจสุขภาพผู้สูงอายุในชุมชน",
            "ผู้สูงอายุ{place} หลายคนเดินทางไปโรงพยาบาลไม่สะดวก ขอให้จัดหน่วยตรวจสุขภาพเคลื่อนที่เข้ามาในชุมชน",
        ),
    ),
    "welfare": (
        (
            "ผู้สูงอายุติดเตียงขอรับความช่วยเหลือ",
            "ผู้สูงอายุติดเตียงอาศัยอยู่ลำพัง{place} ขอเตียงผู้ป่วย ผ้าอ้อมผู้ใหญ่ และให้อาสาสมัครเยี่ยมบ้าน",
        ),
        (
            "ขอทางลาดสำหรับรถเข็น",
            "ทางขึ้นอาคาร{place} มีแต่บันได ผู้ใช้รถเข็นขึ้นไปติดต่อราชการไม่ได้ ขอทางลาดและราวจับ",
        ),
    ),
    "other": (
        (
            "ขอป้ายชื่อซอยใหม่แทนป้ายที่ชำรุด",
            "ป้ายชื่อซอยและป้ายบอกทาง{place} หักและสีซีดจนอ่านไม่ออก ผู้มาส่งพัสดุและรถกู้ภัยหาบ้านไม่เจอ",
        ),
        (
            "ขอปรับปรุงสนามเด็กเล่นของชุมชน",
            "เครื่องเล่นในสนามเด็กเล่น{place} เป็นสนิมและมีขอบคม {since} เด็กเล็กได้รับบาดเจ็บ ขอให้ซ่อมหรือเปลี่ยนใหม่",
        ),
    ),
}
# Places in Hua Hin as a community names them.
PLACES = (
    "ในซอยหัวหิน {n}",
    "ริมถนนเพชรเกษม ซอย {n}",
    "ในซอยสระสงค์ {n}",
    "หน้าวัดหัวหิน",
    "ข้างตลาดฉัตรไชย",
    "หน้าโรงเรียนเทศบาล {n}",
    "หน้าศาลาชุมชน",
    "ริมคลองหลังชุมชน",
    "ทางเข้าหมู่บ้านชายทะเล",
    "ในซอยดำเนินเกษม {n}",
    "ริมถนนเดชานุชิต",
    "ใกล้สถานีรถไฟหัวหิน",
    "ข้างสนามกีฬาชุมชน",
    "ปากซอยเขาเต่า {n}",
)
SINCE = (
    "เป็นมาประมาณสองสัปดาห์แล้ว",
    "เป็นมากว่าหนึ่งเดือน",
    "ตั้งแต่ต้นเดือน",
    "ชาวบ้านแจ้งด้วยวาจามาแล้วครั้งหนึ่งแต่ยังไม่ได้รับการแก้ไข",
    "เป็นทุกปีในช่วงฤดูฝน",
    "เริ่มเป็นหลังพายุเมื่อเดือนก่อน",
)
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
            title, description = rng.choice(PROBLEMS[code])
            place = rng.choice(PLACES).format(n=rng.randint(1, 120))
            issue = services.issue_create(
                actor=staff,
                community=community,
                category=categories[code],
                title=title,
                description=description.format(place=place, since=rng.choice(SINCE)),
                location_text=place.removeprefix("ใน").removeprefix("ริม"),
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
            description="น้ำระบายไม่ทัน ท่วมขังหน้าศาลาชุมชนสูงประมาณ 20 ซม. นานกว่า 3 ชั่วโมง",
            location_text="หน้าศาลาชุมชน",
        )
        count += 1
    return count
