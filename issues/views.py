from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import ANY_ROLE, can_view, is_secretariat, role_required
from core import once
from core.images import photo_response
from core.numbers import parse_int
from core.pdf import pdf_response
from meetings.models import Meeting

from . import export, pdf, selectors, services, workflow
from .filters import IssueFilter, WorklistFilter
from .forms import (
    AcceptForm,
    BulkRouteForm,
    ConfirmFixForm,
    ConfirmForm,
    DisputeFixForm,
    HandBackForm,
    IssueForm,
    RouteForm,
    SubmitForm,
    SurveyForm,
    UpdateForm,
)
from .models import Issue, IssuePhoto
from .permissions import (
    can_accept,
    can_answer_fix,
    can_hand_back,
    can_route,
    can_survey,
    is_leader_of,
    issue_workable,
    may_accept,
    sees_internal_notes,
)

PAGE_SIZE = 50


def _visible_issue(request, pk: int) -> Issue:
    """Return the issue if the user may read it; otherwise it does not exist for them."""
    # What every issue has is joined; the agency referred to, the original of a
    # duplicate and the outcome's agency (a few issues in a hundred) load when the
    # issue has them: joining all eight tables cost PostgreSQL ten times the time to
    # plan the query (1.7 ms) than to run it.
    issue = get_object_or_404(
        Issue.objects.select_related("community", "category", "department", "meeting"), pk=pk
    )
    if not can_view(request.user, issue):
        raise Http404
    return issue


def _form_errors(form, error: ValidationError) -> None:
    if isinstance(error, services.StaleIssue):
        form.version_refused = True
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


# The columns a list can be sorted by: ``?sort=received`` (oldest first) or
# ``?sort=-received`` (newest first); anything else keeps the default order. The
# issue's id breaks ties, so that a page never shows a row twice or skips one.
SORT_KEYS = {
    "reference": ("fiscal_year", "number"),
    "title": ("title",),
    "community": ("community__number",),
    "department": ("department__name_th",),
    "received": ("received_at",),
    "target": ("target_date",),
    "status": ("status",),
}
DEFAULT_ORDER = ("-overdue", "-received_at", "-pk")
# A bulk action works on at most a page of issues.
BULK_MAX = PAGE_SIZE


def sort_order(value: str) -> tuple[str, str, tuple[str, ...]]:
    """Return the known sort key in ``value``, its direction ("ascending",
    "descending" or "" when unknown) and the ``order_by`` fields it means."""
    key = value.removeprefix("-")
    if key not in SORT_KEYS:
        return "", "", DEFAULT_ORDER
    descending = value.startswith("-")
    fields = tuple(f"-{field}" if descending else field for field in SORT_KEYS[key])
    pk = "-pk" if descending else "pk"
    return key, "descending" if descending else "ascending", (*fields, pk)


def _sort_links(query, key: str, direction: str) -> dict:
    """Return, per sortable column, the link that sorts by it (the other way round
    when it is the current sort) and its ``aria-sort``."""
    links = {}
    for column in SORT_KEYS:
        params = query.copy()
        params.pop("page", None)
        current = column == key
        params["sort"] = f"-{column}" if current and direction == "ascending" else column
        links[column] = {
            "url": "?" + params.urlencode(),
            "aria_sort": direction if current else "none",
        }
    return links


