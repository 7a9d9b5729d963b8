"""Reads of the issues app; each page's data in a fixed number of queries."""

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.permissions import has_role, is_secretariat, user_community, user_department
from communities.models import Community
from core.numbers import parse_int
from meetings.models import Meeting

from .models import (
    ENDED_STATUSES,
    UNRESOLVED_STATUSES,
    Issue,
    IssuePhoto,
    IssueUpdate,
    Status,
    reference_parse,
)
from .permissions import (
    ACCEPTABLE_STATUSES,
    officer_scope_q,
    sees_all_internal_notes,
    sees_internal_notes,
)


def visible_issues(user) -> QuerySet[Issue]:
    """Return the issues ``user`` may read, by the rules of
    ``issues.permissions.issue_visible``: every issue for staff and the follow-up team;
    for an officer those routed to their department now or worked by it
    (``officer_scope_q``); for a leader those of their community; none otherwise."""
    issues = Issue.objects.all()
    if is_secretariat(user) or has_role(user, Role.FOLLOW_UP):
        return issues
    scope = Q(pk__in=[])
    if has_role(user, Role.OFFICER) and (department := user_department(user)):
        scope |= officer_scope_q(department)
    if has_role(user, Role.LEADER) and (community := user_community(user)):
        scope |= Q(community=community)
    return issues.filter(scope)


def visible_updates_q(user) -> Q:
    """Return a filter on history entries (``IssueUpdate``) that ``user`` may read:
    the public ones, and the internal ones ``sees_internal_notes`` allows, as a query.
    ``user=None`` stands for anything published: public entries only."""
    public = Q(is_public=True)
    if user is None:
        return public
    if sees_all_internal_notes(user):
        return Q()
    if has_role(user, Role.OFFICER) and (department := user_department(user)):
        return public | Q(issue__department=department)
    return public


def mark_readable(*, user, issues: list[Issue]) -> None:
    """Set ``readable`` on each of ``issues`` (listed on a page every role may read,
    such as a meeting's record): whether ``user`` may open it. One query."""
    readable = set(
        visible_issues(user)
        .filter(pk__in=[issue.pk for issue in issues])
        .values_list("pk", flat=True)
    )
    for issue in issues:
        issue.readable = issue.pk in readable


def overdue_q(today: datetime.date) -> Q:
    return Q(status__in=UNRESOLVED_STATUSES, target_date__lt=today)


