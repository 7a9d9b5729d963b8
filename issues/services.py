"""Writes of the issues app. Each checks the actor's right itself, records an
``IssueUpdate`` and saves the issue under a row lock, so that two people working
on one issue at once cannot overwrite each other."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.permissions import has_role, is_secretariat, user_community
from communities.models import Community, Department, IssueCategory
from core.images import images_prepare, photos_stored
from core.thaidates import fiscal_year, format_date, format_time
from meetings.models import Meeting

from . import events, workflow
from .models import (
    ENDED_STATUSES,
    OUTCOMES_NEEDING_REASON,
    UNRESOLVED_STATUSES,
    Channel,
    FieldSurvey,
    Issue,
    IssueCounter,
    IssuePhoto,
    IssueUpdate,
    Outcome,
    Priority,
    Status,
    TargetSource,
)
from .permissions import (
    ACCEPTABLE_STATUSES,
    can_hand_back,
    can_route,
    can_survey,
    is_leader_of,
    is_officer_of,
    issue_workable,
    may_accept,
)

# The timestamp field each status sets when the issue enters it.
STATUS_TIMESTAMPS = {
    Status.FORWARDED: "forwarded_at",
    Status.SURVEYED: "surveyed_at",
    Status.IN_PROGRESS: "in_progress_at",
    Status.RESOLVED: "resolved_at",
}
MAX_PHOTOS = 10
# A leader sends photos from a phone: a report or a "not fixed" answer takes a few.
LEADER_MAX_PHOTOS = 5


class StaleIssue(ValidationError):
    """Someone else changed the issue after the form was opened."""


def _next_number(year: int) -> int:
    """Take the next reference number of ``year`` under a row lock on its counter."""
    try:
        with transaction.atomic():
            IssueCounter.objects.get_or_create(fiscal_year=year)
    except IntegrityError:
        pass  # Another request created this year's counter first; use theirs.
    counter = IssueCounter.objects.select_for_update().get(fiscal_year=year)
    counter.last_number = F("last_number") + 1
    counter.save(update_fields=["last_number"])
    counter.refresh_from_db(fields=["last_number"])
    return counter.last_number


def _prepare_photos(files, *, limit: int = MAX_PHOTOS) -> list:
    files = list(files or [])
    if len(files) > limit:
        raise ValidationError({"photos": _("Attach at most %(count)s photos.") % {"count": limit}})
    return images_prepare(files, field="photos")


def _record(
    issue: Issue, *, actor, kind: str, photos=(), stored=None, at=None, **fields
) -> IssueUpdate:
    """Write a history entry with its ``photos``; their files are written through
    ``stored`` (from ``photos_stored``), so that a failure leaves none behind."""
    update = IssueUpdate.objects.create(
        issue=issue, kind=kind, actor=actor, created_at=at or timezone.now(), **fields
    )
    for item in photos:
        photo = IssuePhoto(update=update)
        stored.save(photo, item)
        photo.save()
    events.issue_changed.send(sender=IssueUpdate, update=update)
    return update


def _enter_status(issue: Issue, status: str, at: datetime.datetime) -> None:
    issue.status = status
    if status in UNRESOLVED_STATUSES:
        # Reopened: it is no longer resolved, and the indicators must not count it.
        issue.resolved_at = None
    if status in STATUS_TIMESTAMPS:
        setattr(issue, STATUS_TIMESTAMPS[status], at)
    if status in ENDED_STATUSES:
        issue.ended_at = at


class AlreadyAnswered(ValidationError):
    """The leader answered about this fix before (a second tap, an old page)."""


def _locked(issue: Issue, version: int | None) -> Issue:
    locked = Issue.objects.select_for_update().get(pk=issue.pk)
    if version is not None and locked.version != version:
        raise StaleIssue(
            _(
                "Someone else updated this issue while you were working on it. "
                "Nothing was saved; read the latest timeline and try again."
            )
        )
    return locked


def _save(issue: Issue) -> None:
    issue.version += 1
    issue.full_clean(exclude=["fiscal_year", "number"])
    issue.save()


def received_at_on(day: datetime.date | None, *, meeting: Meeting | None = None):
    """Return when an issue received on ``day`` counts as received: now when ``day``
    is today or not given, the meeting's start (or noon) on the meeting's day, and
    noon on another past day. Without ``day`` an issue raised at a meeting that has
    passed is received on the meeting's day."""
    today = timezone.localdate()
    if day is None and meeting is not None:
        day = meeting.date
    if day is None or day >= today:
        return timezone.now()
    hour = datetime.time(12, 0)
    if meeting is not None and day == meeting.date and meeting.start_time:
        hour = meeting.start_time
    return timezone.make_aware(datetime.datetime.combine(day, hour))