@role_required(*ANY_ROLE)
def issue_list(request):
    issue_filter = IssueFilter(request.GET or None, queryset=selectors.visible_issues(request.user))
    key, direction, order = sort_order(request.GET.get("sort", ""))
    page = selectors.issue_list_page(
        issue_filter.qs,
        # The default order, overdue first, is paged from its own indexes.
        order=order if key else None,
        number=parse_int(request.GET.get("page"), min_value=1, max_value=10**6) or 1,
        page_size=PAGE_SIZE,
    )
    query = request.GET.copy()
    query.pop("page", None)
    if not key:
        query.pop("sort", None)
    bulk = is_secretariat(request.user)
    return render(
        request,
        "issues/issue_list.html",
        {
            "filter": issue_filter,
            "page": page,
            "query": query.urlencode(),
            "sort_links": _sort_links(query, key, direction),
            "sort": query.get("sort", ""),
            "count_cap": formats.number_format(selectors.COUNT_CAP, force_grouping=True),
            "can_create": is_secretariat(request.user),
            "bulk": bulk,
            "bulk_form": BulkRouteForm() if bulk else None,
        },
    )


def _bulk_selection(request) -> list[tuple[Issue, int | None]]:
    """Return the issues ticked on the list (``pk:version``) that the user may read,
    in the order of the list, each with the version the user saw."""
    seen: dict[int, int | None] = {}
    for value in request.POST.getlist("issue")[:BULK_MAX]:
        pk_text, _colon, version_text = value.partition(":")
        pk = parse_int(pk_text, min_value=1, max_value=2**31 - 1)
        if pk is not None:
            seen[pk] = parse_int(version_text, min_value=0, max_value=2**31 - 1)
    issues = selectors.with_list_columns(
        selectors.visible_issues(request.user).filter(pk__in=list(seen))
    ).order_by(*DEFAULT_ORDER)
    return [(issue, seen[issue.pk]) for issue in issues]


def _back_to_list(request) -> str:
    query = request.POST.get("query", "")
    return reverse("issues:list") + (f"?{query}" if query and "\n" not in query else "")


@role_required(*ANY_ROLE)
@require_POST
def issue_bulk_route(request):
    """Route each ticked issue to one department, each with the version the list
    showed: one refused (stale, closed, already there) changes nothing of its own
    and does not stop the others. The page then says what was done to each."""
    if not is_secretariat(request.user):
        raise PermissionDenied
    form = BulkRouteForm(request.POST)
    selection = _bulk_selection(request)
    if not form.is_valid() or not selection:
        for error in form.errors.get("department", []):
            messages.error(request, error)
        if not selection:
            messages.error(request, _("Tick at least one issue first."))
        return redirect(_back_to_list(request))
    department = form.cleaned_data["department"]
    results = []
    for issue, version in selection:
        if version is None:
            results.append(
                (
                    issue,
                    False,
                    _(
                        "The list did not say which version of the issue it showed; "
                        "nothing was saved. Open the list again and retry."
                    ),
                )
            )
            continue
        try:
            services.issue_route(
                issue=issue,
                actor=request.user,
                version=version,
                department=department,
                follow_up_team=issue.follow_up_team,
                priority=issue.priority,
            )
        except PermissionDenied:
            results.append(
                (
                    issue,
                    False,
                    _(
                        "This issue has ended (closed, duplicate or withdrawn) and cannot be routed."
                    ),
                )
            )
        except ValidationError as error:
            results.append((issue, False, " ".join(error.messages)))
        else:
            results.append((issue, True, _("Sent to %(department)s.") % {"department": department}))
    return render(
        request,
        "issues/bulk_result.html",
        {
            "department": department,
            "results": results,
            "done_count": sum(1 for _issue, done, _message in results if done),
            "back_url": _back_to_list(request),
        },
    )


# Only reads, and renders a PDF for seconds: outside the request's transaction, which
# on SQLite would hold the write lock all that time (reports.views.read_only).
@transaction.non_atomic_requests
@role_required(*ANY_ROLE)
@require_POST
def issue_bulk_print(request):
    """Return the ticked issues as a PDF list to print, as the user may read them."""
    if not is_secretariat(request.user):
        raise PermissionDenied
    selection = _bulk_selection(request)
    if not selection:
        messages.error(request, _("Tick at least one issue first."))
        return redirect(_back_to_list(request))
    content = pdf.issue_list_pdf(issues=[issue for issue, _version in selection])
    return pdf_response(content, pdf.issue_list_filename())


