import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Department, IssueCategory
from core.numbers import parse_int
from meetings.models import Meeting


def reference_parse(text: str) -> tuple[int, int] | None:
    """Return the fiscal year and number of a reference such as ``2569-0042``
    (ASCII or Thai digits), or ``None`` when ``text`` is not one."""
    year, dash, number = text.strip().partition("-")
    year, number = parse_int(year, max_value=32767), parse_int(number, max_value=2**31 - 1)
    if not dash or year is None or number is None:
        return None
    return year, number


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    FORWARDED = "forwarded", _("Forwarded to department")
    SURVEYED = "surveyed", _("Surveyed on site")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    PLANNED = "planned", _("Planned (awaiting budget)")
    REFERRED = "referred", _("Referred to an outside agency")
    DUPLICATE = "duplicate", _("Duplicate")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# An issue in one of these is finished; in any other it is still open.
ENDED_STATUSES = (Status.CLOSED, Status.DUPLICATE, Status.WITHDRAWN)
# Open and not yet fixed: what can be overdue.
UNRESOLVED_STATUSES = (
    Status.RECEIVED,
    Status.FORWARDED,
    Status.SURVEYED,
    Status.IN_PROGRESS,
    Status.PLANNED,
    Status.REFERRED,
)


class Outcome(models.TextChoices):
    """What closing an issue achieved: "closed" never silently means "fixed"."""

    FIXED = "fixed", _("Fixed")
    PARTLY_FIXED = "partly_fixed", _("Partly fixed")
    NOT_FIXED_OTHER_AGENCY = (
        "not_fixed_other_agency",
        _("Not fixed: another agency's responsibility"),
    )
    NOT_FIXED_NO_BUDGET = (
        "not_fixed_no_budget",
        _("Not fixed: no budget this year, put in the development plan"),
    )
    NOT_FIXED_WITHDRAWN = "not_fixed_withdrawn", _("Not fixed: withdrawn by the community")
    NOT_FIXED_OTHER = "not_fixed_other", _("Not fixed: another reason")


# Outcomes that must say why (what is left undone, or why nothing was done).
OUTCOMES_NEEDING_REASON = (
    Outcome.PARTLY_FIXED,
    Outcome.NOT_FIXED_NO_BUDGET,
    Outcome.NOT_FIXED_WITHDRAWN,
    Outcome.NOT_FIXED_OTHER,
)


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")
    URGENT = 4, _("Urgent")


class TargetSource(models.TextChoices):
    """Where an issue's target date came from."""

    CATEGORY = "category", _("the category's target")
    OWN = "own", _("set for this issue")


class Channel(models.TextChoices):
    """How a problem reached the municipality: the complaint channels it reports
    (the ITA's complaint statistics count by channel). New channels are added here."""

    MEETING = "meeting", _("Raised at a community leaders' meeting")
    ONLINE = "online", _("Submitted online by a community leader")
    STAFF = "staff", _("Logged by municipal staff")