def issue_create(
    *,
    actor,
    community: Community,
    category: IssueCategory,
    title: str,
    description: str = "",
    location_text: str = "",
    latitude=None,
    longitude=None,
    meeting: Meeting | None = None,
    raised_by: str = "",
    department: Department | None = None,
    follow_up_team: bool = False,
    priority: int = Priority.NORMAL,
    target_date: datetime.date | None = None,
    at: datetime.datetime | None = None,
    received_at: datetime.datetime | None = None,
) -> Issue:
    """Log a problem raised by a community and route it at once: to ``department``
    or else the category's default department.

    ``received_at`` is when the community raised it (the meeting, for an issue
    typed up afterwards), ``at`` when it is logged and routed; both default to now."""
    if not is_secretariat(actor):
        raise PermissionDenied
    at = at or timezone.now()
    received_at = received_at or at
    if received_at > at:
        raise ValidationError({"received_on": _("An issue cannot be received after today.")})
    department = department or category.default_department
    issue = Issue(
        community=community,
        category=category,
        title=title.strip(),
        description=description.strip(),
        location_text=location_text.strip(),
        latitude=latitude,
        longitude=longitude,
        meeting=meeting,
        channel=Channel.MEETING if meeting else Channel.STAFF,
        raised_by=raised_by.strip(),
        follow_up_team=follow_up_team,
        priority=priority,
        target_date=target_date,
        target_source=TargetSource.OWN if target_date else "",
        created_by=actor,
        received_at=received_at,
    )
    with transaction.atomic():
        _save_new(issue, actor=actor)
        _forward(issue, actor=actor, department=department, at=at)
    return issue


def _save_new(issue: Issue, *, actor, photos=(), stored=None) -> None:
    """Validate and save a new issue with the next reference number of its fiscal
    year, recording its receipt, with its ``photos``, as the first entry of its history."""
    issue.full_clean(exclude=["fiscal_year", "number"])
    issue.fiscal_year = fiscal_year(issue.received_at)
    issue.number = _next_number(issue.fiscal_year)
    issue.save()
    _record(
        issue,
        actor=actor,
        kind=IssueUpdate.Kind.CREATED,
        to_status=Status.RECEIVED,
        photos=photos,
        stored=stored,
        at=issue.received_at,
    )


def _category_target(issue: Issue, forwarded_at: datetime.datetime) -> datetime.date:
    """The date ``issue`` should be fixed by under its category's target."""
    days = issue.category.target_days
    return timezone.localtime(forwarded_at).date() + datetime.timedelta(days=days)


def _target_from_category(issue: Issue, at: datetime.datetime) -> str:
    """Give an issue forwarded at ``at`` without a target date its category's, and
    return the history line that says so (empty if it already had one)."""
    if issue.target_date is not None:
        return ""
    issue.target_date = _category_target(issue, at)
    issue.target_source = TargetSource.CATEGORY
    return _("Target date from the category's target: within %(days)s days (%(date)s)") % {
        "days": issue.category.target_days,
        "date": format_date(issue.target_date),
    }


def _target_set(issue: Issue, target_date: datetime.date, *, reason: str, at) -> str:
    """Set the target date the department gives ``issue``; a date other than the
    category's target needs a reason. Return the history line."""
    default = _category_target(issue, issue.forwarded_at or at)
    values = {
        "date": format_date(target_date),
        "days": issue.category.target_days,
        "reason": reason.strip(),
    }
    if target_date == default:
        line = _("Target date: %(date)s, the category's target (within %(days)s days)") % values
        source = TargetSource.CATEGORY
    elif not values["reason"]:
        raise ValidationError(
            {
                "target_reason": _(
                    "Write why this issue needs a date other than its category's target "
                    "(%(default)s)."
                )
                % {"default": format_date(default)}
            }
        )
    else:
        line = _("Target date set for this issue: %(date)s. Reason: %(reason)s") % values
        source = TargetSource.OWN
    issue.target_date = target_date
    issue.target_source = source
    return line