@role_required(*ANY_ROLE)
def issue_create(request):
    if not is_secretariat(request.user):
        raise PermissionDenied
    meeting = None
    if "meeting" in request.GET:
        meeting_pk = parse_int(request.GET["meeting"])
        if meeting_pk is not None:
            meeting = Meeting.objects.filter(pk=meeting_pk).first()
        if meeting is None and request.method == "GET":
            messages.warning(
                request, _("The meeting in this link was not found; choose it in the form.")
            )
    form = IssueForm(
        request.POST or None,
        initial={"meeting": meeting, "received_on": meeting.date if meeting else None},
    )
    sent = once.Once(request, fallback_url=reverse("issues:list"))
    if request.method == "POST" and (earlier := sent.earlier()):
        return once.already_sent(request, earlier)
    if request.method == "POST" and form.is_valid():
        try:
            with sent.claim() as claim:
                fields = dict(form.cleaned_data)
                received_at = services.received_at_on(
                    fields.pop("received_on"), meeting=fields["meeting"]
                )
                issue = services.issue_create(actor=request.user, received_at=received_at, **fields)
                claim.url = (
                    issue.meeting.get_absolute_url()
                    if request.POST.get("return_to_meeting") and issue.meeting
                    else issue.get_absolute_url()
                )
        except once.AlreadySent as repeat:
            return once.already_sent(request, repeat.url)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("Issue %(ref)s was logged and sent to %(department)s.")
                % {"ref": issue.reference, "department": issue.department},
            )
            return redirect(claim.url)
    return render(request, "issues/issue_form.html", {"form": form, "meeting": meeting})


def _offer_current_version(form, issue: Issue) -> None:
    """After a refusal for a stale or missing version, let the form shown again
    carry the version now on screen, so that sending it again is not refused."""
    if getattr(form, "version_refused", False):
        form.data = form.data.copy()
        form.data["version"] = str(issue.version)


def _detail_page(request, issue: Issue, *, refused=None, status: int = 200):
    """Render the issue page; ``refused`` is a bound route, hand-back or confirm
    form that was refused, shown again with its errors and what was typed."""
    user = request.user
    workable = issue_workable(user, issue)
    targets = workflow.allowed_targets(user, issue.status) if workable else []
    forms = {
        "route_form": RouteForm(
            initial={
                "version": issue.version,
                "department": issue.department,
                "follow_up_team": issue.follow_up_team,
                "priority": issue.priority,
            }
        )
        if can_route(user, issue)
        else None,
        "accept_form": AcceptForm(
            initial={"version": issue.version, "target_date": issue.target_date}
        )
        if can_accept(user, issue)
        else None,
        "hand_back_form": HandBackForm(initial={"version": issue.version})
        if can_hand_back(user, issue)
        else None,
        "confirm_form": ConfirmForm(initial={"version": issue.version})
        if issue.awaiting_meeting and is_secretariat(user)
        else None,
        # A leader of the community answers the department's "resolved".
        "confirm_fix_form": ConfirmFixForm(initial={"version": issue.version})
        if can_answer_fix(user, issue)
        else None,
        "dispute_fix_form": DisputeFixForm(initial={"version": issue.version})
        if can_answer_fix(user, issue)
        else None,
    }
    if refused is not None:
        _offer_current_version(refused, issue)
        names = [name for name, form in forms.items() if type(form) is type(refused)]
        if names:
            forms[names[0]] = refused
        else:
            # The form is no longer offered to this user: say why it was refused.
            for field_errors in refused.errors.values():
                for error in field_errors:
                    messages.error(request, error)
    context = {
        "issue": issue,
        "timeline": selectors.timeline(issue=issue, user=user),
        "overdue": issue.is_overdue(timezone.localdate()),
        "update_form": UpdateForm(initial={"version": issue.version}, targets=targets)
        if workable
        else None,
        "can_survey": can_survey(user, issue),
        # The original of a duplicate may be another community's or department's:
        # named and linked only for those who may read it.
        "duplicate_of_visible": bool(issue.duplicate_of and can_view(user, issue.duplicate_of)),
        # An issue logged at a meeting still in draft names it; the link opens once
        # the reader may see the meeting.
        "meeting_visible": bool(issue.meeting and can_view(user, issue.meeting)),
        **forms,
    }
    return render(request, "issues/issue_detail.html", context, status=status)