class IssueCounter(models.Model):
    """The last reference number given in a fiscal year; locked while a new one is taken."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), primary_key=True)
    last_number = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("issue counter")
        verbose_name_plural = _("issue counters")

    def __str__(self):
        return f"{self.fiscal_year}: {self.last_number}"


class Issue(models.Model):
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), editable=False)
    number = models.PositiveIntegerField(_("number"), editable=False)
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="issues", verbose_name=_("community")
    )
    category = models.ForeignKey(
        IssueCategory, on_delete=models.PROTECT, related_name="issues", verbose_name=_("category")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    location_text = models.CharField(_("location"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("raised at meeting"),
    )
    awaiting_meeting = models.BooleanField(
        _("submitted by a leader, awaiting a meeting"), default=False
    )
    raised_by = models.CharField(_("raised by"), max_length=200, blank=True)
    # Set once, when the issue is received; a leader's submission stays "online"
    # after staff put it on a meeting's agenda.
    channel = models.CharField(
        _("received through"), max_length=20, choices=Channel, default=Channel.STAFF
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("responsible department"),
    )
    follow_up_team = models.BooleanField(_("follow-up team involved"), default=False)
    referred_to = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referred_issues",
        verbose_name=_("referred to"),
        limit_choices_to={"kind": Department.Kind.EXTERNAL},
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority, default=Priority.NORMAL
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    target_source = models.CharField(
        _("target set by"), max_length=10, choices=TargetSource, blank=True
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.RECEIVED)
    # Set when the issue is closed (``issues.services.issue_update``).
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome, blank=True)
    outcome_note = models.TextField(_("reason for the outcome"), blank=True)
    outcome_agency = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcome_issues",
        verbose_name=_("agency responsible"),
    )
    # Raised by one on every change: a form that saw an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("created by"),
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    # When and by whom the department it is routed to took it up ("ตอบรับเรื่อง",
    # ``issues.services.issue_accept``); cleared when it is routed elsewhere. Issues
    # taken up before this was recorded have none.
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True, editable=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("accepted by"),
    )
    forwarded_at = models.DateTimeField(null=True, blank=True, editable=False)
    first_response_at = models.DateTimeField(null=True, blank=True, editable=False)
    surveyed_at = models.DateTimeField(null=True, blank=True, editable=False)
    in_progress_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolved_at = models.DateTimeField(null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-fiscal_year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "number"], name="issue_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in Status]),
                name="issue_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="referred") | Q(referred_to__isnull=False),
                name="issue_referral_names_agency",
            ),
            models.CheckConstraint(
                condition=~Q(status="duplicate") | Q(duplicate_of__isnull=False),
                name="issue_duplicate_names_original",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "department"], name="issue_status_department"),
            models.Index(fields=["community", "status"], name="issue_community_status"),
            models.Index(fields=["target_date"], name="issue_target_date"),
            # The dashboard's and the monthly summary's periods, and what was still
            # open on a day (bench/scale.py measures them).
            # The issue list's default order, newest first, ties by id (it also
            # serves the periods on received_at).
            models.Index(fields=["received_at", "id"], name="issue_received_order"),
            models.Index(fields=["ended_at"], name="issue_ended_at"),
            # The figures of a period (reports/kpis.py, reports/open_data.py): the
            # issues received in it and the issues resolved in it, read from the index
            # alone with the fields the figures count by (PostgreSQL; elsewhere the
            # index has the first field only). The second serves whatever looks
            # issues up by the day they were resolved.
            models.Index(
                fields=["received_at"],
                include=[
                    "id",
                    "status",
                    "outcome",
                    "resolved_at",
                    "ended_at",
                    "target_date",
                    "community",
                    "department",
                    "category",
                    "channel",
                ],
                name="issue_received_figures",
            ),
            models.Index(
                fields=["resolved_at"],
                include=["id", "received_at", "status", "outcome", "ended_at"],
                name="issue_resolved_figures",
            ),
            # The overdue issues the list shows first: the unresolved ones, a few
            # hundred of ten years' issues, by target date.
            models.Index(
                fields=["target_date"],
                condition=Q(status__in=[status.value for status in UNRESOLVED_STATUSES]),
                name="issue_unresolved_target",
            ),
            # The list sorted by its problem's title or its status, a page at a time.
            models.Index(fields=["title", "id"], name="issue_title_order"),
            models.Index(fields=["status", "id"], name="issue_status_order"),
            # The open issues, newest first: the list with "open only", the board.
            models.Index(
                fields=["received_at", "id"],
                condition=~Q(status__in=[status.value for status in ENDED_STATUSES]),
                name="issue_open_received",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("issues:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"{self.fiscal_year}-{self.number:04d}"

    @property
    def is_open(self) -> bool:
        return self.status not in ENDED_STATUSES

    def is_overdue(self, today) -> bool:
        return bool(
            self.target_date and self.status in UNRESOLVED_STATUSES and self.target_date < today
        )


class IssueUpdate(models.Model):
    """One entry of an issue's history. Written once, never edited or deleted."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Received")
        TRANSITION = "transition", _("Status change")
        PROGRESS = "progress", _("Progress")
        ROUTED = "routed", _("Routed")
        ACCEPTED = "accepted", _("Accepted by the department")
        RETURNED = "returned", _("Handed back to staff")
        SURVEY = "survey", _("Field survey")
        CONFIRMED = "confirmed", _("Put on a meeting's agenda")
        SYSTEM = "system", _("Record note")

    issue = models.ForeignKey(
        Issue, on_delete=models.PROTECT, related_name="updates", verbose_name=_("issue")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    from_status = models.CharField(_("from status"), max_length=20, choices=Status, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=Status, blank=True)
    from_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from department"),
    )
    to_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to department"),
    )
    note = models.TextField(_("note"), blank=True)
    # The outcome recorded by the move that closed the issue.
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome, blank=True)
    outcome_note = models.TextField(_("reason for the outcome"), blank=True)
    outcome_agency = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency responsible"),
    )
    is_public = models.BooleanField(
        _("visible to the community"),
        default=True,
        help_text=_("Internal notes are hidden from community leaders."),
    )

    class Meta:
        verbose_name = _("issue update")
        verbose_name_plural = _("issue updates")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["issue", "created_at"], name="issue_update_timeline")]

    def __str__(self):
        return f"{self.issue.reference} {self.get_kind_display()}"


class FieldSurvey(models.Model):
    update = models.OneToOneField(
        IssueUpdate, on_delete=models.PROTECT, related_name="survey", verbose_name=_("update")
    )
    survey_date = models.DateField(_("survey date"))
    team_members = models.CharField(_("team members"), max_length=500)
    findings = models.TextField(_("findings"))
    recommendation = models.TextField(_("recommendation"), blank=True)

    class Meta:
        verbose_name = _("field survey")
        verbose_name_plural = _("field surveys")

    def __str__(self):
        return f"{self.update.issue.reference} {self.survey_date}"


def _issue_photo_path(photo: "IssuePhoto", filename: str) -> str:
    return f"issues/{photo.update.issue_id}/{secrets.token_hex(12)}.jpg"


def _issue_thumbnail_path(photo: "IssuePhoto", filename: str) -> str:
    return f"issues/{photo.update.issue_id}/thumbs/{secrets.token_hex(12)}.jpg"


class IssuePhoto(models.Model):
    update = models.ForeignKey(
        IssueUpdate, on_delete=models.PROTECT, related_name="photos", verbose_name=_("update")
    )
    image = models.ImageField(_("photo"), upload_to=_issue_photo_path)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=_issue_thumbnail_path)
    caption = models.CharField(_("caption"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("issue photo")
        verbose_name_plural = _("issue photos")
        ordering = ["pk"]

    def __str__(self):
        return self.caption or self.image.name
