"""Issue data of several shapes, written straight to the database, for the tests that
reconcile the reports' figures (``test_reconcile.py``).

Each issue is described by an ``IssueSpec``: when it was received (a local time in
Asia/Bangkok), where, and its fate — what the workflow has done to it by the moment
the data stands at (``now_of(today)``). ``issues_from`` turns the specs into
``Issue`` rows consistent with the lifecycle of ``issues.services``: the timestamps
each status sets, in order and never after that moment; a target date only once
forwarded; a referral names an outside agency, a duplicate its original, a closing
its outcome. The reports are then read as on ``today`` and compared with each other
and with what the specs say (``open_on``, ``overdue_on``, ``received_in``).

Shapes (``SHAPES``): no issue at all; a single issue; every issue in one community;
a heavy backlog from old fiscal years; issues received around the turn of months and
of the fiscal year (23:30 on a month's last day, 00:30 on the next month's first);
and a mix of all of these over the previous and the current fiscal year.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from communities.models import Community, Department, IssueCategory
from core.thaidates import fiscal_year
from issues.models import (
    OUTCOMES_NEEDING_REASON,
    FieldSurvey,
    Issue,
    IssuePhoto,
    IssueUpdate,
    Outcome,
    Status,
    TargetSource,
)

# The days the reports are read on: mid-year, a month's first day, the fiscal year's
# last day and its first day (when the current year has raised almost nothing and
# everything open is backlog).
TODAYS = (
    datetime.date(2026, 3, 15),
    datetime.date(2026, 5, 1),
    datetime.date(2026, 9, 30),
    datetime.date(2026, 10, 1),
)

# What the workflow has done to an issue. "handed_back": an officer returned it to
# staff (``issue_hand_back``): received again, with no department, its target kept.
# "reopened": resolved, then the community said it was not fixed (in progress again).
OPEN_FATES = (
    "received",
    "handed_back",
    "forwarded",
    "surveyed",
    "in_progress",
    "planned",
    "referred",
    "reopened",
)
CLOSED_FATES = tuple(f"closed:{outcome}" for outcome in Outcome.values)
FATES = (*OPEN_FATES, "resolved", *CLOSED_FATES, "duplicate", "withdrawn")
# Fates of an issue never forwarded, the only ones that may have no department.
UNROUTED_FATES = ("received", "handed_back", "duplicate", "withdrawn")


@dataclass(frozen=True)
class IssueSpec:
    received: datetime.datetime  # naive, local (Asia/Bangkok)
    community: int  # index into the communities, by number
    category: int  # index into the categories, by code
    department: str  # "none", "default" or "other:N" (index into the internal ones)
    fate: str
    target_days: int | None  # from the forwarding day; None: logged before targets
    forward_hours: int
    work_hours: int
    close_hours: int


def now_of(today: datetime.date) -> datetime.datetime:
    """The moment the data stands at when the reports are read on ``today``."""
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(20, 0)))


def _local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute))


def _months_back(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month ``months`` before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def received_at(today: datetime.date, *, days_back=(0, 800)):
    """A local moment up to ``days_back`` days before ``today``, at any minute."""
    low, high = days_back
    return st.builds(
        lambda back, minute: (
            _local(today - datetime.timedelta(days=back), 0) + datetime.timedelta(minutes=minute)
        ),
        st.integers(low, high),
        st.integers(0, 24 * 60 - 1),
    )


def month_turns(today: datetime.date):
    """23:30 on the last day of one of the last 14 months, or 00:30 on the first day
    of the next: in UTC the two fall on the same side of the turn of the month."""

    def moment(months: int, late: bool) -> datetime.datetime:
        first = _months_back(today, months)
        if late:
            return _local(first - datetime.timedelta(days=1), 23, 30)
        return _local(first, 0, 30)

    return st.builds(moment, st.integers(0, 13), st.booleans())


def issue_specs(
    today: datetime.date,
    *,
    received=None,
    community=None,
    fates=FATES,
    target_days=None,
):
    return st.builds(
        IssueSpec,
        received=received if received is not None else received_at(today),
        community=community if community is not None else st.integers(0, 41),
        category=st.integers(0, 50),
        department=st.sampled_from(("none", "default", "default", "other:0", "other:1", "other:5")),
        fate=st.sampled_from(fates),
        target_days=(
            target_days
            if target_days is not None
            else st.one_of(st.none(), st.integers(0, 3), st.integers(4, 120))
        ),
        forward_hours=st.sampled_from((0, 1, 30, 24 * 10)),
        work_hours=st.integers(0, 24 * 120),
        close_hours=st.integers(0, 24 * 30),
    )


def _empty(today):
    return st.just([])


def _single(today):
    return st.lists(issue_specs(today), min_size=1, max_size=1)


def _one_community(today):
    return st.integers(0, 41).flatmap(
        lambda number: st.lists(
            issue_specs(today, community=st.just(number)), min_size=3, max_size=25
        )
    )


def _backlog(today):
    """Many issues still open from fiscal years long past, mostly overdue, and a few
    of this year's."""
    old = issue_specs(
        today,
        received=received_at(today, days_back=(400, 1500)),
        fates=(*OPEN_FATES, "resolved", "closed:fixed"),
        target_days=st.one_of(st.none(), st.integers(0, 90)),
    )
    return st.tuples(
        st.lists(old, min_size=15, max_size=50), st.lists(issue_specs(today), max_size=8)
    ).map(lambda parts: parts[0] + parts[1])