def _forward(issue: Issue, *, actor, department: Department, at, note: str = "") -> None:
    if department.kind == Department.Kind.EXTERNAL:
        raise ValidationError(
            {"department": _("Route to a municipal department; outside agencies get referrals.")}
        )
    issue.department = department
    note = "\n".join(line for line in (note, _target_from_category(issue, at)) if line)
    _record(
        issue,
        actor=actor,
        kind=IssueUpdate.Kind.ROUTED,
        from_status=issue.status,
        to_status=Status.FORWARDED,
        to_department=department,
        note=note,
        at=at,
    )
    _enter_status(issue, Status.FORWARDED, at)
    _save(issue)


def issue_submit(
    *,
    actor,
    category: IssueCategory,
    title: str,
    description: str = "",
    location_text: str = "",
    latitude=None,
    longitude=None,
    photos=(),
) -> Issue:
    """A community leader reports a problem of their own community between meetings,
    with up to ``LEADER_MAX_PHOTOS`` photos. It is routed at once by its category, as
    staff-logged issues are, and waits for staff to confirm it into a meeting's
    agenda (``awaiting_meeting``)."""
    community = user_community(actor)
    if not has_role(actor, Role.LEADER) or community is None:
        raise PermissionDenied
    prepared = _prepare_photos(photos, limit=LEADER_MAX_PHOTOS)
    at = timezone.now()
    issue = Issue(
        community=community,
        category=category,
        title=title.strip(),
        description=description.strip(),
        location_text=location_text.strip(),
        latitude=latitude,
        longitude=longitude,
        awaiting_meeting=True,
        channel=Channel.ONLINE,
        raised_by=actor.get_full_name() or actor.username,
        created_by=actor,
        received_at=at,
    )
    with photos_stored() as stored, transaction.atomic():
        _save_new(issue, actor=actor, photos=prepared, stored=stored)
        # The category routes it, not the leader: the routing is the system's, in
        # the history and for who is told.
        _forward(
            issue,
            actor=None,
            department=category.default_department,
            at=at,
            note=_("Routed by its category when the community sent it."),
        )
    return issue


def issue_confirm(*, issue: Issue, actor, meeting: Meeting, version: int | None = None) -> Issue:
    """Put a leader's submission on ``meeting``'s agenda. A submission is routed
    when it is sent; one sent before that was (still unrouted) is routed now."""
    if not is_secretariat(actor):
        raise PermissionDenied
    with transaction.atomic():
        issue = _locked(issue, version)
        if not issue.awaiting_meeting:
            raise ValidationError(_("This issue is not waiting for a meeting."))
        if meeting.status == Meeting.Status.PUBLISHED:
            raise ValidationError(_("Choose a meeting whose minutes are not yet published."))
        issue.meeting = meeting
        issue.awaiting_meeting = False
        now = timezone.now()
        _record(
            issue,
            actor=actor,
            kind=IssueUpdate.Kind.CONFIRMED,
            note=_("On the agenda of meeting no. %(number)s") % {"number": meeting.number_label},
            at=now,
        )
        if issue.department_id is None and issue.status == Status.RECEIVED:
            _forward(issue, actor=actor, department=issue.category.default_department, at=now)
        else:
            _save(issue)
    return issue


