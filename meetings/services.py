"""Writes of the meetings app: the meeting's life, its agenda, attendance and photos.

Every function checks the actor's right itself (views only parse input), and
every change to a published meeting is recorded as a ``MeetingChange``.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import can_change, is_admin, is_secretariat, user_roles
from communities.models import Participant, ParticipantRole
from core.images import images_prepare, photos_stored
from core.thaidates import fiscal_year, format_date, format_time

from .models import (
    AgendaItem,
    AgendaKind,
    AgendaTemplateItem,
    Attendance,
    FiscalYear,
    Meeting,
    MeetingChange,
    MeetingPhoto,
    MeetingYear,
    minutes_fingerprint,
    number_year,
)

# The meeting's life: each status and the statuses it may move to.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Meeting.Status.DRAFT: (Meeting.Status.HELD,),
    Meeting.Status.HELD: (Meeting.Status.APPROVED,),
    Meeting.Status.APPROVED: (Meeting.Status.PUBLISHED,),
    Meeting.Status.PUBLISHED: (),
}

MEETING_FIELDS = (
    "date",
    "start_time",
    "end_time",
    "venue",
    "chair",
    "minute_taker",
    "minute_taker_position",
    "minute_checker",
    "minute_checker_position",
)
EARLIEST_MEETING_YEAR = 2000
# While a year is renumbered its moved meetings wait above this number, so that the
# unique (year, number) constraint holds after every row written, on every database.
PARKED_NUMBERS = 10_000


class StaleMeeting(ValidationError):
    """Someone else saved this part of the meeting after the form was opened;
    ``items`` are the agenda items concerned (minutes), if any."""

    def __init__(self, message, items=()):
        super().__init__(message)
        self.items = list(items)


def _refuse_null_characters(*texts: str) -> None:
    """Refuse text with U+0000, which PostgreSQL cannot store. Forms do this for
    their fields; the roll, the minutes and captions are read straight from POST."""
    if any("\x00" in text for text in texts):
        raise ValidationError(_("The text contains a character that cannot be saved."))


def _caption_clean(caption: str, *, field: str | None = None) -> str:
    """Return the caption without surrounding spaces, or refuse one too long to
    keep whole."""
    caption = caption.strip()
    limit = MeetingPhoto._meta.get_field("caption").max_length
    if len(caption) > limit:
        message = _("A caption can be at most %(limit)s characters; this one has %(count)s.") % {
            "limit": limit,
            "count": len(caption),
        }
        raise ValidationError({field: message} if field else message)
    return caption


def _require_change(actor, meeting: Meeting) -> None:
    if not can_change(actor, meeting):
        raise PermissionDenied


# Once the minutes are approved (at the next meeting) the meeting is on record:
# only an admin may still correct its attendance, and every change is recorded.
ON_RECORD = (Meeting.Status.APPROVED, Meeting.Status.PUBLISHED)


def _refuse_attendance_change(meeting: Meeting, actor) -> None:
    if meeting.status in ON_RECORD and not is_admin(actor):
        raise ValidationError(
            _(
                "The minutes of this meeting are approved: only an administrator may correct its attendance."
            )
        )


def _record_if_on_record(meeting: Meeting, actor, summary: str, before: dict, after: dict):
    """Record a change to a meeting on record (approved or published minutes)."""
    if meeting.status in ON_RECORD and before != after:
        MeetingChange.objects.create(
            meeting=meeting, changed_by=actor, summary=summary, before=before, after=after
        )


def _jsonable(value):
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def _check_date(day: datetime.date) -> int:
    """Return the fiscal year of a meeting on ``day``, refusing closed or absurd years."""
    today = timezone.localdate()
    if not EARLIEST_MEETING_YEAR <= day.year <= today.year + 2:
        raise ValidationError(
            {"date": _("The date %(date)s is out of range.") % {"date": day.isoformat()}}
        )
    year = fiscal_year(day)
    if FiscalYear.objects.filter(year=year, is_closed=True).exists():
        raise ValidationError(
            {
                "date": _("Fiscal year %(year)s is closed; no meeting can be added to it.")
                % {"year": year}
            }
        )
    return year


def _lock_years(*years: int) -> None:
    """Hold the numbering of ``years`` until the transaction ends. The rows are
    locked in one order, so two requests wanting the same two years cannot deadlock."""
    for year in sorted(set(years)):
        MeetingYear.objects.select_for_update().get_or_create(year=year)


def _renumber(year: int, *, start: tuple[datetime.date, int]) -> None:
    """Number the meetings of ``year`` from ``start`` (a date and a meeting id) on,
    in date order and then order of creation, following the highest number before
    ``start``; the meetings before it keep theirs. Call it with the year locked.

    Refuse, naming the meeting, when a number written in approved minutes would change.
    """
    # Locked too: a meeting approved meanwhile is seen approved, and left alone.
    meetings = Meeting.objects.select_for_update().filter(number_year=year).order_by("date", "pk")
    head, tail = [], []
    for meeting in meetings:
        (head if (meeting.date, meeting.pk) < start else tail).append(meeting)
    first = max((meeting.number for meeting in head), default=0) + 1
    moved = []
    for number, meeting in enumerate(tail, start=first):
        if meeting.number == number:
            continue
        if meeting.number_is_signed:
            raise ValidationError(
                {
                    "date": _(
                        "Meeting no. %(number)s of %(date)s has approved minutes, so its "
                        "number cannot change. Date this meeting after it."
                    )
                    % {"number": meeting.number_label, "date": format_date(meeting.date)}
                }
            )
        meeting.number = number
        moved.append(meeting)
    parked = [Meeting(pk=meeting.pk, number=PARKED_NUMBERS + meeting.number) for meeting in moved]
    Meeting.objects.bulk_update(parked, ["number"])
    Meeting.objects.bulk_update(moved, ["number"])


def _previous_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(date__lt=meeting.date)
        .exclude(pk=meeting.pk)
        .order_by("-date", "-number")
        .first()
    )


def _create_agenda(meeting: Meeting) -> None:
    previous = _previous_meeting(meeting)
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            order=position,
            kind=template.kind,
            title=template.title,
            refers_to_meeting=previous if template.kind == AgendaKind.PREVIOUS_MINUTES else None,
        )
        for position, template in enumerate(
            AgendaTemplateItem.objects.filter(active=True).order_by("order"), start=1
        )
    )


def meeting_create(*, actor, **fields) -> Meeting:
    """Create a meeting with the agenda of the template, numbered by its date among
    the meetings of its year; the later meetings of the year move up by one.

    The year is locked meanwhile: meetings created at once wait for each other
    instead of taking the same number."""
    if not is_secretariat(actor):
        raise PermissionDenied
    meeting = Meeting(created_by=actor, **fields)
    meeting.full_clean(exclude=["fiscal_year", "number_year", "number"])
    meeting.fiscal_year = _check_date(meeting.date)
    meeting.number_year = number_year(meeting.date)
    with transaction.atomic():
        _lock_years(meeting.number_year)
        meeting.number = 0  # Free while the year is locked; _renumber gives the real one.
        meeting.new_check_in_token()
        meeting.save()
        _renumber(meeting.number_year, start=(meeting.date, meeting.pk))
        meeting.refresh_from_db(fields=["number"])
        _create_agenda(meeting)
    return meeting


def meeting_update(*, meeting: Meeting, actor, version: int | None = None, **fields) -> Meeting:
    """Change the meeting's details. A new date renumbers the meetings of its year
    (and of the year it leaves) by date, refused where approved minutes carry a
    number that would change; moving to another fiscal year is for drafts only.

    ``version`` is the meeting's version the form showed; if someone else saved
    the details since, nothing is saved (``StaleMeeting``). The meeting row is
    locked for the check, so two edits at once cannot both pass it."""
    _require_change(actor, meeting)
    before = {name: _jsonable(getattr(meeting, name)) for name in MEETING_FIELDS}
    for name, value in fields.items():
        if name not in MEETING_FIELDS:
            raise ValueError(f"{name} is not a meeting field")
        setattr(meeting, name, value)
    meeting.full_clean(exclude=["fiscal_year", "number_year", "number"])
    year = _check_date(meeting.date)
    counted_in = number_year(meeting.date)
    with transaction.atomic():
        stored_year = Meeting.objects.values_list("number_year", flat=True).get(pk=meeting.pk)
        # The years before the meeting's row, in the order meeting_create takes them.
        _lock_years(stored_year, counted_in)
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if current.number_year != stored_year:  # Moved by someone else meanwhile.
            _lock_years(current.number_year)
        if version is not None and version != current.version:
            raise StaleMeeting(
                _(
                    "Someone else saved this meeting's details while you were editing them. "
                    "Nothing was saved; what you typed is kept below."
                )
            )
        meeting.version = current.version + 1
        if year != meeting.fiscal_year:
            if current.status != Meeting.Status.DRAFT:
                raise ValidationError(
                    {"date": _("A meeting that has been held cannot move to another fiscal year.")}
                )
            meeting.fiscal_year = year
        old_start, new_start = (current.date, meeting.pk), (meeting.date, meeting.pk)
        moves_year = counted_in != current.number_year
        meeting.number_year = counted_in
        # Free while the years are locked; the new year is renumbered below.
        meeting.number = 0 if moves_year else current.number
        if current.status in ON_RECORD:
            # The minutes on record name the chair an administrator sets now.
            meeting.put_chair_on_record()
        # Only the details: the status may have moved since the form was opened.
        meeting.save(
            update_fields=[
                *MEETING_FIELDS,
                "chair_name_on_record",
                "chair_position_on_record",
                "fiscal_year",
                "number_year",
                "number",
                "version",
                "updated_at",
            ]
        )
        if moves_year:
            _renumber(current.number_year, start=old_start)
            _renumber(counted_in, start=new_start)
        elif old_start != new_start:
            _renumber(counted_in, start=min(old_start, new_start))
        meeting.refresh_from_db(fields=["number"])
        after = {name: _jsonable(getattr(meeting, name)) for name in MEETING_FIELDS}
        _record_if_on_record(meeting, actor, _("Meeting details changed"), before, after)
    return meeting


def _now_in_words() -> str:
    """The municipality's date and time now, as a Thai reader writes them."""
    now = timezone.localtime()
    return f"{format_date(now)} {format_time(now.time())}"