@role_required(*ANY_ROLE)
def issue_detail(request, pk: int):
    return _detail_page(request, _visible_issue(request, pk))


@role_required(*ANY_ROLE)
def issue_update(request, pk: int):
    issue = _visible_issue(request, pk)
    if not issue_workable(request.user, issue):
        raise PermissionDenied
    targets = workflow.allowed_targets(request.user, issue.status)
    form = UpdateForm(
        request.POST or None,
        request.FILES or None,
        initial={"version": issue.version},
        targets=targets,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.issue_update(
                issue=issue,
                actor=request.user,
                version=data["version"],
                to_status=data["to_status"],
                note=data["note"],
                is_public=data["is_public"],
                photos=data["photos"],
                target_date=data["target_date"],
                target_reason=data["target_reason"],
                duplicate_of=data.get("duplicate_of"),
                referred_to=data.get("referred_to"),
                outcome=data.get("outcome", ""),
                outcome_note=data.get("outcome_note", ""),
                outcome_agency=data.get("outcome_agency"),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The update was saved."))
            return redirect(issue)
    status = 400 if request.method == "POST" else 200
    _offer_current_version(form, issue)
    return render(
        request, "issues/issue_update.html", {"issue": issue, "form": form}, status=status
    )


@role_required(*ANY_ROLE)
def issue_survey(request, pk: int):
    issue = _visible_issue(request, pk)
    if not can_survey(request.user, issue):
        raise PermissionDenied
    form = SurveyForm(
        request.POST or None,
        request.FILES or None,
        initial={"version": issue.version, "survey_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_record(issue=issue, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The field survey was recorded."))
            return redirect(issue)
    status = 400 if request.method == "POST" else 200
    _offer_current_version(form, issue)
    return render(
        request, "issues/issue_survey.html", {"issue": issue, "form": form}, status=status
    )


def _post_action(request, form, action) -> bool:
    """Run ``action`` with the form's data and return whether it was done; a
    refusal is put on the form, to be shown again with what the user typed."""
    if not form.is_valid():
        return False
    try:
        action(**form.cleaned_data)
    except ValidationError as error:
        _form_errors(form, error)
        return False
    messages.success(request, _("The issue was updated."))
    return True


@role_required(*ANY_ROLE)
@require_POST
def issue_route(request, pk: int):
    issue = _visible_issue(request, pk)
    if not can_route(request.user, issue):
        raise PermissionDenied
    form = RouteForm(request.POST)
    if not _post_action(
        request,
        form,
        lambda **data: services.issue_route(issue=issue, actor=request.user, **data),
    ):
        return _detail_page(request, _visible_issue(request, pk), refused=form, status=400)
    return redirect(issue)


@role_required(*ANY_ROLE)
@require_POST
def issue_accept(request, pk: int):
    """The department takes the issue up; from the worklist, back to the worklist."""
    issue = _visible_issue(request, pk)
    if not may_accept(request.user, issue):
        raise PermissionDenied
    form = AcceptForm(request.POST)
    if not _post_action(
        request,
        form,
        lambda **data: services.issue_accept(issue=issue, actor=request.user, **data),
    ):
        return _detail_page(request, _visible_issue(request, pk), refused=form, status=400)
    if request.POST.get("back") == "worklist":
        return redirect("issues:worklist")
    return redirect(issue)


@role_required(*ANY_ROLE)
@require_POST
def issue_hand_back(request, pk: int):
    issue = _visible_issue(request, pk)
    if not can_hand_back(request.user, issue):
        raise PermissionDenied
    form = HandBackForm(request.POST)
    if not _post_action(
        request,
        form,
        lambda **data: services.issue_hand_back(issue=issue, actor=request.user, **data),
    ):
        return _detail_page(request, _visible_issue(request, pk), refused=form, status=400)
    # The officer no longer sees an issue handed back; send them to their worklist.
    return redirect("issues:worklist")


@role_required(*ANY_ROLE)
@require_POST
def issue_confirm(request, pk: int):
    issue = _visible_issue(request, pk)
    if not is_secretariat(request.user):
        raise PermissionDenied
    form = ConfirmForm(request.POST)
    if not _post_action(
        request,
        form,
        lambda **data: services.issue_confirm(issue=issue, actor=request.user, **data),
    ):
        # Nothing is typed here but the meeting's choice: the refusal is told on
        # the issue's page.
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, error)
    return redirect(issue)


def _answer_fix(request, issue: Issue, form, action, *, done: str):
    """Run a leader's answer about the fix once per form sent; a refusal shows the
    issue page again with the form as typed and the reason."""
    sent = once.Once(request, fallback_url=issue.get_absolute_url())
    if earlier := sent.earlier():
        return once.already_sent(request, earlier)
    if form.is_valid():
        try:
            with sent.claim() as claim:
                action(**form.cleaned_data)
                claim.url = issue.get_absolute_url()
        except once.AlreadySent as repeat:
            return once.already_sent(request, repeat.url)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(issue)
    return _detail_page(request, _visible_issue(request, issue.pk), refused=form, status=400)


@role_required(*ANY_ROLE)
@require_POST
def issue_confirm_fix(request, pk: int):
    """A leader of the issue's community says the resolved problem is fixed."""
    issue = _visible_issue(request, pk)
    if not is_leader_of(request.user, issue):
        raise PermissionDenied
    return _answer_fix(
        request,
        issue,
        ConfirmFixForm(request.POST),
        lambda version: services.leader_confirm_fix(
            issue=issue, actor=request.user, version=version
        ),
        done=_("Thank you. The issue is closed as fixed."),
    )


@role_required(*ANY_ROLE)
@require_POST
def issue_dispute_fix(request, pk: int):
    """A leader of the issue's community says the resolved problem is not fixed."""
    issue = _visible_issue(request, pk)
    if not is_leader_of(request.user, issue):
        raise PermissionDenied
    return _answer_fix(
        request,
        issue,
        DisputeFixForm(request.POST, request.FILES),
        lambda version, reason, photos: services.leader_dispute_fix(
            issue=issue, actor=request.user, version=version, reason=reason, photos=photos
        ),
        done=_("Thank you. The issue is reopened with your reason."),
    )


def _page_links(request, param: str) -> str:
    """The query string of this page without ``param``, to which a page link adds
    its own: the other filters and pages stay as they are."""
    query = request.GET.copy()
    query.pop(param, None)
    return query.urlencode()


@role_required(Role.OFFICER, Role.ADMIN, Role.SECRETARIAT)
def worklist(request):
    """The department's open issues in sections: new to accept, overdue, in progress,
    and the rest; filtered by status, community and category. Each section shows its
    count and a page of its rows (``?page_<section>=``)."""
    filters = WorklistFilter(request.GET or None, queryset=selectors.worklist(user=request.user))
    sections = selectors.worklist_sections(
        filters.qs,
        {key: request.GET.get(f"page_{key}") for key, _title in selectors.WORKLIST_SECTIONS},
    )
    for section in sections:
        section.query = _page_links(request, f"page_{section.key}")
    return render(
        request,
        "issues/worklist.html",
        {
            "filters": filters,
            "filtered": filters.is_bound and any(filters.form.cleaned_data.values()),
            "sections": sections,
            "open_count": sum(section.count for section in sections),
            "overdue_count": sum(section.overdue for section in sections),
        },
    )


@role_required(Role.FOLLOW_UP, Role.ADMIN, Role.SECRETARIAT)
def follow_up_board(request):
    """Every community's open issues, folded: its count and first rows, overdue first,
    and a link to the issue list of all of them."""
    groups = selectors.board(user=request.user)
    return render(
        request,
        "issues/board.html",
        {
            "board": groups,
            "open_count": sum(group.count for group in groups),
            "overdue_count": sum(group.overdue for group in groups),
        },
    )


def _report_map() -> dict | None:
    """The map of a leader's report, when a tile server is set (``MAP_TILE_URL``)."""
    if not settings.MAP_TILE_URL:
        return None
    latitude, _comma, longitude = settings.MAP_CENTER.partition(",")
    return {
        "tile_url": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "center_lat": latitude.strip(),
        "center_lng": longitude.strip(),
        "zoom": settings.MAP_ZOOM,
    }


@role_required(Role.LEADER)
def issue_submit(request):
    """A leader reports a problem from the phone: words, photos and a position."""
    form = SubmitForm(request.POST or None, request.FILES or None)
    sent = once.Once(request, fallback_url=reverse("issues:list"))
    if request.method == "POST" and (earlier := sent.earlier()):
        return once.already_sent(request, earlier)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                with sent.claim() as claim:
                    issue = services.issue_submit(actor=request.user, **form.cleaned_data)
                    claim.url = issue.get_absolute_url()
            except once.AlreadySent as repeat:
                return once.already_sent(request, repeat.url)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Your problem was sent as %(ref)s and forwarded to %(department)s. "
                        "Staff will also put it on the next meeting's agenda."
                    )
                    % {"ref": issue.reference, "department": issue.department},
                )
                return redirect(issue)
        if request.FILES.getlist("photos"):
            # A browser never fills a file field again: say so beside the photos.
            form.add_error(
                "photos" if "photos" not in form.errors else None,
                _("Nothing was sent yet: choose the photos again, then press Send."),
            )
    map_config = _report_map()
    response = render(
        request,
        "issues/issue_submit.html",
        {"form": form, "map": map_config},
        status=status,
    )
    if map_config:
        # The tiles come from the tile server: allowed on this page only.
        response._csp_update = {"img-src": [settings.MAP_TILE_ORIGIN]}
    return response