def with_list_columns(
    issues: QuerySet[Issue], *, today: datetime.date | None = None
) -> QuerySet[Issue]:
    """Add what a list row shows: community, category, department, and whether it is
    overdue on ``today`` (the clock's day unless a report names its own)."""
    today = today or timezone.localdate()
    return issues.select_related("community", "category", "department").annotate(
        overdue=Case(
            When(overdue_q(today), then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    )


# What a row of the issue table reads (``issue_rows.issue_row``): each row is built
# from these columns only, not the forty of an issue and its three joined rows.
TABLE_ROW_FIELDS = (
    "fiscal_year",
    "number",
    "title",
    "status",
    "version",
    "received_at",
    "target_date",
    "community__number",
    "community__name_th",
    "community__name_en",
    "category__name_th",
    "category__name_en",
    "department__name_th",
    "department__name_en",
)


def table_rows(issues: QuerySet[Issue], *, today: datetime.date | None = None) -> QuerySet[Issue]:
    """``with_list_columns`` for the issue table: the columns its rows show only."""
    return with_list_columns(issues, today=today).only(*TABLE_ROW_FIELDS)


def search_q(text: str) -> Q:
    """Match a reference (``2569-0042``, or its number alone: ``42``, ``0042``), a
    community's name, or a Thai substring anywhere in the issue's text.

    Thai is written without spaces, so this is substring search. ``icontains``
    becomes ``UPPER(col) LIKE UPPER(…)``, which the trigram indexes on ``UPPER``
    serve on PostgreSQL (see the migration); Thai has no case to fold. Community
    names are matched first in their own table of a few dozen rows (one small
    query, no index needed), so the issue query gains no join and an ``IN`` list
    that the index on ``community_id`` serves beside the trigram indexes."""
    text = text.strip()
    communities = list(
        Community.objects.filter(
            Q(name_th__icontains=text) | Q(name_en__icontains=text)
        ).values_list("pk", flat=True)
    )
    query = (
        Q(title__icontains=text)
        | Q(description__icontains=text)
        | Q(location_text__icontains=text)
        | Q(community__in=communities)
    )
    reference = reference_parse(text)
    if reference is not None:
        query |= Q(fiscal_year=reference[0], number=reference[1])
    elif (number := parse_int(text, min_value=1, max_value=2**31 - 1)) is not None:
        query |= Q(number=number)
    return query


# The issue list counts its matches up to this many and then says "more than":
# a common word matches most of ten years of issues, and counting them all would
# cost more than showing the page.
COUNT_CAP = 1000
# The issue list's default order: overdue first, then the newest received.
NEWEST_FIRST = ("-received_at", "-pk")


@dataclass
class ListPage:
    """A page of the issue list, shaped as Django's ``Page`` for the pagination
    partial, whose count is exact up to ``COUNT_CAP`` and ``None`` above it (then
    the page knows whether a next one exists, not how many there are)."""

    object_list: list[Issue]
    number: int
    count: int | None
    page_size: int
    has_next: bool

    @property
    def paginator(self) -> "ListPage":
        return self

    @property
    def count_capped(self) -> bool:
        return self.count is None

    @property
    def num_pages(self) -> int | None:
        return None if self.count is None else max(1, math.ceil(self.count / self.page_size))

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def _page_ids(
    issues: QuerySet[Issue], *, order: tuple[str, ...] | None, offset: int, limit: int
) -> list[int]:
    """Return the ids of ``limit`` issues from ``offset`` in ``order``, or overdue
    first and then the newest when ``order`` is ``None``.

    The ids come from an index, without the joined rows: ordering every match by
    "overdue" would sort the whole table on each view, as overdue depends on the
    day. Instead the overdue issues (a few hundred, found by the partial index on
    the unresolved ones' target dates) come first, then the others newest first
    by the index on (received_at, id), which a page reads only its own rows of."""
    if order is not None:
        return list(issues.order_by(*order).values_list("pk", flat=True)[offset : offset + limit])
    today = timezone.localdate()
    overdue = issues.filter(overdue_q(today))
    overdue_count = overdue.count()
    # Both parts are read on every page, each a short index scan, so that every
    # page takes the same queries; the page takes what it needs of the second.
    ids = list(
        overdue.order_by(*NEWEST_FIRST).values_list("pk", flat=True)[offset : offset + limit]
    )
    start = max(0, offset - overdue_count)
    others = issues.exclude(overdue_q(today)).order_by(*NEWEST_FIRST)
    return (
        ids + list(others.values_list("pk", flat=True)[start : start + limit])[: limit - len(ids)]
    )


def issue_list_page(
    issues: QuerySet[Issue], *, order: tuple[str, ...] | None, number: int, page_size: int
) -> ListPage:
    """Return page ``number`` (from 1) of ``issues`` in ``order`` (``None``: overdue
    first, then the newest), each with the table's columns (``table_rows``),
    in a fixed number of queries whatever the number of issues. A page past the
    last is the last page."""
    count = issues.order_by()[: COUNT_CAP + 1].count()
    if count > COUNT_CAP:
        count = None
    else:
        number = min(number, max(1, math.ceil(count / page_size)))
    ids = _page_ids(issues, order=order, offset=(number - 1) * page_size, limit=page_size + 1)
    if not ids and number > 1:
        # A page typed past the end of a list too long to count: count it, once.
        number = max(1, math.ceil(issues.count() / page_size))
        ids = _page_ids(issues, order=order, offset=(number - 1) * page_size, limit=page_size + 1)
    has_next = len(ids) > page_size
    ids = ids[:page_size]
    rows = {issue.pk: issue for issue in table_rows(Issue.objects.filter(pk__in=ids)).order_by()}
    return ListPage(
        object_list=[rows[pk] for pk in ids if pk in rows],
        number=number,
        count=count,
        page_size=page_size,
        has_next=has_next,
    )


def worklist(*, user) -> QuerySet[Issue]:
    """Return the open issues of the officer's department: overdue first, then oldest,
    each with the ``section`` of the worklist it is in (``WORKLIST_SECTIONS``)."""
    department = user_department(user)
    if department is None:
        # No department, no work routed to it (not: every unrouted issue).
        issues = with_list_columns(Issue.objects.none())
    else:
        issues = with_list_columns(
            Issue.objects.filter(department=department).exclude(status__in=ENDED_STATUSES)
        )
    return issues.annotate(section=_worklist_section()).order_by("-overdue", "received_at", "pk")


def to_accept_q() -> Q:
    """Issues new to their department: routed there and not yet accepted."""
    return Q(accepted_at__isnull=True, status__in=ACCEPTABLE_STATUSES)


# A section of the worklist, and a group of the board or of the carried-forward list,
# shows this many rows; the rest are a page or a link away.
WORKLIST_PAGE_SIZE = 25
GROUP_FIRST_ROWS = 5
GROUP_PAGE_SIZE = 50


def _known_count_page(rows: QuerySet, count: int, number, per_page: int) -> Page:
    """Return page ``number`` of ``rows``, whose ``count`` is already known: one
    query for the page's rows, none to count them again."""
    paginator = Paginator(rows, per_page)
    paginator.count = count  # replaces the cached COUNT(*) query
    return paginator.get_page(number)


@dataclass
class WorklistSection:
    key: str
    title: str
    count: int
    overdue: int
    page: Page
    query: str = ""  # the page's query string without this section's page

    @property
    def issues(self) -> list[Issue]:
        return self.page.object_list


# The worklist's sections, in the order an officer works them. Each issue is in the
# first section it belongs to: a new issue past its target date is still to accept.
WORKLIST_SECTIONS = (
    ("to_accept", _("New, to accept")),
    ("overdue", _("Overdue")),
    ("in_progress", _("Accepted, in progress")),
    ("waiting", _("Planned, referred or awaiting closing")),
)
IN_HAND_STATUSES = (Status.FORWARDED, Status.SURVEYED, Status.IN_PROGRESS)


def _worklist_section() -> Case:
    """The key of the worklist section an issue is in, worked out by the database."""
    return Case(
        When(to_accept_q(), then=Value("to_accept")),
        When(overdue_q(timezone.localdate()), then=Value("overdue")),
        When(status__in=IN_HAND_STATUSES, then=Value("in_progress")),
        default=Value("waiting"),
        output_field=CharField(),
    )


# The worklist's order within each section: overdue first, then the oldest.
WORKLIST_ORDER = (F("overdue").desc(), F("received_at").asc(), F("pk").asc())


def worklist_sections(issues: QuerySet[Issue], pages: dict[str, object]) -> list[WorklistSection]:
    """Split ``issues`` (from ``worklist``, perhaps filtered) into the worklist's
    sections, each with its full count and the page of its rows named in ``pages``
    (by section key; the first page otherwise), in the list's order. Two queries,
    however long the lists: the counts, and every section's page at once."""
    counts = {
        row["section"]: row
        for row in issues.order_by()
        .values("section")
        .annotate(count=Count("pk"), overdue=Count("pk", filter=Q(overdue=1)))
    }
    sections = []
    for key, title in WORKLIST_SECTIONS:
        found = counts.get(key, {"count": 0, "overdue": 0})
        page = _known_count_page(
            issues.filter(section=key), found["count"], pages.get(key), WORKLIST_PAGE_SIZE
        )
        sections.append(WorklistSection(key, title, found["count"], found["overdue"], page))
    # Each section's page is the rows ranked start..end in it, read in one query.
    shown = [section for section in sections if section.count]
    if shown:
        # Each shown section's ranks on its page; ranks past a section's count do not
        # exist, so a page's bounds are its number's whatever the count.
        bounds = {
            section.key: (
                (section.page.number - 1) * WORKLIST_PAGE_SIZE + 1,
                section.page.number * WORKLIST_PAGE_SIZE,
            )
            for section in shown
        }

        def bound(end: int) -> Case | int:
            values = {pair[end] for pair in bounds.values()}
            if len(values) == 1:
                # Every section on the same page: the bound is a number. Naming each
                # section wrote its whole CASE into the query eight times more, and
                # compiling that took a fifth of the worklist's time.
                return values.pop()
            return Case(
                *(When(section=key, then=Value(pair[end])) for key, pair in bounds.items()),
                default=Value(0),
                output_field=IntegerField(),
            )

        ranked = issues.annotate(
            rank=Window(RowNumber(), partition_by=[F("section")], order_by=list(WORKLIST_ORDER))
        ).filter(rank__gte=bound(0), rank__lte=bound(1))
        rows: dict[str, list[Issue]] = {}
        for issue in sorted(ranked, key=lambda issue: issue.rank):
            rows.setdefault(issue.section, []).append(issue)
        for section in sections:
            section.page.object_list = rows.get(section.key, [])
    return sections


@dataclass
class IssueGroup:
    """A community's issues on a long list: the count of all of them, the overdue
    ones among them, and the rows shown (the first few, or a page)."""

    community: Community
    count: int
    overdue: int
    issues: list
    page: Page | None = None

    @property
    def more(self) -> int:
        return self.count - len(self.issues)

    @property
    def anchor(self) -> str:
        return f"carried-{self.community.number}"


def _first_per_community(issues: QuerySet, order: tuple, rows: int) -> QuerySet:
    """Return the first ``rows`` of each community's ``issues`` in ``order``, each
    with the ``group_count`` of its community's issues and, when ``issues`` say
    whether they are overdue (``with_list_columns``), the ``group_overdue`` among
    them: one query, whatever the number of communities."""
    community = [F("community_id")]
    ranked = issues.annotate(
        rank=Window(RowNumber(), partition_by=community, order_by=list(order)),
        group_count=Window(Count("pk"), partition_by=community),
    )
    if "overdue" in issues.query.annotations:
        ranked = ranked.annotate(group_overdue=Window(Sum("overdue"), partition_by=community))
    return ranked.filter(rank__lte=rows)


# The board's order, and the issue list's: overdue first, then the newest.
BOARD_ORDER = ("-overdue", "-received_at", "-pk")


BOARD_FIELDS = (
    "fiscal_year",
    "number",
    "title",
    "status",
    "community__number",
    "community__name_th",
    "community__name_en",
    "department__name_th",
    "department__name_en",
)


def board(*, user) -> list[IssueGroup]:
    """Return every community with open issues, for the follow-up team: how many
    (overdue among them) and the first ``GROUP_FIRST_ROWS``, overdue first, then the
    newest. One query, however long the backlog."""
    issues = (
        with_list_columns(visible_issues(user).exclude(status__in=ENDED_STATUSES))
        # The columns the board shows of an issue, its community and its department:
        # two hundred rows of every column took half the page's time.
        .select_related(None)
        .select_related("community", "department")
        .only(*BOARD_FIELDS)
    )
    order = [
        F(field[1:]).desc() if field.startswith("-") else F(field).asc() for field in BOARD_ORDER
    ]
    groups: dict[int, IssueGroup] = {}
    for issue in sorted(
        _first_per_community(issues, tuple(order), GROUP_FIRST_ROWS),
        key=lambda issue: (issue.community.number, issue.rank),
    ):
        group = groups.get(issue.community_id)
        if group is None:
            group = groups[issue.community_id] = IssueGroup(
                issue.community, issue.group_count, issue.group_overdue, []
            )
        group.issues.append(issue)
    return list(groups.values())


def timeline(*, issue: Issue, user) -> list[IssueUpdate]:
    """Return the issue's history, oldest first, with its internal notes only for
    those who may read them (``sees_internal_notes``)."""
    # The outcome's agency, on a closing entry only, loads when the entry has one:
    # joining it and the department moved from (not shown) cost PostgreSQL more
    # time to plan the query than to run it.
    updates = (
        issue.updates.select_related("actor", "to_department", "survey")
        .prefetch_related(Prefetch("photos", queryset=IssuePhoto.objects.order_by("pk")))
        .order_by("created_at", "pk")
    )
    if not sees_internal_notes(user, issue):
        updates = updates.filter(is_public=True)
    return list(updates)


@dataclass
class CarriedIssue:
    issue: Issue
    status_then: str
    latest_note: str
    latest_at: datetime.datetime | None

    @property
    def status_then_label(self) -> str:
        return Status(self.status_then).label


def _meeting_start(meeting: Meeting) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(meeting.date, datetime.time.min))


def _carried_issues(meeting: Meeting) -> QuerySet[Issue]:
    """The issues still open when ``meeting`` met and raised before it."""
    meeting_start = _meeting_start(meeting)
    return (
        Issue.objects.filter(received_at__lt=meeting_start)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=meeting_start))
        .exclude(meeting=meeting)
    )