def meeting_transition(
    *, meeting: Meeting, to_status: str, actor, approved_at: Meeting | None = None
) -> Meeting:
    """Move the meeting to ``to_status`` if its life allows it.

    ``held`` needs the start time and a date that has come; ``approved`` needs the
    later meeting at which the minutes were approved."""
    _require_change(actor, meeting)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if to_status not in TRANSITIONS[meeting.status]:
            raise ValidationError(
                _("A meeting that is “%(current)s” cannot become “%(new)s”.")
                % {
                    "current": meeting.get_status_display(),
                    "new": Meeting.Status(to_status).label
                    if to_status in Meeting.Status.values
                    else to_status,
                }
            )
        if to_status == Meeting.Status.HELD:
            # The municipality's calendar decides (TIME_ZONE), never the server's own
            # clock: from 00:00 in Bangkok on the meeting's day it may be marked held.
            if meeting.date > timezone.localdate():
                raise ValidationError(
                    _(
                        "Meeting no. %(number)s is on %(date)s. It can be marked held from "
                        "00:00 on that day by the municipality's clock (%(zone)s); it is "
                        "now %(now)s there."
                    )
                    % {
                        "number": meeting.number_label,
                        "date": format_date(meeting.date),
                        "zone": timezone.get_current_timezone_name(),
                        "now": _now_in_words(),
                    }
                )
            if meeting.start_time is None:
                raise ValidationError(_("Record the start time before marking the meeting held."))
        if to_status == Meeting.Status.APPROVED:
            if approved_at is None or approved_at.date <= meeting.date:
                raise ValidationError(
                    _("Minutes are approved at a later meeting; choose which one.")
                )
            meeting.minutes_approved_at = approved_at
            meeting.put_chair_on_record()
            _put_attendance_on_record(meeting)
        meeting.status = to_status
        meeting.save(
            update_fields=[
                "status",
                "minutes_approved_at",
                "chair_name_on_record",
                "chair_position_on_record",
                "updated_at",
            ]
        )
    return meeting