def issue_update(
    *,
    issue: Issue,
    actor,
    version: int | None,
    to_status: str = "",
    note: str = "",
    is_public: bool = True,
    photos=(),
    target_date: datetime.date | None = None,
    target_reason: str = "",
    duplicate_of: Issue | None = None,
    referred_to: Department | None = None,
    outcome: str = "",
    outcome_note: str = "",
    outcome_agency: Department | None = None,
    at: datetime.datetime | None = None,
) -> Issue:
    """Post progress on ``issue``, optionally moving it to ``to_status``.

    ``version`` is the issue's version the actor saw; if the issue changed since,
    nothing is saved (``StaleIssue``). A move must be allowed by the workflow and
    by the actor's role; a duplicate names the original, a referral the agency,
    and closing records the ``outcome`` (``_check_outcome``). A ``target_date``
    other than the category's target needs ``target_reason``."""
    note = note.strip()
    outcome_note = outcome_note.strip()
    prepared = _prepare_photos(photos)
    with photos_stored() as stored, transaction.atomic():
        issue = _locked(issue, version)
        if not issue_workable(actor, issue):
            raise PermissionDenied
        at = at or timezone.now()
        target_line = ""
        if target_date is not None and target_date != issue.target_date:
            target_line = _target_set(issue, target_date, reason=target_reason, at=at)
        from_status = issue.status
        if to_status:
            if to_status not in workflow.next_statuses(from_status):
                raise ValidationError(
                    _("An issue that is “%(current)s” cannot become “%(new)s”.")
                    % {
                        "current": Status(from_status).label,
                        "new": Status(to_status).label if to_status in Status.values else to_status,
                    }
                )
            if to_status not in workflow.allowed_targets(actor, from_status):
                raise PermissionDenied
            if to_status == Status.DUPLICATE:
                if duplicate_of is None or duplicate_of.pk == issue.pk:
                    raise ValidationError({"duplicate_of": _("Name the original issue.")})
                issue.duplicate_of = duplicate_of
            if to_status == Status.REFERRED:
                if referred_to is None or referred_to.kind != Department.Kind.EXTERNAL:
                    raise ValidationError({"referred_to": _("Name the outside agency.")})
                issue.referred_to = referred_to
            if to_status == Status.CLOSED:
                _check_outcome(outcome, outcome_note, outcome_agency)
                issue.outcome = outcome
                issue.outcome_note = outcome_note
                issue.outcome_agency = (
                    outcome_agency if outcome == Outcome.NOT_FIXED_OTHER_AGENCY else None
                )
            if to_status in (Status.CLOSED, Status.WITHDRAWN, Status.DUPLICATE) and not note:
                raise ValidationError({"note": _("Write why, for the record.")})
            if from_status == Status.RESOLVED and to_status == Status.IN_PROGRESS and not note:
                raise ValidationError(
                    {"note": _("Write what the community says is still not fixed.")}
                )
            _enter_status(issue, to_status, at)
        elif not note and not prepared and not target_line:
            raise ValidationError(
                {"note": _("Write the progress, attach a photo or change the status.")}
            )
        if issue.first_response_at is None and not is_secretariat(actor):
            issue.first_response_at = at
        if issue.accepted_at is None and is_officer_of(actor, issue):
            # An officer who starts on the work without pressing "ตอบรับเรื่อง" has taken
            # it up all the same; this entry is the record of it.
            issue.accepted_at, issue.accepted_by = at, actor
        _record(
            issue,
            actor=actor,
            kind=IssueUpdate.Kind.TRANSITION if to_status else IssueUpdate.Kind.PROGRESS,
            from_status=from_status if to_status else "",
            to_status=to_status,
            note="\n".join(line for line in (note, target_line) if line),
            **(
                {
                    "outcome": issue.outcome,
                    "outcome_note": issue.outcome_note,
                    "outcome_agency": issue.outcome_agency,
                }
                if to_status == Status.CLOSED
                else {}
            ),
            is_public=is_public,
            photos=prepared,
            stored=stored,
            at=at,
        )
        _save(issue)
    return issue


def issue_accept(
    *,
    issue: Issue,
    actor,
    version: int | None,
    target_date: datetime.date | None = None,
    target_reason: str = "",
    note: str = "",
    at: datetime.datetime | None = None,
) -> Issue:
    """The department an issue is routed to takes it up ("ตอบรับเรื่อง"): record who and
    when, optionally with the target date it gives and a note.

    The status does not change: a forwarded issue stays forwarded (or surveyed) until
    the work starts, so "in progress" keeps meaning that work is under way and its
    timestamp stays true. An officer of the department, the follow-up team, the
    secretariat and admins may accept; once, while the issue is new to the department
    (forwarded or surveyed). A ``target_date`` other than the category's needs
    ``target_reason``."""
    note = note.strip()
    with transaction.atomic():
        issue = _locked(issue, version)
        if not may_accept(actor, issue):
            raise PermissionDenied
        if issue.accepted_at is not None:
            raise ValidationError(
                _("%(department)s already accepted this issue on %(date)s.")
                % {"department": issue.department.name, "date": format_date(issue.accepted_at)}
            )
        if issue.status not in ACCEPTABLE_STATUSES:
            raise ValidationError(
                _("An issue that is “%(current)s” is past being accepted.")
                % {"current": Status(issue.status).label}
            )
        at = at or timezone.now()
        target_line = ""
        if target_date is not None and target_date != issue.target_date:
            if target_date < timezone.localdate():
                raise ValidationError({"target_date": _("A target date cannot be in the past.")})
            target_line = _target_set(issue, target_date, reason=target_reason, at=at)
        issue.accepted_at = at
        issue.accepted_by = actor
        if issue.first_response_at is None and not is_secretariat(actor):
            issue.first_response_at = at
        _record(
            issue,
            actor=actor,
            kind=IssueUpdate.Kind.ACCEPTED,
            to_department=issue.department,
            note="\n".join(line for line in (note, target_line) if line),
            at=at,
        )
        _save(issue)
    return issue