def carried_forward_q(meeting: Meeting) -> Q:
    """The issues ``carried_forward`` lists for ``meeting``, as a filter."""
    return Q(pk__in=_carried_issues(meeting).values("pk"))


def _notes_until(meeting: Meeting, user) -> QuerySet[IssueUpdate]:
    """The notes ``user`` may read of the outer issue, written by ``meeting``'s day's end."""
    meeting_end = _meeting_start(meeting) + datetime.timedelta(days=1)
    return (
        IssueUpdate.objects.filter(issue=OuterRef("pk"), created_at__lt=meeting_end)
        .exclude(note="")
        .filter(visible_updates_q(user))
    )


def _with_progress(issues: QuerySet[Issue], meeting: Meeting, user) -> QuerySet[Issue]:
    """Add the latest note ``user`` may read up to ``meeting``'s day, and the status
    the meeting saw."""
    updates = _notes_until(meeting, user).order_by("-created_at", "-pk")
    moves = (
        IssueUpdate.objects.filter(issue=OuterRef("pk"), created_at__lt=_meeting_start(meeting))
        .exclude(to_status="")
        .order_by("-created_at", "-pk")
    )
    return issues.select_related("community", "department", "category").annotate(
        latest_note=Subquery(updates.values("note")[:1]),
        latest_at=Subquery(updates.values("created_at")[:1], output_field=DateTimeField()),
        # The status the meeting saw, not today's: the minutes record that day.
        status_then=Subquery(moves.values("to_status")[:1]),
    )