def _put_attendance_on_record(meeting: Meeting) -> None:
    """Write into each attendance row the name and position the minutes print."""
    rows = list(meeting.attendances.select_related("participant"))
    for row in rows:
        row.put_on_record()
    Attendance.objects.bulk_update(rows, ["name_on_record", "position_on_record"])


def minutes_update(
    *,
    meeting: Meeting,
    actor,
    texts: dict[int, tuple[str, str]],
    seen: dict[int, str] | None = None,
) -> None:
    """Save the discussion and resolution of agenda items, ``{item id: (discussion,
    resolution)}``; every id must belong to this meeting.

    ``seen`` holds, per item, the ``minutes_fingerprint`` the page showed. An
    item posted as it was shown is not written; an item changed on the page and
    also saved by someone else since refuses the whole save (``StaleMeeting``).
    The meeting row is locked meanwhile, so two saves at once cannot both pass."""
    _require_change(actor, meeting)
    _refuse_null_characters(*(text for pair in texts.values() for text in pair))
    seen = seen or {}
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        items = {item.pk: item for item in meeting.agenda_items.all()}
        unknown = set(texts) - set(items)
        if unknown:
            raise ValidationError(_("Some agenda items do not belong to this meeting."))
        changed, stale, before, after = [], [], {}, {}
        for pk, (discussion, resolution) in texts.items():
            item = items[pk]
            posted = minutes_fingerprint(discussion, resolution)
            if posted == item.minutes_fingerprint:
                continue
            if pk in seen:
                if posted == seen[pk]:
                    continue  # not changed on the page: keep what is saved now
                if item.minutes_fingerprint != seen[pk]:
                    stale.append(item)
                    continue
            before[str(pk)] = [item.discussion, item.resolution]
            after[str(pk)] = [discussion, resolution]
            item.discussion, item.resolution = discussion, resolution
            changed.append(item)
        if stale:
            raise StaleMeeting(
                _(
                    "Someone else saved the minutes of %(items)s while you were writing. "
                    "Nothing was saved. Your text is kept below, with what is saved now "
                    "under each of those items; check it and save again."
                )
                % {"items": ", ".join(f"“{item.title}”" for item in stale)},
                items=stale,
            )
        AgendaItem.objects.bulk_update(changed, ["discussion", "resolution"])
        _record_if_on_record(meeting, actor, _("Minutes changed"), before, after)