def _check_outcome(outcome: str, reason: str, agency: Department | None) -> None:
    """Closing says what it achieved: an outcome, the agency whose responsibility it
    is when it is another agency's, and the reason when it is not (fully) fixed."""
    if outcome not in Outcome.values:
        raise ValidationError(
            {"outcome": _("Choose the outcome: was the problem fixed, and if not, why not?")}
        )
    if outcome == Outcome.NOT_FIXED_OTHER_AGENCY and agency is None:
        raise ValidationError(
            {"outcome_agency": _("Name the agency whose responsibility this is.")}
        )
    if outcome in OUTCOMES_NEEDING_REASON and not reason:
        message = (
            _("Write what is still not fixed.")
            if outcome == Outcome.PARTLY_FIXED
            else _("Write why it was not fixed.")
        )
        raise ValidationError({"outcome_note": message})


def issue_route(
    *,
    issue: Issue,
    actor,
    version: int | None,
    department: Department,
    follow_up_team: bool,
    priority: int,
    note: str = "",
) -> Issue:
    """Reassign the responsible department, involve the follow-up team or change
    the priority; the change is itself a history entry."""
    with transaction.atomic():
        issue = _locked(issue, version)
        if not can_route(actor, issue):
            raise PermissionDenied
        if department.kind == Department.Kind.EXTERNAL:
            raise ValidationError(
                {
                    "department": _(
                        "Route to a municipal department; outside agencies get referrals."
                    )
                }
            )
        if priority not in Priority.values:
            raise ValidationError({"priority": _("Choose a priority.")})
        changes = []
        if department != issue.department:
            changes.append(
                _("Reassigned from %(old)s to %(new)s")
                % {"old": issue.department or "—", "new": department}
            )
        if follow_up_team != issue.follow_up_team:
            changes.append(
                _("Follow-up team involved") if follow_up_team else _("Follow-up team released")
            )
        if priority != issue.priority:
            changes.append(_("Priority: %(priority)s") % {"priority": Priority(priority).label})
        if not changes:
            raise ValidationError(_("Nothing was changed."))
        from_department = issue.department
        at = timezone.now()
        if issue.status == Status.RECEIVED and not issue.awaiting_meeting:
            if target_line := _target_from_category(issue, at):
                changes.append(target_line)
            _record(
                issue,
                actor=actor,
                kind=IssueUpdate.Kind.ROUTED,
                from_status=Status.RECEIVED,
                to_status=Status.FORWARDED,
                from_department=from_department,
                to_department=department,
                note="\n".join([*changes, note.strip()]).strip(),
                is_public=False,
                at=at,
            )
            _enter_status(issue, Status.FORWARDED, at)
        else:
            _record(
                issue,
                actor=actor,
                kind=IssueUpdate.Kind.ROUTED,
                from_department=from_department,
                to_department=department,
                note="\n".join([*changes, note.strip()]).strip(),
                is_public=False,
                at=at,
            )
        if department != from_department:
            # The new department has not taken it up yet: it is new in their worklist.
            issue.accepted_at, issue.accepted_by = None, None
        issue.department = department
        issue.follow_up_team = follow_up_team
        issue.priority = priority
        _save(issue)
    return issue