def _carried_rows_of(pks: list[int], meeting: Meeting, user) -> list[CarriedIssue]:
    """The carried-forward rows of the issues ``pks``, with their progress, in the
    minutes' order: read by their pks (a list: the database plans it far better than
    the window or the filter as a subquery). With none, pk 0, which no issue has,
    keeps the query: a page asks as many queries whatever is carried."""
    issues = Issue.objects.filter(pk__in=pks or [0])
    return _carried_rows(_with_progress(issues, meeting, user).order_by(*CARRIED_ORDER))


def _carried_rows(issues: Iterable[Issue]) -> list[CarriedIssue]:
    return [
        CarriedIssue(
            issue, issue.status_then or issue.status, issue.latest_note or "", issue.latest_at
        )
        for issue in issues
    ]


# The minutes' order of the carried-forward list: by community, then as numbered.
CARRIED_ORDER = ("community__number", "fiscal_year", "number")


def carried_forward(*, meeting: Meeting, user=None) -> list[CarriedIssue]:
    """Return the issues still open when ``meeting`` met, raised before it, each with
    its latest progress up to that day: agenda item ๓ (เรื่องสืบเนื่อง).

    The list is the meeting's record, which every role may read; the latest note is
    the latest one ``user`` may read (``visible_updates_q``). Without a user (the
    minutes PDF, the LINE summary) it is the latest public note."""
    issues = _with_progress(_carried_issues(meeting), meeting, user).order_by(*CARRIED_ORDER)
    return _carried_rows(issues)