def agenda_sub_item_add(*, meeting: Meeting, actor, parent: AgendaItem, title: str) -> AgendaItem:
    """Add a sub-item (๔.๑, ๔.๒ …) under a top-level agenda item."""
    _require_change(actor, meeting)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the sub-item a title.")})
    if parent.meeting_id != meeting.pk or parent.parent_id is not None:
        raise ValidationError(_("Sub-items go under a main agenda item of this meeting."))
    with transaction.atomic():
        last = parent.sub_items.aggregate(last=Max("order"))["last"] or 0
        item = AgendaItem(
            meeting=meeting, parent=parent, order=last + 1, kind=parent.kind, title=title
        )
        item.full_clean()
        item.save()
        _record_if_on_record(meeting, actor, _("Agenda sub-item added"), {}, {"title": title})
    return item


ROLL_NOTE_LENGTH = 200


@dataclass(frozen=True)
class RollEntry:
    """One person's line of a posted roll.

    ``seen`` is what the page showed when it was opened: the row's version (0 when
    the person had no row yet), its status and its note. Without it (scripts, demo
    data) the entry is written as given, except that it never undoes a self check-in.
    """

    participant_id: int
    status: str
    note: str = ""
    seen: tuple[int, str, str] | None = None


@dataclass(frozen=True)
class RollConflict:
    """A person whose row someone else changed after the roll page was opened."""

    name: str
    wanted: str
    current: str


