"""Managing user accounts: a job of the admin role, done in the application.

Accounts are never deleted: a user's name stays on the records they wrote, so an
account that should no longer be used is deactivated."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import ContactAccess, Profile, Role
from .permissions import is_admin

# Who a role links to: the roles that work in a department, and the leader's community.
DEPARTMENT_ROLES = frozenset({Role.SECRETARIAT, Role.OFFICER, Role.FOLLOW_UP})


def _require_admin(actor) -> None:
    if not is_admin(actor):
        raise PermissionDenied


def _check_link(*, role: Role, department, community):
    """Refuse a department or community that does not fit ``role``."""
    Kind = Profile.linked_models()[0].Kind
    errors = {}
    if role in DEPARTMENT_ROLES:
        if department is None:
            errors["department"] = _("Choose the department this user works in.")
        elif department.kind == Kind.EXTERNAL:
            errors["department"] = _("An agency outside the municipality cannot have users.")
        elif role == Role.FOLLOW_UP and department.kind != Kind.FOLLOW_UP_TEAM:
            errors["department"] = _("A follow-up team member belongs to the follow-up team.")
        elif role == Role.OFFICER and department.kind != Kind.DEPARTMENT:
            errors["department"] = _("A department officer belongs to a municipal department.")
        if community is not None:
            errors["community"] = _("Only a community leader is linked to a community.")
    elif role == Role.LEADER:
        if community is None:
            errors["community"] = _("Choose the community this leader represents.")
        if department is not None:
            errors["department"] = _("A community leader is not linked to a department.")
    else:
        if department is not None:
            errors["department"] = _("An administrator is not linked to a department.")
        if community is not None:
            errors["community"] = _("Only a community leader is linked to a community.")
    if errors:
        raise ValidationError(errors)


def _check_password(password: str, user) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password1": error.messages}) from None


def _keep_own_admin_role(*, actor, user, role: Role | None = None, active: bool = True) -> None:
    """An admin cannot take away their own access: someone must be left to manage users."""
    if user.pk == actor.pk and (not active or (role is not None and role != Role.ADMIN)):
        raise ValidationError(_("You cannot take away your own administrator access."))


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    first_name: str,
    last_name: str,
    password: str,
    role: Role | str,
    department=None,
    community=None,
):
    """Create an active user holding ``role``, linked to its department or community."""
    _require_admin(actor)
    role = Role(role)
    User = get_user_model()
    username = username.strip()
    user = User(username=username, first_name=first_name.strip(), last_name=last_name.strip())
    errors = {}
    try:
        user.full_clean(exclude=["password"], validate_unique=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is already taken; choose another.")]
    try:
        _check_password(password, user)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        _check_link(role=role, department=department, community=community)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    user_role_set(user=user, role=role, department=department, community=community)
    return user


@transaction.atomic
def user_update(
    *,
    actor,
    user,
    first_name: str,
    last_name: str,
    role: Role | str,
    department=None,
    community=None,
):
    """Change the name, the role and the link of ``user``."""
    _require_admin(actor)
    role = Role(role)
    _keep_own_admin_role(actor=actor, user=user, role=role)
    _check_link(role=role, department=department, community=community)
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    if role != Role.ADMIN:
        # Superusers count as admins: the role chosen here must decide.
        user.is_superuser = user.is_staff = False
    user.full_clean(exclude=["password"], validate_unique=False)
    user.save(update_fields=["first_name", "last_name", "is_superuser", "is_staff"])
    user_role_set(user=user, role=role, department=department, community=community)
    return user


def user_password_reset(*, actor, user, password: str) -> None:
    """Give ``user`` a new password, checked by the password rules."""
    _require_admin(actor)
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])


def user_deactivate(*, actor, user) -> None:
    """Stop ``user`` from logging in; their records and name stay."""
    _require_admin(actor)
    _keep_own_admin_role(actor=actor, user=user, active=False)
    user.is_active = False
    user.save(update_fields=["is_active"])


def user_reactivate(*, actor, user) -> None:
    """Let a deactivated ``user`` log in again."""
    _require_admin(actor)
    user.is_active = True
    user.save(update_fields=["is_active"])


def user_role_set(
    *,
    user,
    role: Role | str | None,
    department=None,
    community=None,
) -> None:
    """Give ``user`` exactly ``role`` (the group of that name; none for ``None``) and
    link them to ``department`` or ``community``, replacing what they had."""
    user.groups.set([Group.objects.get_or_create(name=Role(role).value)[0]] if role else [])
    if department or community:
        Profile.objects.update_or_create(
            user=user, defaults={"department": department, "community": community}
        )
    else:
        Profile.objects.filter(user=user).update(department=None, community=None)
    # The roles and the profile are cached on the user object.
    user.__dict__.pop("_roles_cache", None)
    user._state.fields_cache.pop("profile", None)


def _own_participant(user):
    """The meetings' participant record of ``user`` (``communities.Participant``),
    reached through its link to the account, or ``None``."""
    return getattr(user, "participant", None)


@transaction.atomic
def own_contacts_update(
    *, actor, user, email: str, phone: str | None = None, line_id: str | None = None
) -> None:
    """Save the contact data ``user`` corrected themselves: their e-mail and, when
    they are on the meetings' list of participants, their phone and LINE ID
    (``None`` leaves one as it is). Nobody changes another person's here."""
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied
    user.email = email.strip()
    user.full_clean(exclude=["password"], validate_unique=False)
    user.save(update_fields=["email"])
    participant = _own_participant(user)
    if participant is None or (phone is None and line_id is None):
        return
    changed = []
    if phone is not None:
        participant.phone = phone
        changed.append("phone")
    if line_id is not None:
        participant.line_id = line_id
        changed.append("line_id")
    participant.full_clean()
    participant.save(update_fields=changed)


def contact_access_record(
    *, reader, page: str, people=(), accounts=(), community=None
) -> ContactAccess | None:
    """Record that a page showed ``reader`` the phone and LINE ID of ``people``
    (participants), the e-mail of ``accounts`` (users) or the contacts of
    ``community``: one row, in two queries however many people it names.

    Nobody's own data is counted, nor a person with nothing to show; with nothing
    left, nothing is recorded and ``None`` is returned."""
    people = [
        person
        for person in people
        if (person.phone or person.line_id) and person.user_id != reader.pk
    ]
    accounts = [account for account in accounts if account.email and account.pk != reader.pk]
    community_shown = community is not None and bool(community.phone or community.line_id)
    if not (people or accounts or community_shown):
        return None
    access = ContactAccess.objects.create(reader=reader, page=page[:300], community=community)
    if people:
        through = ContactAccess.people.through
        through.objects.bulk_create(
            [through(contactaccess_id=access.pk, participant_id=person.pk) for person in people]
        )
    if accounts:
        through = ContactAccess.accounts.through
        through.objects.bulk_create(
            [through(contactaccess_id=access.pk, user_id=account.pk) for account in accounts]
        )
    return access
