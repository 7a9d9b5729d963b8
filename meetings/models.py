import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from communities.models import Participant
from core.thaidates import BE_OFFSET, fiscal_year, to_thai_digits


def number_year(day) -> int:
    """Return the Buddhist-Era year a meeting on ``day`` is counted in: its calendar
    year, or its fiscal year where ``MEETING_NUMBERING`` is ``fiscal``."""
    if settings.MEETING_NUMBERING == "fiscal":
        return fiscal_year(day)
    return day.year + BE_OFFSET


class FiscalYear(models.Model):
    """A fiscal year (1 October - 30 September) that admins can close: no meeting
    may then be added to it or moved into it."""

    year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"), unique=True)
    is_closed = models.BooleanField(_("closed"), default=False)

    class Meta:
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class MeetingYear(models.Model):
    """A year meetings are counted in. Its row is locked while the year's meetings
    are numbered, so meetings saved at the same moment never take the same number."""

    year = models.PositiveSmallIntegerField(_("year (B.E.)"), primary_key=True)

    class Meta:
        verbose_name = _("meeting numbering year")
        verbose_name_plural = _("meeting numbering years")

    def __str__(self):
        return str(self.year)


class AgendaKind(models.TextChoices):
    ANNOUNCEMENTS = "announcements", _("Announcements from the chair")
    PREVIOUS_MINUTES = "previous_minutes", _("Approval of the previous minutes")
    FOLLOW_UP = "follow_up", _("Follow-up matters")
    CONSIDERATION = "consideration", _("Matters for consideration")
    OTHER = "other", _("Other matters")


class AgendaTemplateItem(models.Model):
    """One item of the agenda every new meeting starts with; admins edit the list."""

    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgendaKind)
    title = models.CharField(_("title"), max_length=300)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agenda template item")
        verbose_name_plural = _("agenda template")
        ordering = ["order"]

    def __str__(self):
        return f"{self.order}. {self.title}"


