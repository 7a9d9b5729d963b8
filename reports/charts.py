"""Charts drawn on the server as SVG, for the dashboard and the PDFs alike:
no chart service, no JavaScript, and the same picture on paper and on screen."""

from dataclasses import dataclass
from xml.sax.saxutils import escape

WIDTH = 720
HEIGHT = 260
MARGIN_LEFT = 40
MARGIN_BOTTOM = 46
MARGIN_TOP = 24
COLOURS = ("#0b4f8a", "#2e9e57")


@dataclass(frozen=True)
class Series:
    label: str
    values: list[int]


def _nice_maximum(value: int) -> int:
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if value <= step * 5:
            return max(step, -(-value // step) * step)
    return value


def grouped_bar_chart(*, labels: list[str], series: list[Series], title: str) -> str:
    """Return an SVG bar chart: one group of bars per label, one bar per series."""
    top = _nice_maximum(max([1, *(v for s in series for v in s.values)]))
    plot_width = WIDTH - MARGIN_LEFT - 10
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    group = plot_width / max(1, len(labels))
    bar = group * 0.8 / max(1, len(series))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" font-family="Sarabun" font-size="13">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in range(0, 6):
        value = top * tick // 5
        y = MARGIN_TOP + plot_height - plot_height * tick / 5
        parts.append(
            f'<line x1="{MARGIN_LEFT}" y1="{y:.1f}" x2="{WIDTH - 10}" y2="{y:.1f}" '
            f'stroke="#d5dbe3" stroke-width="1"/>'
            f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#4f5b6b">{value}</text>'
        )
    for index, label in enumerate(labels):
        x0 = MARGIN_LEFT + index * group + group * 0.1
        for position, item in enumerate(series):
            value = item.values[index]
            height = plot_height * value / top
            x = x0 + position * bar
            y = MARGIN_TOP + plot_height - height
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar * 0.92:.1f}" height="{height:.1f}" '
                f'fill="{COLOURS[position % len(COLOURS)]}"><title>{escape(item.label)} '
                f"{escape(label)}: {value}</title></rect>"
            )
            if value:
                parts.append(
                    f'<text x="{x + bar * 0.46:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                    f'font-size="11" fill="#1c2430">{value}</text>'
                )
        parts.append(
            f'<text x="{x0 + group * 0.4:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 18}" '
            f'text-anchor="middle" fill="#1c2430">{escape(label)}</text>'
        )
    legend_x = MARGIN_LEFT
    for position, item in enumerate(series):
        parts.append(
            f'<rect x="{legend_x}" y="{HEIGHT - 16}" width="12" height="12" '
            f'fill="{COLOURS[position % len(COLOURS)]}"/>'
            f'<text x="{legend_x + 18}" y="{HEIGHT - 6}" fill="#1c2430">{escape(item.label)}</text>'
        )
        legend_x += 30 + 9 * len(item.label)
    parts.append("</svg>")
    return "".join(parts)
