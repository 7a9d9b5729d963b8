from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualNameMixin(models.Model):
    """A Thai name, an optional English one, and ``name`` in the active language."""

    name_th = models.CharField(_("Thai name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name_th


code_validator = RegexValidator(
    r"^[A-Za-z0-9_-]+$", _("Use only Latin letters, digits, hyphens and underscores.")
)


class Department(BilingualNameMixin):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Municipal department")
        FOLLOW_UP_TEAM = "follow_up_team", _("Follow-up team")
        EXTERNAL = "external", _("External agency")

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.DEPARTMENT)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["kind", "name_th"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["department", "follow_up_team", "external"]),
                name="department_kind_valid",
            ),
        ]


# A category's target when the reference data names none.
DEFAULT_TARGET_DAYS = 30


class IssueCategory(BilingualNameMixin):
    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    default_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="default_for_categories",
        verbose_name=_("default department"),
        help_text=_("New issues of this category are routed here unless staff choose another."),
    )
    target_days = models.PositiveSmallIntegerField(
        _("target days"),
        default=DEFAULT_TARGET_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_(
            "Days from forwarding to the department within which an issue of this category "
            "should be fixed; its target date defaults from it."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("issue category")
        verbose_name_plural = _("issue categories")
        ordering = ["sort_order", "code"]


class Community(BilingualNameMixin):
    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1)]
    )
    zone = models.CharField(_("zone"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    line_id = models.CharField(_("LINE ID"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1), name="community_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    def get_absolute_url(self):
        return reverse("reports:community_detail", args=[self.number])


class ParticipantRole(models.TextChoices):
    CHAIR = "chair", _("Community chair")
    COMMITTEE = "committee", _("Community committee member")
    EXECUTIVE = "executive", _("Executive")
    COUNCIL = "council", _("Council member")
    DEPARTMENT = "department", _("Department representative")
    GUEST = "guest", _("Guest")


class Participant(models.Model):
    """A person who attends the monthly meeting, on behalf of a community or office."""

    COMMUNITY_ROLES = (ParticipantRole.CHAIR, ParticipantRole.COMMITTEE)

    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole)
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("community"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("department"),
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    line_id = models.CharField(_("LINE ID"), max_length=100, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participant",
        verbose_name=_("user account"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["community__number", "role", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=["chair", "committee"]) | Q(community__isnull=False),
                name="participant_community_role_has_community",
            ),
            models.CheckConstraint(
                condition=~Q(role="department") | Q(department__isnull=False),
                name="participant_department_role_has_department",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.role in self.COMMUNITY_ROLES and not self.community_id:
            raise ValidationError(
                {"community": _("A community chair or committee member needs a community.")}
            )
        if self.role == ParticipantRole.DEPARTMENT and not self.department_id:
            raise ValidationError(
                {"department": _("A department representative needs a department.")}
            )