class Meeting(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        HELD = "held", _("Held")
        APPROVED = "approved", _("Minutes approved")
        PUBLISHED = "published", _("Published")

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), editable=False)
    # The year the number counts in (B.E.): the calendar year unless the setting
    # MEETING_NUMBERING says fiscal. Reports still group meetings by fiscal_year.
    number_year = models.PositiveSmallIntegerField(_("year of the number"), editable=False)
    number = models.PositiveSmallIntegerField(_("number in the year"), editable=False)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=300)
    chair = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chaired_meetings",
        verbose_name=_("chair"),
    )
    # The chair as the minutes print them, written when the minutes are approved
    # (see Attendance.name_on_record). Empty until then.
    chair_name_on_record = models.CharField(
        _("chair's name in the minutes"), max_length=200, blank=True
    )
    chair_position_on_record = models.CharField(
        _("chair's position in the minutes"), max_length=200, blank=True
    )
    minute_taker = models.CharField(_("minute-taker"), max_length=200, blank=True)
    minute_taker_position = models.CharField(
        _("minute-taker's position"), max_length=200, blank=True
    )
    minute_checker = models.CharField(_("minute-checker"), max_length=200, blank=True)
    minute_checker_position = models.CharField(
        _("minute-checker's position"), max_length=200, blank=True
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    minutes_approved_at = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_minutes_of",
        verbose_name=_("minutes approved at"),
    )
    check_in_token = models.CharField(max_length=64, default="", editable=False)
    # Raised by every save of the meeting's details, so an edit form opened before
    # someone else's save is refused instead of silently reverting it.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["number_year", "number"], name="meeting_number_unique_in_year"
            ),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True)
                | Q(start_time__isnull=True)
                | Q(end_time__gt=F("start_time")),
                name="meeting_ends_after_it_starts",
                violation_error_message=_("The meeting must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "held", "approved", "published"]),
                name="meeting_status_valid",
            ),
        ]

    def __str__(self):
        return str(self.number_label)

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.pk])

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The meeting must end after it starts.")})

    @property
    def number_label(self) -> str:
        """``12/2569`` in Thai, ``12/2026`` (the same year in CE) in English."""
        if (get_language() or "").startswith("en"):
            return f"{self.number}/{self.number_year - BE_OFFSET}"
        return f"{self.number}/{self.number_year}"

    @property
    def number_label_thai_digits(self) -> str:
        return to_thai_digits(f"{self.number}/{self.number_year}")

    @property
    def number_is_signed(self) -> bool:
        """Whether the number is written in approved minutes and so may not change."""
        return self.status in (self.Status.APPROVED, self.Status.PUBLISHED)

    @property
    def chair_name(self) -> str:
        if self.chair_name_on_record:
            return self.chair_name_on_record
        return self.chair.name if self.chair else ""

    @property
    def chair_position(self) -> str:
        if self.chair_name_on_record:
            return self.chair_position_on_record
        return self.chair.position if self.chair else ""

    def put_chair_on_record(self) -> None:
        """Copy the chair's name and position into the meeting (not saved)."""
        self.chair_name_on_record = self.chair.name if self.chair else ""
        self.chair_position_on_record = self.chair.position if self.chair else ""

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def new_check_in_token(self) -> str:
        self.check_in_token = secrets.token_urlsafe(24)
        return self.check_in_token


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="agenda_items", verbose_name=_("meeting")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_items",
        verbose_name=_("parent item"),
    )
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=20, choices=AgendaKind)
    title = models.CharField(_("title"), max_length=300)
    discussion = models.TextField(_("discussion"), blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    refers_to_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approves the minutes of"),
        help_text=_("The earlier meeting whose minutes this item approves."),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "order"],
                condition=Q(parent__isnull=True),
                name="agenda_item_order_unique",
            ),
            models.UniqueConstraint(
                fields=["parent", "order"],
                condition=Q(parent__isnull=False),
                name="agenda_sub_item_order_unique",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def minutes_fingerprint(self) -> str:
        return minutes_fingerprint(self.discussion, self.resolution)


def minutes_fingerprint(discussion: str, resolution: str) -> str:
    """A short digest of an agenda item's minutes: the minutes page carries it as
    what it showed, so a save from a page opened before someone else's save of
    the same item is refused. Line ends are counted alike (browsers send CRLF)."""
    text = f"{discussion}\x00{resolution}".replace("\r\n", "\n")
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        REPRESENTED = "represented", _("Represented by a substitute")
        ABSENT = "absent", _("Absent")

    ATTENDED = (Status.PRESENT, Status.LATE, Status.REPRESENTED)

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("meeting")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name=_("participant"),
    )
    status = models.CharField(_("attendance"), max_length=20, choices=Status)
    absence_reason = models.CharField(_("reason for absence"), max_length=300, blank=True)
    substitute_name = models.CharField(_("substitute's name"), max_length=200, blank=True)
    self_checked_in_at = models.DateTimeField(_("checked in by themself at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("recorded by"),
    )
    # The person as the minutes print them, written when the minutes are approved
    # (or when an administrator adds the row later): a participant renamed or given
    # a new position afterwards does not rewrite minutes on record. Empty until then.
    name_on_record = models.CharField(_("name in the minutes"), max_length=200, blank=True)
    position_on_record = models.CharField(_("position in the minutes"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Raised by every write of the row (the roll, a self check-in), so a roll page
    # opened before that write does not overwrite it.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "participant"], name="attendance_once_per_meeting"
            ),
            models.CheckConstraint(
                condition=~Q(status="represented") | ~Q(substitute_name=""),
                name="attendance_substitute_named",
            ),
        ]

    def __str__(self):
        return f"{self.participant} · {self.get_status_display()}"

    @property
    def attended(self) -> bool:
        return self.status in self.ATTENDED

    @property
    def person_name(self) -> str:
        """The name the minutes print: as on record once approved, else the current one."""
        return self.name_on_record or self.participant.name

    @property
    def person_position(self) -> str:
        return self.position_on_record if self.name_on_record else self.participant.position

    def put_on_record(self) -> None:
        """Copy the participant's name and position into the row (not saved)."""
        self.name_on_record = self.participant.name
        self.position_on_record = self.participant.position


def photo_path(photo: "MeetingPhoto", filename: str) -> str:
    # Random names: the original file name is user input and may leak or collide.
    return f"meetings/{photo.meeting_id}/{secrets.token_hex(12)}.jpg"


def thumbnail_path(photo: "MeetingPhoto", filename: str) -> str:
    return f"meetings/{photo.meeting_id}/thumbs/{secrets.token_hex(12)}.jpg"


class MeetingPhoto(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="photos", verbose_name=_("meeting")
    )
    image = models.ImageField(
        _("photo"), upload_to=photo_path, width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(upload_to=thumbnail_path, editable=False)
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting photo")
        verbose_name_plural = _("meeting photos")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.caption or self.image.name


class MeetingChange(models.Model):
    """A change to a meeting after its minutes were published: who, when, what."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="changes", verbose_name=_("meeting")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    summary = models.CharField(_("what changed"), max_length=300)
    before = models.JSONField(_("before"), default=dict)
    after = models.JSONField(_("after"), default=dict)

    class Meta:
        verbose_name = _("change after publishing")
        verbose_name_plural = _("changes after publishing")
        ordering = ["-changed_at"]

    def __str__(self):
        return self.summary
