import re

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import ANY_ROLE, can_change, can_view, is_secretariat, role_required
from communities.models import Community, IssueCategory
from core import once
from core.forms import ThaiDateInput
from core.images import photo_response
from core.numbers import parse_int
from core.thaidates import fiscal_year

# The one arrow pointing up the layers: agenda item ๓ of the meeting page lists the
# open issues carried forward from earlier meetings, and reading the page marks the
# issues' new public entries as read. Issues sit above meetings (an issue is raised
# at a meeting), so this import is listed as an exception in pyproject.toml.
from issues import selectors as issue_selectors

from . import selectors, services
from .forms import GuestForm, MeetingEditForm, MeetingForm, PhotoUploadForm, SubItemForm
from .models import AgendaItem, Attendance, Meeting, minutes_fingerprint
from .permissions import minutes_readable

FINGERPRINT = re.compile(r"[0-9a-f]{16}")


def _changeable_meeting(request, pk: int) -> Meeting:
    meeting = selectors.readable_meeting(user=request.user, pk=pk)
    if not can_change(request.user, meeting):
        raise PermissionDenied
    return meeting


def _error_messages(error: ValidationError) -> list[str]:
    return error.messages


def _form_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on its field when it names one."""
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_messages)
    else:
        form.add_error(None, error.messages)


@role_required(*ANY_ROLE)
def meeting_list(request):
    years = selectors.meeting_years(user=request.user)
    year = parse_int(request.GET.get("year", ""), max_value=9999) or fiscal_year(
        timezone.localdate()
    )
    meetings = list(selectors.meeting_list(user=request.user, year=year))
    community_count = selectors.active_community_count()
    for meeting in meetings:
        meeting.attendance_rate = (
            round(100 * meeting.communities_attended / community_count) if community_count else 0
        )
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "meetings": meetings,
            "years": years,
            "year": year,
            "community_count": community_count,
            "can_create": is_secretariat(request.user),
        },
    )


@role_required(*ANY_ROLE)
def meeting_create(request):
    if not is_secretariat(request.user):
        raise PermissionDenied
    initial = selectors.new_meeting_initial()
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Meeting %(number)s was created.") % {"number": meeting.number_label}
            )
            return redirect(meeting)
    return render(
        request, "meetings/meeting_form.html", {"form": form, "carried_over": bool(initial)}
    )


@role_required(*ANY_ROLE)
def meeting_detail(request, pk: int):
    meeting = selectors.readable_meeting(user=request.user, pk=pk)
    people = selectors.minutes_people(meeting=meeting)
    can_edit = can_change(request.user, meeting)
    next_statuses = services.TRANSITIONS[meeting.status] if can_edit else ()
    later_meetings = []
    if Meeting.Status.APPROVED in next_statuses:
        later_meetings = list(
            Meeting.objects.filter(date__gt=meeting.date).order_by("date", "number")[:6]
        )
    # Agenda item ๓ is read aloud community by community: each folded to its count and
    # first rows, one opened (?carried=<community number>) a page at a time.
    opened = parse_int(request.GET.get("carried", ""), min_value=1, max_value=10_000)
    carried = issue_selectors.carried_forward_groups(
        meeting=meeting, user=request.user, opened=opened, page=request.GET.get("carried_page")
    )
    raised_here = Paginator(
        issue_selectors.with_list_columns(meeting.issues.all()).order_by("number", "pk"),
        issue_selectors.GROUP_PAGE_SIZE,
    ).get_page(request.GET.get("raised_page"))
    # The meeting's record lists every issue; link only those the user may open.
    issue_selectors.mark_readable(
        user=request.user,
        issues=[
            *raised_here.object_list,
            *(row.issue for group in carried for row in group.issues),
        ],
    )
    query = request.GET.copy()
    query.pop("raised_page", None)
    raised_query = query.urlencode()
    query = request.GET.copy()
    for param in ("carried", "carried_page"):
        query.pop(param, None)
    carried_query = query.urlencode()
    query["carried"] = str(opened)
    carried_page_query = query.urlencode()
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "agenda": selectors.meeting_agenda(meeting=meeting),
            "people": people,
            "community_count": selectors.active_community_count(),
            "photos": list(meeting.photos.all()),
            "can_edit": can_edit,
            # Every link the page gives opens for the reader: the minutes PDF once it
            # is theirs to read, the approving meeting once they may see it.
            "can_read_minutes": minutes_readable(request.user, meeting),
            "approved_at_visible": bool(
                meeting.minutes_approved_at and can_view(request.user, meeting.minutes_approved_at)
            ),
            "next_statuses": [Meeting.Status(status) for status in next_statuses],
            "later_meetings": later_meetings,
            "changes": list(meeting.changes.select_related("changed_by")[:20])
            if is_secretariat(request.user)
            else [],
            "carried_groups": carried,
            "carried_count": sum(group.count for group in carried),
            "carried_query": carried_query,
            "carried_page_query": carried_page_query,
            "carried_opened": opened,
            "raised_here": raised_here,
            "raised_query": raised_query,
            "quick_add": {
                "communities": Community.objects.filter(active=True),
                "categories": IssueCategory.objects.filter(active=True),
                # Typed up after the meeting, an issue is still received on its day.
                "received_on": ThaiDateInput(
                    attrs={"id": "qa-received-on", "aria-describedby": "qa-received-on-help"}
                ).render(
                    "received_on",
                    meeting.date if meeting.date <= timezone.localdate() else None,
                ),
            }
            if is_secretariat(request.user) and not meeting.is_published
            else None,
        },
    )


@role_required(*ANY_ROLE)
def meeting_edit(request, pk: int):
    meeting = _changeable_meeting(request, pk)
    form = MeetingEditForm(
        request.POST or None, instance=meeting, initial={"version": meeting.version}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            fields = dict(form.cleaned_data)
            version = fields.pop("version")
            try:
                services.meeting_update(
                    meeting=Meeting.objects.get(pk=pk),
                    actor=request.user,
                    version=version,
                    **fields,
                )
            except services.StaleMeeting as error:
                _refuse_stale_meeting(form, error, Meeting.objects.get(pk=pk), fields)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The meeting was saved."))
                return redirect(meeting)
    return render(
        request, "meetings/meeting_form.html", {"form": form, "meeting": meeting}, status=status
    )


def _refuse_stale_meeting(form, error, current: Meeting, typed: dict) -> None:
    """Keep what was typed, say what is saved now where it differs, and carry the
    current version: saving again is then a choice made knowing both."""
    form.add_error(None, error.messages)
    for name, value in typed.items():
        saved = getattr(current, name)
        if saved != value:
            shown = "—" if saved in (None, "") else str(saved)
            form.add_error(
                None,
                _("Saved now: %(field)s “%(value)s”.")
                % {"field": form.fields[name].label, "value": shown},
            )
    form.data = form.data.copy()
    form.data["version"] = str(current.version)


@role_required(*ANY_ROLE)
@require_POST
def meeting_status(request, pk: int):
    meeting = _changeable_meeting(request, pk)
    approved_at = None
    chosen = request.POST.getlist("approved_at")
    if any(chosen):
        approved_pk = parse_int(chosen[0]) if len(chosen) == 1 else None
        if approved_pk is not None:
            approved_at = Meeting.objects.filter(pk=approved_pk).first()
        if approved_at is None:
            messages.error(
                request,
                _(
                    "The meeting chosen as the one that approved the minutes was not found. "
                    "Nothing was changed; choose it from the list again."
                ),
            )
            return redirect(meeting)
    try:
        meeting = services.meeting_transition(
            meeting=meeting,
            to_status=request.POST.get("status", ""),
            actor=request.user,
            approved_at=approved_at,
        )
    except ValidationError as error:
        for message in _error_messages(error):
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The meeting is now “%(status)s”.") % {"status": meeting.get_status_display()},
        )
    return redirect(meeting)


def _minutes_post(post) -> tuple[dict[int, tuple[str, str]], dict[int, str]]:
    """Read the posted minutes and, per item, the fingerprint its page showed."""
    texts, seen = {}, {}
    for key in post:
        if key.startswith("discussion-"):
            item_id = parse_int(key.removeprefix("discussion-"))
            if item_id is None:
                continue
            texts[item_id] = (post.get(key, ""), post.get(f"resolution-{item_id}", ""))
            if f"seen-{item_id}" in post:
                seen[item_id] = post[f"seen-{item_id}"]
    return texts, seen


def _show_minutes(agenda, texts=None, seen=None, stale=()) -> None:
    """Give each item what its fields show and the fingerprint they carry: the
    saved minutes, or after a refused save the text typed into items changed on
    the page, with what is saved now beside those someone else saved meanwhile."""
    texts, seen, stale = texts or {}, seen or {}, {item.pk for item in stale}
    for item in [entry for top in agenda for entry in (top, *top.sub_items.all())]:
        item.shown_discussion, item.shown_resolution = item.discussion, item.resolution
        item.seen = item.minutes_fingerprint
        item.saved_meanwhile = False
        if item.pk in texts:
            discussion, resolution = texts[item.pk]
            if seen.get(item.pk) != minutes_fingerprint(discussion, resolution):
                item.shown_discussion, item.shown_resolution = discussion, resolution
                item.saved_meanwhile = item.pk in stale


@role_required(*ANY_ROLE)
def minutes_edit(request, pk: int):
    meeting = _changeable_meeting(request, pk)
    texts, seen, stale, status = {}, {}, [], 200
    sub_item = {"parent": "", "title": ""}
    if request.method == "POST":
        texts, seen = _minutes_post(request.POST)
        sub_item = {
            "parent": request.POST.get("sub_parent", ""),
            "title": request.POST.get("sub_title", ""),
        }
        # A sub-item typed in (or "Add" pressed) is added with the minutes, in one save.
        adding = "add_sub_item" in request.POST or bool(sub_item["title"].strip())
        try:
            if not all(FINGERPRINT.fullmatch(value) for value in seen.values()):
                raise ValidationError(
                    _(
                        "The minutes were sent in a form this page cannot read. Nothing was "
                        "saved; your text is kept below. Save again to keep it."
                    )
                )
            with transaction.atomic():
                services.minutes_update(meeting=meeting, actor=request.user, texts=texts, seen=seen)
                if adding:
                    _sub_item_add(request, meeting, sub_item["parent"], sub_item["title"])
        except ValidationError as error:
            stale = getattr(error, "items", [])
            for message in _error_messages(error):
                messages.error(request, message)
            status = 400
        else:
            messages.success(request, _("The minutes were saved."))
            if adding:
                messages.success(
                    request,
                    _("The sub-item “%(title)s” was added.") % {"title": sub_item["title"].strip()},
                )
            return redirect("meetings:minutes", pk=meeting.pk)
    agenda = selectors.meeting_agenda(meeting=meeting)
    _show_minutes(agenda, texts, seen, stale)
    return render(
        request,
        "meetings/minutes_form.html",
        {
            "meeting": meeting,
            "agenda": agenda,
            "sub_item_form": SubItemForm(),
            "sub_item": sub_item,
            "sub_parent": parse_int(sub_item["parent"]),
        },
        status=status,
    )


def _sub_item_add(request, meeting: Meeting, parent_pk: str, title: str) -> None:
    parent_id = parse_int(parent_pk)
    parent = AgendaItem.objects.filter(pk=parent_id, meeting=meeting).first() if parent_id else None
    if parent is None:
        raise ValidationError(_("Sub-items go under a main agenda item of this meeting."))
    services.agenda_sub_item_add(meeting=meeting, actor=request.user, parent=parent, title=title)


@role_required(*ANY_ROLE)
@require_POST
def sub_item_add(request, pk: int):
    meeting = _changeable_meeting(request, pk)
    form = SubItemForm(request.POST)
    if form.is_valid():
        parent = AgendaItem.objects.filter(pk=form.cleaned_data["parent"], meeting=meeting).first()
        if parent is None:
            messages.error(request, _("Sub-items go under a main agenda item of this meeting."))
        else:
            try:
                services.agenda_sub_item_add(
                    meeting=meeting,
                    actor=request.user,
                    parent=parent,
                    title=form.cleaned_data["title"],
                )
            except ValidationError as error:
                for message in _error_messages(error):
                    messages.error(request, message)
    else:
        messages.error(request, _("Give the sub-item a title."))
    return redirect("meetings:minutes", pk=meeting.pk)


def _roll_entries(post) -> list[services.RollEntry]:
    """Read the posted roll: each person's status and note, and what the page
    showed for them (``version-``, ``seen-status-``, ``seen-note-``)."""
    unreadable = ValidationError(
        _("The roll was sent in a form this page cannot read. Open the roll again and redo it.")
    )
    entries = []
    for key in post:
        if not key.startswith("status-"):
            continue
        participant_id = parse_int(key.removeprefix("status-"))
        if participant_id is None:
            raise unreadable
        seen = None
        version = post.get(f"version-{participant_id}")
        if version is not None:
            number = parse_int(version, max_value=999_999_999)
            if number is None:
                raise unreadable
            seen = (
                number,
                post.get(f"seen-status-{participant_id}", ""),
                post.get(f"seen-note-{participant_id}", "").strip(),
            )
        entries.append(
            services.RollEntry(
                participant_id=participant_id,
                status=post.get(key, ""),
                note=post.get(f"note-{participant_id}", ""),
                seen=seen,
            )
        )
    return entries


# "Start the roll" without a script: the page opens with these choices made for
# everyone not yet recorded at this meeting; nothing is saved until "Save".
ROLL_STARTS = ("present", "previous")


def _show_roll(groups, entries: list[services.RollEntry], start: str = "") -> None:
    """Give each row what the page shows and what it carries as seen: the saved
    values, or after a refused save what was typed and what the page had shown.
    ``start`` fills in the people not yet recorded: all present, or as at the
    meeting before."""
    posted = {entry.participant_id: entry for entry in entries}
    for group in groups:
        for row in group.rows:
            row.shown_status, row.shown_note = row.status, row.note
            row.seen_version, row.seen_status, row.seen_note = row.version, row.status, row.note
            entry = posted.get(row.participant.pk)
            if entry is not None:
                row.shown_status, row.shown_note = entry.status, entry.note
                if entry.seen is not None:
                    row.seen_version, row.seen_status, row.seen_note = entry.seen
            elif row.attendance is None and start == "present":
                row.shown_status = Attendance.Status.PRESENT
            elif row.attendance is None and start == "previous" and row.previous_status:
                row.shown_status, row.shown_note = row.previous_status, row.previous_note


def _roll_page(
    request, meeting: Meeting, *, errors=(), entries=(), guest_form=None, status=200, start=""
):
    previous = selectors.previous_meeting(meeting)
    groups = selectors.roll_groups(meeting=meeting, previous=previous)
    _show_roll(groups, list(entries), start)
    on_roll = sum(len(group.rows) for group in groups)
    shown_present = sum(group.attended for group in groups)
    # Split as the meeting page and the minutes split them (``minutes_people``).
    shown_members_present = sum(
        row.participant.role in selectors.MEMBER_ROLES and row.checked_status in Attendance.ATTENDED
        for group in groups
        for row in group.rows
    )
    return render(
        request,
        "meetings/attendance_roll.html",
        {
            "meeting": meeting,
            "groups": groups,
            "statuses": Attendance.Status.choices,
            "on_roll": on_roll,
            "shown_present": shown_present,
            "shown_members_present": shown_members_present,
            "shown_others_attending": shown_present - shown_members_present,
            "shown_absent": on_roll - shown_present,
            "shown_communities": len(
                {
                    row.participant.community_id
                    for group in groups
                    if group.key.startswith("community-")
                    for row in group.rows
                    if row.checked_status in Attendance.ATTENDED
                }
            ),
            "community_count": selectors.active_community_count(),
            "member_roles": selectors.MEMBER_ROLES,
            "guest_form": guest_form or GuestForm(prefix="guest"),
            "errors": list(errors),
            "previous": previous,
            "has_previous_roll": any(row.previous_status for group in groups for row in group.rows),
            "start": start,
        },
        status=status,
    )


def _roll_saved_messages(request, result: services.RollResult) -> None:
    messages.success(
        request, _("The roll was saved (%(count)s changes).") % {"count": result.saved}
    )
    for conflict in result.conflicts:
        messages.warning(
            request,
            _(
                "%(name)s was not changed: someone else recorded “%(current)s” after you "
                "opened the roll. You chose “%(wanted)s”; check and choose again if needed."
            )
            % {"name": conflict.name, "current": conflict.current, "wanted": conflict.wanted},
        )


@role_required(*ANY_ROLE)
def attendance_roll(request, pk: int):
    meeting = _changeable_meeting(request, pk)
    if request.method != "POST":
        start = request.GET.get("start", "")
        return _roll_page(request, meeting, start=start if start in ROLL_STARTS else "")
    # A guest typed in (or "Add guest" pressed) is added with the roll, never dropped.
    if "add_guest" in request.POST or request.POST.get("guest-name", "").strip():
        return _roll_with_guest(request, meeting, request.POST)
    entries = []
    try:
        entries = _roll_entries(request.POST)
        result = services.attendance_record(meeting=meeting, actor=request.user, entries=entries)
    except ValidationError as error:
        return _roll_page(
            request, meeting, errors=_error_messages(error), entries=entries, status=400
        )
    _roll_saved_messages(request, result)
    return redirect("meetings:attendance", pk=meeting.pk)


def _roll_with_guest(request, meeting: Meeting, post):
    """Save the roll as posted and add the walk-in guest, in one transaction: the
    choices made on the page are kept whether the guest is added or refused."""
    roll_url = reverse("meetings:attendance", args=[meeting.pk])
    sent = once.Once(request, fallback_url=roll_url)
    if earlier := sent.earlier():
        return once.already_sent(request, earlier)
    form = GuestForm(post, prefix="guest")
    entries, errors = [], []
    try:
        entries = _roll_entries(post)
    except ValidationError as error:
        errors = _error_messages(error)
    if form.is_valid() and not errors:
        try:
            with sent.claim() as claim:
                result = services.attendance_record(
                    meeting=meeting, actor=request.user, entries=entries
                )
                services.guest_add(meeting=meeting, actor=request.user, **form.cleaned_data)
                claim.url = roll_url
        except once.AlreadySent as repeat:
            return once.already_sent(request, repeat.url)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                _form_errors(form, error)
            else:
                errors = _error_messages(error)
        else:
            if entries:
                _roll_saved_messages(request, result)
            messages.success(
                request, _("%(name)s was added as a guest.") % {"name": form.cleaned_data["name"]}
            )
            return redirect(roll_url)
    return _roll_page(request, meeting, errors=errors, entries=entries, guest_form=form, status=400)


@role_required(*ANY_ROLE)
@require_POST
def attendance_guest(request, pk: int):
    meeting = _changeable_meeting(request, pk)
    post = request.POST
    if "name" in post:  # A guest form of its own, without the roll.
        post = post.copy()
        for field in ("name", "position"):
            post[f"guest-{field}"] = post.pop(field, [""])[-1]
    return _roll_with_guest(request, meeting, post)


def _photos_page(request, meeting, *, form, can_edit, captions=None, errors=(), status=200):
    photos = list(meeting.photos.all())
    for photo in photos:
        # The page carries the caption saved now, so that a save after a refusal
        # overwrites knowingly; a refused caption is shown as typed, to correct it.
        photo.seen_caption = photo.caption
        photo.caption = (captions or {}).get(photo.pk, photo.caption)
    return render(
        request,
        "meetings/photos.html",
        {
            "meeting": meeting,
            "photos": photos,
            "form": form,
            "can_edit": can_edit,
            "caption_errors": errors,
        },
        status=status,
    )


@role_required(*ANY_ROLE)
def photos(request, pk: int):
    meeting = selectors.readable_meeting(user=request.user, pk=pk)
    can_edit = can_change(request.user, meeting)
    form = PhotoUploadForm()
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = PhotoUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                added = services.photos_add(
                    meeting=meeting,
                    actor=request.user,
                    files=form.cleaned_data["images"],
                    caption=form.cleaned_data["caption"],
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("%(count)s photos were added.") % {"count": len(added)})
                return redirect("meetings:photos", pk=meeting.pk)
        status = 400
    return _photos_page(request, meeting, form=form, can_edit=can_edit, status=status)


@role_required(*ANY_ROLE)
@require_POST
def photo_captions(request, pk: int):
    meeting = _changeable_meeting(request, pk)
    captions, seen, unreadable = {}, {}, False
    for key, value in request.POST.items():
        if key.startswith("caption-"):
            photo_pk = parse_int(key.removeprefix("caption-"))
            if photo_pk is None:
                unreadable = True
            else:
                captions[photo_pk] = value
                if f"seen-caption-{photo_pk}" in request.POST:
                    seen[photo_pk] = request.POST[f"seen-caption-{photo_pk}"]
    try:
        if unreadable:
            raise ValidationError(
                _("The captions were sent in a form this page cannot read; nothing was saved.")
            )
        services.photo_captions_update(
            meeting=meeting, actor=request.user, captions=captions, seen=seen
        )
    except ValidationError as error:
        return _photos_page(
            request,
            meeting,
            form=PhotoUploadForm(),
            can_edit=True,
            captions=captions,
            errors=_error_messages(error),
            status=400,
        )
    messages.success(request, _("The captions were saved."))
    return redirect("meetings:photos", pk=meeting.pk)


@role_required(*ANY_ROLE)
def photo_file(request, pk: int, photo_pk: int, size: str):
    """Serve a photo to those who may read its meeting; files are not public."""
    if size not in ("image", "thumb"):
        raise Http404
    meeting = selectors.readable_meeting(user=request.user, pk=pk)
    photo = get_object_or_404(meeting.photos, pk=photo_pk)
    return photo_response(photo, size=size)


def _check_in_url(request, meeting: Meeting) -> str:
    return request.build_absolute_uri(
        reverse("meetings:check_in", args=[meeting.pk, meeting.check_in_token])
    )


@role_required(*ANY_ROLE)
def check_in_code(request, pk: int):
    """The QR code staff show at the door."""
    meeting = _changeable_meeting(request, pk)
    if request.method == "POST":
        services.check_in_code_renew(meeting=meeting, actor=request.user)
        messages.success(request, _("A new check-in code was made; the old one no longer works."))
        return redirect("meetings:check_in_code", pk=meeting.pk)
    url = _check_in_url(request, meeting)
    # A viewBox (no fixed size) so that a narrow screen scales the code, quiet zone
    # (four light modules) included, instead of clipping it; the zone is drawn white.
    qr_svg = segno.make(url, error="m").svg_inline(
        scale=8, dark="#0b2540", light="#fff", border=4, omitsize=True
    )
    self_checked_in = meeting.attendances.filter(self_checked_in_at__isnull=False).count()
    return render(
        request,
        "meetings/check_in_code.html",
        {
            "meeting": meeting,
            "qr_svg": qr_svg,
            "url": url,
            "is_today": meeting.date == timezone.localdate(),
            "self_checked_in": self_checked_in,
        },
    )


@role_required(*ANY_ROLE)
def check_in(request, pk: int, token: str):
    """A leader who scanned the code checks themself in."""
    meeting = get_object_or_404(Meeting, pk=pk)
    participant = getattr(request.user, "participant", None)
    attendance = None
    if request.method == "POST":
        try:
            attendance = services.check_in(meeting=meeting, user=request.user, token=token)
        except services.CheckInRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Thank you, you are checked in."))
    return render(
        request,
        "meetings/check_in.html",
        {
            "meeting": meeting,
            "participant": participant,
            "attendance": attendance,
            "token_valid": token == meeting.check_in_token,
            "is_today": meeting.date == timezone.localdate(),
        },
    )