def issue_hand_back(*, issue: Issue, actor, version: int | None, reason: str) -> Issue:
    """An officer returns an issue that is not their department's work to staff."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Write why this is not your department's work.")})
    with transaction.atomic():
        issue = _locked(issue, version)
        if not can_hand_back(actor, issue):
            raise PermissionDenied
        _record(
            issue,
            actor=actor,
            kind=IssueUpdate.Kind.RETURNED,
            from_status=issue.status,
            to_status=Status.RECEIVED,
            from_department=issue.department,
            note=reason,
            is_public=False,
        )
        issue.status = Status.RECEIVED
        issue.department = None
        issue.accepted_at, issue.accepted_by = None, None
        _save(issue)
    return issue


def survey_record(
    *,
    issue: Issue,
    actor,
    version: int | None,
    survey_date: datetime.date,
    team_members: str,
    findings: str,
    recommendation: str = "",
    photos=(),
    at: datetime.datetime | None = None,
) -> FieldSurvey:
    """Record the follow-up team's visit; a forwarded issue becomes surveyed."""
    prepared = _prepare_photos(photos)
    if survey_date > timezone.localdate():
        raise ValidationError({"survey_date": _("A survey cannot be dated in the future.")})
    with photos_stored() as stored, transaction.atomic():
        issue = _locked(issue, version)
        if not can_survey(actor, issue):
            raise PermissionDenied
        if survey_date < timezone.localtime(issue.received_at).date():
            raise ValidationError(
                {"survey_date": _("A survey cannot be dated before the issue was received.")}
            )
        survey = FieldSurvey(
            survey_date=survey_date,
            team_members=team_members.strip(),
            findings=findings.strip(),
            recommendation=recommendation.strip(),
        )
        survey.full_clean(exclude=["update"])
        from_status = issue.status
        moves = from_status == Status.FORWARDED
        at = at or timezone.now()
        update = _record(
            issue,
            actor=actor,
            kind=IssueUpdate.Kind.SURVEY,
            from_status=from_status if moves else "",
            to_status=Status.SURVEYED if moves else "",
            note=survey.findings,
            photos=prepared,
            stored=stored,
            at=at,
        )
        survey.update = update
        survey.save()
        if moves:
            _enter_status(issue, Status.SURVEYED, at)
        issue.follow_up_team = True
        _save(issue)
    return survey


def _answer_locked(issue: Issue, *, actor, version: int | None) -> Issue:
    """Lock ``issue`` for a leader's answer about its fix: refused to anyone but a
    leader of its community, and once it is no longer resolved."""
    # The status is read before the version: a leader who answers again from a page
    # opened before their own first answer is told that, not that someone else wrote.
    issue = _locked(issue, None)
    if not is_leader_of(actor, issue):
        raise PermissionDenied
    if issue.status != Status.RESOLVED:
        answer = (
            issue.updates.filter(from_status=Status.RESOLVED).order_by("-created_at", "-pk").first()
        )
        if answer is not None and answer.actor_id == actor.pk:
            raise AlreadyAnswered(
                _(
                    "You already answered on %(when)s: the issue is now “%(status)s”. "
                    "Nothing more was saved."
                )
                % {
                    "when": f"{format_date(timezone.localtime(answer.created_at))} "
                    f"{format_time(timezone.localtime(answer.created_at).time())}",
                    "status": Status(issue.status).label,
                }
            )
        raise ValidationError(
            _(
                "This issue is no longer waiting for the community to confirm the fix "
                "(it is now “%(status)s”). Nothing was saved."
            )
            % {"status": Status(issue.status).label}
        )
    return _locked(issue, version)


def leader_confirm_fix(*, issue: Issue, actor, version: int | None = None) -> Issue:
    """A leader of the issue's community confirms that the resolved ``issue`` is fixed:
    it is closed with the outcome "fixed", recorded in its public history."""
    with transaction.atomic():
        issue = _answer_locked(issue, actor=actor, version=version)
        at = timezone.now()
        issue.outcome = Outcome.FIXED
        issue.outcome_note = ""
        issue.outcome_agency = None
        _record(
            issue,
            actor=actor,
            kind=IssueUpdate.Kind.TRANSITION,
            from_status=Status.RESOLVED,
            to_status=Status.CLOSED,
            note=_("The community confirmed that the problem is fixed."),
            outcome=Outcome.FIXED,
            is_public=True,
            at=at,
        )
        _enter_status(issue, Status.CLOSED, at)
        _save(issue)
    return issue


def leader_dispute_fix(
    *, issue: Issue, actor, reason: str, photos=(), version: int | None = None
) -> Issue:
    """A leader of the issue's community says the resolved ``issue`` is not fixed:
    it is reopened (in progress) with their ``reason`` and optional ``photos``, in its
    public history; the indicators stop counting it as resolved."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Write what is still not fixed.")})
    prepared = _prepare_photos(photos, limit=LEADER_MAX_PHOTOS)
    with photos_stored() as stored, transaction.atomic():
        issue = _answer_locked(issue, actor=actor, version=version)
        at = timezone.now()
        _record(
            issue,
            actor=actor,
            kind=IssueUpdate.Kind.TRANSITION,
            from_status=Status.RESOLVED,
            to_status=Status.IN_PROGRESS,
            note=reason,
            is_public=True,
            photos=prepared,
            stored=stored,
            at=at,
        )
        _enter_status(issue, Status.IN_PROGRESS, at)
        _save(issue)
    return issue