def _month_turns(today):
    return st.lists(issue_specs(today, received=month_turns(today)), min_size=1, max_size=25)


def _mixed(today):
    return st.lists(
        issue_specs(
            today,
            received=st.one_of(
                received_at(today, days_back=(0, 400)),
                received_at(today, days_back=(400, 1200)),
                month_turns(today),
            ),
        ),
        min_size=10,
        max_size=60,
    )


SHAPES = {
    "empty": _empty,
    "single": _single,
    "one_community": _one_community,
    "backlog": _backlog,
    "month_turns": _month_turns,
    "mixed": _mixed,
}


@dataclass(frozen=True)
class Dataset:
    shape: str
    today: datetime.date
    specs: tuple

    def __repr__(self):
        return f"Dataset({self.shape!r}, today={self.today}, {len(self.specs)} issues)"


def datasets(shape: str, todays=TODAYS):
    return st.sampled_from(todays).flatmap(
        lambda today: SHAPES[shape](today).map(lambda specs: Dataset(shape, today, tuple(specs)))
    )


# Writing the rows ------------------------------------------------------------------


def clear_issues() -> None:
    """Delete every issue and its history; the reference data stays."""
    IssuePhoto.objects.all().delete()
    FieldSurvey.objects.all().delete()
    IssueUpdate.objects.all().delete()
    Issue.objects.filter(duplicate_of__isnull=False).delete()
    Issue.objects.all().delete()


@dataclass
class Reference:
    communities: list
    categories: list
    internal: list  # departments an issue may be routed to
    external: list  # agencies an issue may be referred to

    @classmethod
    def load(cls) -> "Reference":
        return cls(
            communities=list(Community.objects.order_by("number")),
            categories=list(
                IssueCategory.objects.select_related("default_department").order_by("code")
            ),
            internal=list(
                Department.objects.exclude(kind=Department.Kind.EXTERNAL).order_by("code")
            ),
            external=list(
                Department.objects.filter(kind=Department.Kind.EXTERNAL).order_by("code")
            ),
        )


def _issue(spec: IssueSpec, ref: Reference, now: datetime.datetime) -> Issue:
    def clip(moment: datetime.datetime) -> datetime.datetime:
        return min(moment, now)

    category = ref.categories[spec.category % len(ref.categories)]
    fate = spec.fate
    outcome = fate.partition(":")[2]
    status = Status.CLOSED if outcome else fate
    received = clip(timezone.make_aware(spec.received))
    issue = Issue(
        community=ref.communities[spec.community % len(ref.communities)],
        category=category,
        title=f"ปัญหา {fate}",
        received_at=received,
        fiscal_year=fiscal_year(received),
    )
    forwarded = fate not in UNROUTED_FATES or (
        fate in ("duplicate", "withdrawn") and spec.department != "none"
    )
    if forwarded or fate == "handed_back":
        issue.forwarded_at = clip(received + datetime.timedelta(hours=spec.forward_hours))
        if spec.target_days is not None:
            issue.target_date = timezone.localtime(issue.forwarded_at).date() + datetime.timedelta(
                days=spec.target_days
            )
            issue.target_source = TargetSource.CATEGORY
    if forwarded:
        if spec.department.startswith("other:"):
            index = int(spec.department.partition(":")[2])
            issue.department = ref.internal[index % len(ref.internal)]
        else:
            issue.department = category.default_department
    elif fate == "received" and spec.department != "none":
        # Logged by staff and routed, not yet forwarded on: a department, no target.
        issue.department = category.default_department
    worked = clip((issue.forwarded_at or received) + datetime.timedelta(hours=spec.work_hours))
    finished = clip(worked + datetime.timedelta(hours=spec.close_hours))
    if fate == "surveyed":
        issue.surveyed_at = worked
    elif fate in ("in_progress", "planned"):
        issue.in_progress_at = worked if fate == "in_progress" else None
    elif fate == "referred":
        issue.referred_to = ref.external[spec.work_hours % len(ref.external)]
    elif fate == "reopened":
        # Resolved at ``worked``, reopened at ``finished``: no longer resolved.
        issue.in_progress_at = finished
        status = Status.IN_PROGRESS
    elif fate == "resolved" or outcome:
        issue.in_progress_at = issue.forwarded_at
        issue.resolved_at = worked
        issue.first_response_at = worked
        if outcome:
            issue.ended_at = finished
            issue.outcome = outcome
            if outcome in OUTCOMES_NEEDING_REASON:
                issue.outcome_note = "เหตุผล"
            if outcome == Outcome.NOT_FIXED_OTHER_AGENCY:
                issue.outcome_agency = ref.external[0]
    elif fate in ("duplicate", "withdrawn"):
        issue.ended_at = worked
    if fate == "handed_back":
        status = Status.RECEIVED
    issue.status = status
    return issue


