"""Users' roles and what an account is linked to.

A role is a Django group of the same name. A profile links an account to the
department or community it works for; it names those models by label
(``"communities.Department"``), so accounts imports nothing of the reference data
that sits above it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of the system; each is a Django group of the same name."""

    ADMIN = "admin", _("Administrator / executive")
    SECRETARIAT = "secretariat", _("Secretariat staff")
    OFFICER = "officer", _("Department officer")
    FOLLOW_UP = "follow_up", _("Follow-up team member")
    LEADER = "leader", _("Community leader")


class Profile(models.Model):
    """What a user account is linked to: the department of an officer or the
    community of a leader. The role itself is the user's group."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    department = models.ForeignKey(
        "communities.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("department"),
    )
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("community"),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        # Created by the communities app; the table keeps its name.
        db_table = "communities_profile"

    def __str__(self):
        return str(self.user)

    @classmethod
    def linked_models(cls) -> tuple[type[models.Model], type[models.Model]]:
        """Return the department and community models a profile links to, found
        through its own foreign keys (after the app registry is ready)."""
        return (
            cls._meta.get_field("department").related_model,
            cls._meta.get_field("community").related_model,
        )


class ContactAccess(models.Model):
    """One page that showed a user other people's contact data (phone, LINE ID,
    e-mail), for the record that PDPA asks to keep: who read whose, when, where.

    One row a page view, with everyone whose data the page showed; nobody's own data
    is counted. The people are the reference data's participants and users, named
    by label as the profile names its links."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contact_reads",
        verbose_name=_("read by"),
    )
    read_at = models.DateTimeField(_("read at"), auto_now_add=True, db_index=True)
    page = models.CharField(_("page"), max_length=300)
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    people = models.ManyToManyField(
        "communities.Participant",
        blank=True,
        related_name="+",
        verbose_name=_("people whose contacts were shown"),
    )
    accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("users whose e-mail was shown"),
    )

    class Meta:
        verbose_name = _("contact data access")
        verbose_name_plural = _("contact data accesses")
        ordering = ["-read_at", "-pk"]

    def __str__(self):
        return f"{self.reader} {self.page}"
