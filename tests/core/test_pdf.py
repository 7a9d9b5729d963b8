import io

import pdfplumber

from core.pdf import html_to_pdf, with_thai_digits
from tests.pdf_text import nfkc, pdf_fonts, pdf_text

WORDS_WITH_SARA_AM = ["มีนาคม", "การประชุม", "ผู้นำชุมชน", "น้ำท่วม", "กำหนด", "ดำเนินการ"]


def _page(body: str) -> str:
    return f"<!doctype html><html lang='th'><body>{body}</body></html>"


def test_words_with_sara_am_read_back_right():
    text = " ".join(WORDS_WITH_SARA_AM) + " เดือนมีนาคมน้ำท่วมหนัก"
    pdf = html_to_pdf(_page(f"<p>{text}</p>"), thai_digits=False)
    extracted = pdf_text(pdf)
    for word in WORDS_WITH_SARA_AM:
        assert nfkc(word) in extracted, word
    assert nfkc("มีน้ำคม") not in extracted


def test_thai_digits_change_text_but_not_tags():
    html = '<p class="x2">ครั้งที่ 6/2569</p><img src="file:///media/12/a1.jpg">'
    assert (
        with_thai_digits(html) == '<p class="x2">ครั้งที่ ๖/๒๕๖๙</p><img src="file:///media/12/a1.jpg">'
    )


def test_thai_digits_leave_what_is_marked_not_to_translate():
    html = '<p>ครั้งที่ 6 ดูที่ <span class="nowrap" translate="no">https://x.go.th/m/12</span> ข้อ 3</p>'
    assert with_thai_digits(html) == (
        '<p>ครั้งที่ ๖ ดูที่ <span class="nowrap" translate="no">https://x.go.th/m/12</span> ข้อ ๓</p>'
    )


def test_the_font_is_embedded():
    pdf = html_to_pdf(_page("<p>ทดสอบ</p>"), thai_digits=False)
    assert any("Sarabun" in name for name in pdf_fonts(pdf)), pdf_fonts(pdf)


def test_page_numbers_in_thai_digits_when_asked():
    # The body has no digits: any digit read back is a page number.
    body = "".join(f"<p style='break-after: page'>{letter}</p>" for letter in "กขค")
    assert "๓" in pdf_text(html_to_pdf(_page(body), thai_digits=True))
    assert "3" in pdf_text(html_to_pdf(_page(body), thai_digits=False))


def test_page_numbers_stand_at_the_top_from_page_two():
    body = "".join(f"<p style='break-after: page'>{letter}</p>" for letter in "กขค")
    content = html_to_pdf(_page(body), thai_digits=True)
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        first, second = pdf.pages[0], pdf.pages[1]
        assert "๑" not in first.extract_text()
        number = [char for char in second.chars if char["text"] == "๒"]
        text = [char for char in second.chars if char["text"] == "ข"]
        assert number and text
        assert number[0]["bottom"] < text[0]["top"]  # above the text, not below it
        assert "- ๒ -" in second.extract_text()


def test_list_numbers_follow_the_digits_of_the_text():
    items = "".join(f"<li>นาย{name}</li>" for name in ("สมชาย", "สมศรี", "สมหมาย"))
    assert "๓." in pdf_text(html_to_pdf(_page(f"<ol>{items}</ol>"), thai_digits=True))
    arabic = pdf_text(html_to_pdf(_page(f"<ol>{items}</ol>"), thai_digits=False))
    assert "3." in arabic and "๓" not in arabic