def carried_forward_count(*, meeting: Meeting) -> int:
    """How many issues ``carried_forward`` lists for ``meeting``."""
    return _carried_issues(meeting).count()


def carried_forward_first(*, meeting: Meeting, limit: int, user=None) -> list[CarriedIssue]:
    """The first ``limit`` rows of ``carried_forward``, read without the rest."""
    issues = _carried_issues(meeting).order_by(*CARRIED_ORDER)
    return _carried_rows_of(list(issues.values_list("pk", flat=True)[:limit]), meeting, user)


def carried_forward_by_department(*, meeting: Meeting) -> list[tuple[str, int]]:
    """How many of ``carried_forward``'s issues each department has (the Thai name,
    "—" for none yet), the most first."""
    counts = (
        _carried_issues(meeting)
        .values("department__name_th")
        .annotate(count=Count("pk"))
        .values_list("department__name_th", "count")
    )
    return sorted(
        ((name or "—", count) for name, count in counts), key=lambda item: (-item[1], item[0])
    )


def carried_forward_progressed(
    *, meeting: Meeting, since: datetime.datetime | None, limit: int
) -> tuple[list[CarriedIssue], int]:
    """The rows of ``carried_forward`` (no user: public notes) whose latest note is
    from ``since`` on (any note, without ``since``): the first ``limit`` and how many."""
    notes = _notes_until(meeting, None)
    if since is not None:
        notes = notes.filter(created_at__gte=since)
    progressed = _carried_issues(meeting).filter(Exists(notes))
    shown = list(progressed.order_by(*CARRIED_ORDER).values_list("pk", flat=True)[:limit])
    first = _carried_rows_of(shown, meeting, None)
    return first, progressed.count() if len(shown) == limit else len(shown)