@dataclass(frozen=True)
class RollResult:
    saved: int
    conflicts: list[RollConflict]


def _roll_values(status: str, note: str) -> dict:
    return {
        "status": status,
        "substitute_name": note if status == Attendance.Status.REPRESENTED else "",
        "absence_reason": note if status == Attendance.Status.ABSENT else "",
    }


def _roll_label(status: str, note: str, self_checked_in=None) -> str:
    label = str(Attendance.Status(status).label) if status in Attendance.Status.values else status
    if note:
        label = f"{label} ({note})"
    if self_checked_in:
        label = _("%(status)s, checked in by QR at %(time)s") % {
            "status": label,
            "time": timezone.localtime(self_checked_in).strftime("%H:%M"),
        }
    return label


def _roll_errors(entries: list[RollEntry], names: dict[int, str]) -> list[str]:
    errors = []
    for entry in entries:
        name = names[entry.participant_id]
        note = entry.note.strip()
        if entry.seen is not None and (entry.status, note) == entry.seen[1:]:
            continue  # not changed on the page: nothing of it is written
        if entry.status not in Attendance.Status.values:
            errors.append(_("Choose the attendance of %(name)s.") % {"name": name})
        elif entry.status == Attendance.Status.REPRESENTED and not note:
            errors.append(_("Write the name of the substitute for %(name)s.") % {"name": name})
        elif note and entry.status not in (
            Attendance.Status.REPRESENTED,
            Attendance.Status.ABSENT,
        ):
            errors.append(
                _(
                    "The note for %(name)s is kept only for a substitute or a reason for "
                    "absence. Clear it, or choose “%(represented)s” or “%(absent)s”."
                )
                % {
                    "name": name,
                    "represented": Attendance.Status.REPRESENTED.label,
                    "absent": Attendance.Status.ABSENT.label,
                }
            )
        elif len(note) > ROLL_NOTE_LENGTH:
            errors.append(
                _(
                    "The note for %(name)s is too long (at most %(limit)s characters, "
                    "it has %(count)s)."
                )
                % {"name": name, "limit": ROLL_NOTE_LENGTH, "count": len(note)}
            )
    return errors


