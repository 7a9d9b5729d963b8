"""The issue list's filters, shared by the page and (later) its CSV export.

django-filter turns the query string into a validated form and a queryset
filter, so each filter is declared once instead of parsed by hand."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Department, IssueCategory

from .models import ENDED_STATUSES, Issue, Status
from .selectors import overdue_q, search_q


class IssueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Status.choices, widget=forms.CheckboxSelectMultiple
    )
    community = django_filters.ModelChoiceFilter(
        label=_("Community"), queryset=Community.objects.all(), empty_label=_("All communities")
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Department.objects.exclude(kind=Department.Kind.EXTERNAL),
        empty_label=_("All departments"),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=IssueCategory.objects.all(), empty_label=_("All categories")
    )
    fiscal_year = django_filters.NumberFilter(label=_("Fiscal year"))
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput
    )
    open = django_filters.BooleanFilter(
        label=_("Open only"), method="filter_open", widget=forms.CheckboxInput
    )

    class Meta:
        model = Issue
        fields = ["q", "status", "community", "department", "category", "fiscal_year"]

    def folded_set_count(self) -> int:
        """Return how many filters other than the search are set: a phone folds them,
        and the fold's summary gives the count."""
        if not self.is_bound:
            return 0
        return sum(
            1
            for field in self.form
            if field.name != "q" and field.value() not in (None, "", [], False)
        )

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_q(value)) if value.strip() else queryset

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q(timezone.localdate())) if value else queryset

    def filter_open(self, queryset, name, value):
        return queryset.exclude(status__in=ENDED_STATUSES) if value else queryset


# The statuses an issue in a worklist can be in: open, and routed (not just received).
WORKLIST_STATUS_CHOICES = [
    (value, label)
    for value, label in Status.choices
    if value not in ENDED_STATUSES and value != Status.RECEIVED
]


class WorklistFilter(django_filters.FilterSet):
    """The worklist's filters: status, community and category."""

    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=WORKLIST_STATUS_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    community = django_filters.ModelChoiceFilter(
        label=_("Community"), queryset=Community.objects.all(), empty_label=_("All communities")
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=IssueCategory.objects.all(), empty_label=_("All categories")
    )

    class Meta:
        model = Issue
        fields = ["status", "community", "category"]
