"""Reading a PDF's layout back: where each glyph was drawn, against the page's text
area and the ruled cells of its tables (pdfplumber)."""

import io
from dataclasses import dataclass

import pdfplumber

CM = 72 / 2.54
# Glyph boxes come from font metrics; a tone mark may sit a hair outside its advance.
TOLERANCE = 0.8


@dataclass(frozen=True)
class Misplaced:
    page: int
    text: str
    where: str

    def __str__(self):
        return f"page {self.page}: {self.text!r} {self.where}"


def _words(chars: list[dict]) -> list[list[dict]]:
    """Group the glyphs of one line that touch each other, to name what is misplaced."""
    groups: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        last = groups[-1][-1] if groups else None
        if last and abs(last["top"] - char["top"]) < 1 and char["x0"] - last["x1"] < 1:
            groups[-1].append(char)
        else:
            groups.append([char])
    return groups


def _inside(char: dict, box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    return (
        char["x0"] >= x0 - TOLERANCE
        and char["x1"] <= x1 + TOLERANCE
        and char["top"] >= top - TOLERANCE
        and char["bottom"] <= bottom + TOLERANCE
    )


def _contains_centre(box, char) -> bool:
    x0, top, x1, bottom = box
    cx, cy = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


def _glyph_or_rule(obj: dict) -> bool:
    """Glyphs and the black ruling lines of tables; a chart's grey grid and coloured
    bars are no table."""
    if obj["object_type"] == "char":
        return True
    colour = obj.get("stroking_color")
    return obj["object_type"] == "line" and colour is not None and not any(colour)


def misplaced_glyphs(content: bytes, *, left_cm: float, right_cm: float) -> list[Misplaced]:
    """Return the glyphs drawn outside the text area (between the left and right
    margins) or outside the ruled cell of the table they are drawn in."""
    found: list[Misplaced] = []
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            chars = [char for char in page.chars if char["text"].strip()]
            left, right = left_cm * CM, page.width - right_cm * CM
            off_area = [
                c for c in chars if c["x0"] < left - TOLERANCE or c["x1"] > right + TOLERANCE
            ]
            for group in _words(off_area):
                found.append(
                    Misplaced(number, "".join(c["text"] for c in group), "outside the text area")
                )
            settings = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
            for table in page.filter(_glyph_or_rule).find_tables(table_settings=settings):
                in_table = [c for c in chars if _contains_centre(table.bbox, c)]
                bad = []
                for char in in_table:
                    cells = [cell for cell in table.cells if _contains_centre(cell, char)]
                    if not cells or not _inside(char, cells[0]):
                        bad.append(char)
                for group in _words(bad):
                    found.append(
                        Misplaced(number, "".join(c["text"] for c in group), "outside its cell")
                    )
    return found