def issues_from(dataset: Dataset, ref: Reference | None = None) -> list[Issue]:
    """Write the dataset's issues (after ``clear_issues``) and return them, saved.

    Each fiscal year numbers its issues from 1, in the order received; a duplicate
    names the first issue written, or is withdrawn instead if it is the only one."""
    ref = ref or Reference.load()
    now = now_of(dataset.today)
    issues = sorted((_issue(spec, ref, now) for spec in dataset.specs), key=lambda i: i.received_at)
    numbers: dict[int, int] = {}
    for issue in issues:
        numbers[issue.fiscal_year] = numbers.get(issue.fiscal_year, 0) + 1
        issue.number = numbers[issue.fiscal_year]
    originals = [issue for issue in issues if issue.status != Status.DUPLICATE]
    duplicates = [issue for issue in issues if issue.status == Status.DUPLICATE]
    if duplicates and not originals:
        for issue in duplicates:
            issue.status = Status.WITHDRAWN
        originals, duplicates = duplicates, []
    Issue.objects.bulk_create(originals)
    for issue in duplicates:
        issue.duplicate_of = originals[0]
    Issue.objects.bulk_create(duplicates)
    return issues


# What the figures should be, read from the rows in Python --------------------------


def day_end(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def open_on(issue: Issue, as_of: datetime.date) -> bool:
    """Received by the end of ``as_of`` and neither resolved nor ended by then."""
    end = day_end(as_of)
    return (
        issue.received_at < end
        and not (issue.resolved_at and issue.resolved_at < end)
        and not (issue.ended_at and issue.ended_at < end)
    )


def overdue_on(issue: Issue, as_of: datetime.date) -> bool:
    return open_on(issue, as_of) and issue.target_date is not None and issue.target_date < as_of


def resolved_on(issue: Issue, as_of: datetime.date) -> bool:
    """Resolved by the end of ``as_of``, not a duplicate or withdrawn, and not closed
    by then with an outcome other than fixed (``kpis.counts_as_resolved``)."""
    end = day_end(as_of)
    closed_otherwise = (
        issue.status == Status.CLOSED and issue.ended_at < end and issue.outcome != Outcome.FIXED
    )
    return bool(
        issue.resolved_at
        and issue.resolved_at < end
        and issue.status not in (Status.DUPLICATE, Status.WITHDRAWN)
        and not closed_otherwise
    )


def received_in(issue: Issue, start: datetime.date, end: datetime.date) -> bool:
    return start <= timezone.localtime(issue.received_at).date() <= end


def runs(examples: int):
    """At most ``examples`` datasets a test (twenty times as many when exploring,
    ``make fuzz``). A failing dataset is shrunk to a smallest one only when exploring:
    each try rewrites the issue table and shrinking takes minutes; the message names
    the table and the figures that differ, and the dataset is printed in full."""
    phases = settings.default.phases
    exploring = settings.get_current_profile_name() == "fuzz"
    if not exploring:
        phases = tuple(phase for phase in phases if phase != Phase.shrink)
    return settings(
        max_examples=examples * 20 if exploring else examples,
        deadline=None,
        phases=phases,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
