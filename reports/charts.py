"""Charts drawn on the server as SVG, for the dashboard and the PDFs alike:
no chart service, no JavaScript, and the same picture on paper and on screen."""

from dataclasses import dataclass
from xml.sax.saxutils import escape


def _nice_maximum(value: int) -> int:
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if value <= step * 5:
            return max(step, -(-value // step) * step)
    return value


# The trend: this fiscal year's bars in full colour, each in front of a wider, pale
# bar with a darker edge for the same month of the year before. The edges keep the
# pale bars visible on white (3:1 and more), on paper and at a phone's width.
TREND_WIDTH = 640
TREND_HEIGHT = 340
MONTHS_IN_YEAR = 12
TREND_TOP = 84  # below the legend
TREND_BOTTOM = 36
TREND_LEFT = 44
TREND_RIGHT = 10
TREND_COLOURS = {
    # measure: (this year's fill, the year before's fill, the year before's edge)
    "raised": ("#0b4f8a", "#c9dcf0", "#5b7fa6"),
    "resolved": ("#2e9e57", "#cde9d6", "#4f8a62"),
}


@dataclass(frozen=True)
class YearSeries:
    """A fiscal year's issues raised and resolved, one value per month, and each
    month's own name with its calendar year (``ธันวาคม 2568``) for the bars' labels."""

    year: str
    raised: list[int]
    resolved: list[int]
    months: list[str]


def trend_chart(
    *,
    labels: list[str],
    current: YearSeries,
    previous: YearSeries,
    raised_label: str,
    resolved_label: str,
    year_heading: str,
    title: str,
) -> str:
    """Return an SVG of the issues raised and resolved per month: one pair of bars per
    month for ``current``, each in front of the same month of ``previous``; the
    legend at the top names the measures and the years (under ``year_heading``).
    The axis has a place for each month of a fiscal year, so the bars keep their
    width and place as the year goes on; the months still to come stay empty."""
    values = [*current.raised, *current.resolved, *previous.raised, *previous.resolved]
    top = _nice_maximum(max([1, *values]))
    plot_width = TREND_WIDTH - TREND_LEFT - TREND_RIGHT
    plot_height = TREND_HEIGHT - TREND_TOP - TREND_BOTTOM
    baseline = TREND_TOP + plot_height
    group = plot_width / max(MONTHS_IN_YEAR, len(labels))
    wide, narrow = group * 0.42, group * 0.24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {TREND_WIDTH} {TREND_HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" font-family="Sarabun" font-size="16">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in range(6):
        value = top * tick // 5
        y = baseline - plot_height * tick / 5
        parts.append(
            f'<line x1="{TREND_LEFT}" y1="{y:.1f}" x2="{TREND_WIDTH - TREND_RIGHT}" '
            f'y2="{y:.1f}" stroke="#d5dbe3" stroke-width="1"/>'
            f'<text x="{TREND_LEFT - 6}" y="{y + 5:.1f}" text-anchor="end" font-size="14" '
            f'fill="#4f5b6b">{value}</text>'
        )
    measures = (("raised", raised_label), ("resolved", resolved_label))
    for index, label in enumerate(labels):
        x0 = TREND_LEFT + index * group
        for position, (measure, measure_label) in enumerate(measures):
            fill, pale, edge = TREND_COLOURS[measure]
            centre = x0 + group * (0.27 + 0.46 * position)
            before = getattr(previous, measure)[index]
            now = getattr(current, measure)[index]
            height = plot_height * before / top
            parts.append(
                f'<rect x="{centre - wide / 2:.1f}" y="{baseline - height:.1f}" '
                f'width="{wide:.1f}" height="{height:.1f}" fill="{pale}" stroke="{edge}" '
                f'stroke-width="1.2"><title>{escape(measure_label)} '
                f"{escape(previous.months[index])}: {before}</title></rect>"
            )
            height = plot_height * now / top
            parts.append(
                f'<rect x="{centre - narrow / 2:.1f}" y="{baseline - height:.1f}" '
                f'width="{narrow:.1f}" height="{height:.1f}" fill="{fill}">'
                f"<title>{escape(measure_label)} {escape(current.months[index])}: "
                f"{now}</title></rect>"
            )
            if now:
                parts.append(
                    f'<text x="{centre:.1f}" y="{baseline - height - 4:.1f}" '
                    f'text-anchor="middle" font-size="13" fill="#1c2430">{now}</text>'
                )
        parts.append(
            f'<text x="{x0 + group / 2:.1f}" y="{baseline + 22}" text-anchor="middle" '
            f'fill="#1c2430">{escape(label)}</text>'
        )
    parts.append(
        f'<line x1="{TREND_LEFT}" y1="{baseline}" x2="{TREND_WIDTH - TREND_RIGHT}" '
        f'y2="{baseline}" stroke="#4f5b6b" stroke-width="1"/>'
    )
    parts.extend(_trend_legend(current, previous, measures, year_heading))
    parts.append("</svg>")
    return "".join(parts)


def _trend_legend(
    current: YearSeries, previous: YearSeries, measures, year_heading: str
) -> list[str]:
    """A small table at the top left: a column per year, a line per measure, so that
    it stays in sight when a phone scrolls the chart sideways."""
    columns = (TREND_LEFT + 130, TREND_LEFT + 200)
    parts = [
        f'<text x="{TREND_LEFT}" y="18" fill="#4f5b6b">{escape(year_heading)}</text>',
        *(
            f'<text x="{x + 8}" y="18" text-anchor="middle" font-weight="700" '
            f'fill="#1c2430">{escape(series.year)}</text>'
            for x, series in zip(columns, (current, previous), strict=True)
        ),
    ]
    for line, (measure, measure_label) in enumerate(measures):
        y = 42 + 22 * line
        fill, pale, edge = TREND_COLOURS[measure]
        parts.append(
            f'<text x="{TREND_LEFT}" y="{y}" fill="#1c2430">{escape(measure_label)}</text>'
        )
        for x, style in zip(
            columns, (f'fill="{fill}"', f'fill="{pale}" stroke="{edge}"'), strict=True
        ):
            parts.append(f'<rect x="{x}" y="{y - 13}" width="16" height="16" {style}/>')
    return parts