def attendance_record(*, meeting: Meeting, actor, entries: list[RollEntry]) -> RollResult:
    """Save the roll in one transaction, writing only what changed.

    Each entry's ``note`` is the substitute's name when represented and the reason
    when absent. An entry whose page showed what it posts is not written; one
    whose row someone else wrote after the page was opened (another roll, a self
    check-in) is not written either but returned as a conflict, so nobody's
    change is silently reverted. Any invalid entry refuses the whole roll.

    The meeting row is locked while the roll is compared and written, so two
    rolls saved at the same moment are applied one after the other."""
    _require_change(actor, meeting)
    _refuse_attendance_change(meeting, actor)
    ids = [entry.participant_id for entry in entries]
    if len(ids) != len(set(ids)):
        raise ValidationError(_("A person appears twice on the roll."))
    _refuse_null_characters(
        *(entry.note for entry in entries),
        *(entry.status for entry in entries),
        *(text for entry in entries if entry.seen for text in entry.seen[1:]),
    )
    names = dict(Participant.objects.filter(pk__in=ids).values_list("pk", "name"))
    if set(names) != set(ids):
        raise ValidationError(
            _("The roll names people who are not registered participants (%(ids)s).")
            % {"ids": ", ".join(str(pk) for pk in sorted(set(ids) - set(names)))}
        )
    errors = _roll_errors(entries, names)
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        existing = {row.participant_id: row for row in meeting.attendances.all()}
        to_create, to_update, conflicts, before, after = [], [], [], {}, {}
        for entry in entries:
            note = entry.note.strip()
            values = _roll_values(entry.status, note)
            row = existing.get(entry.participant_id)
            if row is not None and all(getattr(row, k) == v for k, v in values.items()):
                continue  # already so
            if entry.seen is not None:
                seen_version, seen_status, seen_note = entry.seen
                if (entry.status, note) == (seen_status, seen_note):
                    continue  # not changed on the page
                stale = (row.version if row else 0) != seen_version
                untouched_default = (
                    seen_version == 0 and entry.status == Attendance.Status.ABSENT and not note
                )
                if stale and untouched_default:
                    continue  # the page's default for an unrecorded person is no choice
            else:
                stale = (
                    row is not None
                    and row.self_checked_in_at is not None
                    and entry.status not in Attendance.ATTENDED
                )
            if stale:
                conflicts.append(
                    RollConflict(
                        name=names[entry.participant_id],
                        wanted=_roll_label(entry.status, note),
                        current=_roll_label(
                            row.status,
                            row.substitute_name or row.absence_reason,
                            row.self_checked_in_at,
                        ),
                    )
                )
                continue
            after[str(entry.participant_id)] = values["status"]
            if row is None:
                to_create.append(
                    Attendance(
                        meeting=meeting,
                        participant_id=entry.participant_id,
                        recorded_by=actor,
                        **values,
                    )
                )
                continue
            before[str(entry.participant_id)] = row.status
            for name, value in values.items():
                setattr(row, name, value)
            row.recorded_by = actor
            row.updated_at = timezone.now()
            row.version += 1
            to_update.append(row)
        if meeting.status in ON_RECORD:
            # A person added to approved minutes enters them with today's name.
            people = Participant.objects.in_bulk([row.participant_id for row in to_create])
            for row in to_create:
                row.participant = people[row.participant_id]
                row.put_on_record()
        Attendance.objects.bulk_create(to_create)
        Attendance.objects.bulk_update(
            to_update,
            ["status", "substitute_name", "absence_reason", "recorded_by", "updated_at", "version"],
        )
        _record_if_on_record(meeting, actor, _("Attendance changed"), before, after)
    return RollResult(saved=len(to_create) + len(to_update), conflicts=conflicts)


def guest_add(*, meeting: Meeting, actor, name: str, position: str = "") -> Attendance:
    """Register a walk-in guest and mark them present. The guest is not put on
    later rolls (inactive), but stays on this meeting's."""
    _require_change(actor, meeting)
    _refuse_attendance_change(meeting, actor)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Write the guest's name.")})
    with transaction.atomic():
        guest = Participant(
            name=name, position=position.strip(), role=ParticipantRole.GUEST, active=False
        )
        guest.full_clean()
        guest.save()
        attendance = Attendance(
            meeting=meeting, participant=guest, status=Attendance.Status.PRESENT, recorded_by=actor
        )
        if meeting.status in ON_RECORD:
            attendance.put_on_record()
        attendance.save()
        _record_if_on_record(meeting, actor, _("Guest added"), {}, {"guest": name})
    return attendance