@role_required(*ANY_ROLE)
def photo_file(request, pk: int, photo_pk: int, size: str):
    """Serve an issue photo to those who may read the issue and the note it belongs to."""
    if size not in ("image", "thumb"):
        raise Http404
    issue = _visible_issue(request, pk)
    photo = get_object_or_404(
        IssuePhoto.objects.select_related("update"), pk=photo_pk, update__issue=issue
    )
    if not photo.update.is_public and not sees_internal_notes(request.user, issue):
        raise Http404
    return photo_response(photo, size=size)


@role_required(*ANY_ROLE)
def issue_export(request):
    """Stream the issue list as CSV: the list page's filters, every matching row the
    user may read, none they may not."""
    issues = selectors.with_list_columns(selectors.visible_issues(request.user))
    issue_filter = IssueFilter(request.GET or None, queryset=issues)
    results = export.with_export_columns(issue_filter.qs).order_by(
        "-overdue", "-received_at", "-pk"
    )
    language = translation.get_language()

    def chunks():
        # The body is made after the view has returned, maybe on another thread:
        # keep the request's language for the headers, labels and names.
        with translation.override(language):
            rows = export.issues_csv_rows(results.iterator(chunk_size=export.CHUNK_SIZE))
            yield from export.csv_chunks(rows)

    response = StreamingHttpResponse(chunks(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.export_filename()}"'
    return response