def carried_forward_groups(
    *, meeting: Meeting, user, opened: int | None = None, page=None
) -> list[IssueGroup]:
    """Return ``carried_forward`` folded by community, in the minutes' order: each
    community's count and its first ``GROUP_FIRST_ROWS``, or, for the community
    numbered ``opened``, page ``page`` of all of them. Two queries (the first rows
    with their communities' counts, then their progress) and one for the opened
    page, however long the list."""
    issues = _carried_issues(meeting)
    order = (F("fiscal_year").asc(), F("number").asc())
    first = _first_per_community(issues, order, GROUP_FIRST_ROWS)
    # The count of each shown row's community, by the row's pk.
    counts = dict(first.values_list("pk", "group_count"))
    # The notes only for the rows shown.
    groups: dict[int, IssueGroup] = {}
    for row in _carried_rows_of(list(counts), meeting, user):
        group = groups.get(row.issue.community_id)
        if group is None:
            group = groups[row.issue.community_id] = IssueGroup(
                row.issue.community, counts[row.issue.pk], 0, []
            )
        group.issues.append(row)
    for group in groups.values():
        if group.community.number == opened:
            group.page = _known_count_page(
                _with_progress(issues.filter(community=group.community), meeting, user).order_by(
                    *CARRIED_ORDER
                ),
                group.count,
                page,
                GROUP_PAGE_SIZE,
            )
            group.issues = _carried_rows(group.page.object_list)
    return list(groups.values())