def photos_add(*, meeting: Meeting, actor, files: list, caption: str = "") -> list[MeetingPhoto]:
    """Add photos to the meeting. Every file is checked first; one bad file stops
    the upload with its name and nothing is saved."""
    _require_change(actor, meeting)
    if not files:
        raise ValidationError({"images": _("Choose at least one photo.")})
    caption = _caption_clean(caption, field="caption")
    prepared = images_prepare(files, field="images")
    photos = []
    with photos_stored() as stored, transaction.atomic():
        for item in prepared:
            photo = MeetingPhoto(meeting=meeting, caption=caption, uploaded_by=actor)
            stored.save(photo, item)
            photo.save()
            photos.append(photo)
        _record_if_on_record(meeting, actor, _("Photos added"), {}, {"photos": len(photos)})
    return photos


def photo_captions_update(
    *, meeting: Meeting, actor, captions: dict[int, str], seen: dict[int, str] | None = None
) -> None:
    """Save the photos' captions, ``{photo id: caption}``.

    ``seen`` holds, per photo, the caption the page showed. A caption posted as it
    was shown is not written (someone may have saved a newer one meanwhile); one
    changed on the page and also saved by someone else since refuses the whole save
    (``StaleMeeting``). The meeting row is locked meanwhile, as for the minutes."""
    _require_change(actor, meeting)
    _refuse_null_characters(*captions.values())
    seen = seen or {}
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        photos = {photo.pk: photo for photo in meeting.photos.all()}
        if set(captions) - set(photos):
            raise ValidationError(_("Some photos do not belong to this meeting."))
        changed, stale = [], []
        for pk, caption in captions.items():
            caption = _caption_clean(caption)
            photo = photos[pk]
            if photo.caption == caption:
                continue
            if pk in seen:
                if caption == seen[pk].strip():
                    continue  # not changed on the page: keep what is saved now
                if photo.caption != seen[pk].strip():
                    stale.append(photo)
                    continue
            photo.caption = caption
            changed.append(photo)
        if stale:
            raise StaleMeeting(
                _(
                    "Someone else changed the captions of %(count)s of these photos while "
                    "you were writing (now: %(captions)s). Nothing was saved. Your text is "
                    "kept below; check it and save again."
                )
                % {
                    "count": len(stale),
                    "captions": ", ".join(f"“{photo.caption}”" for photo in stale),
                },
                items=stale,
            )
        MeetingPhoto.objects.bulk_update(changed, ["caption"])


class CheckInRefused(Exception):
    """The check-in cannot be done; the message says why, for the person at the door."""


def check_in(*, meeting: Meeting, user, token: str) -> Attendance:
    """Mark the user's own participant record present at ``meeting``.

    Works only with the meeting's current code, on the meeting's day, and for the
    person logged in — there is no way to name anyone else."""
    if not user_roles(user):
        raise PermissionDenied
    if not token or token != meeting.check_in_token:
        raise CheckInRefused(_("This check-in code is not valid for this meeting."))
    if timezone.localdate() != meeting.date:
        raise CheckInRefused(_("Check-in is open only on the day of the meeting."))
    participant = getattr(user, "participant", None)
    if participant is None:
        raise CheckInRefused(
            _("Your account is not linked to a participant; please sign the roll at the desk.")
        )
    with transaction.atomic():
        # The same lock as the roll's: a roll saved at this moment sees the check-in.
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        attendance, created = Attendance.objects.select_for_update().get_or_create(
            meeting=meeting,
            participant=participant,
            defaults={"status": Attendance.Status.PRESENT, "recorded_by": user},
        )
        if created or attendance.self_checked_in_at is None or not attendance.attended:
            if not created:
                attendance.version += 1
            if not attendance.attended:
                attendance.status = Attendance.Status.PRESENT
                attendance.absence_reason = attendance.substitute_name = ""
            attendance.self_checked_in_at = attendance.self_checked_in_at or timezone.now()
            attendance.save()
    return attendance


def check_in_code_renew(*, meeting: Meeting, actor) -> str:
    """Give the meeting a new check-in code; the old QR code stops working."""
    _require_change(actor, meeting)
    token = meeting.new_check_in_token()
    meeting.save(update_fields=["check_in_token"])
    return token
