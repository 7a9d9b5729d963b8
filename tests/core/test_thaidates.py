import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import translation

from core.thaidates import (
    fiscal_year,
    fiscal_year_bounds,
    format_date,
    to_thai_digits,
)

MARCH_3 = datetime.date(2026, 3, 3)


def test_long_thai_date_uses_buddhist_era_and_thai_month():
    assert format_date(MARCH_3, language="th") == "3 มีนาคม 2569"


def test_short_thai_date():
    assert format_date(MARCH_3, short=True, language="th") == "3 มี.ค. 69"


def test_thai_digits():
    assert format_date(MARCH_3, thai_digits=True, language="th") == "๓ มีนาคม ๒๕๖๙"
    assert to_thai_digits("ครั้งที่ 6/2569") == "ครั้งที่ ๖/๒๕๖๙"


def test_english_dates_stay_common_era():
    assert format_date(MARCH_3, language="en") == "3 March 2026"
    assert format_date(MARCH_3, short=True, language="en") == "3 Mar 2026"


def test_aware_datetime_is_read_in_bangkok_time():
    # 20:00 UTC on 2 March is already 3 March in Hua Hin.
    moment = datetime.datetime(2026, 3, 2, 20, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert format_date(moment, language="th") == "3 มีนาคม 2569"


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (datetime.date(2025, 10, 1), 2569),
        (datetime.date(2026, 9, 30), 2569),
        (datetime.date(2025, 9, 30), 2568),
        (datetime.date(2026, 10, 1), 2570),
    ],
)
def test_fiscal_year_starts_in_october(day, year):
    assert fiscal_year(day) == year


def test_fiscal_year_bounds():
    assert fiscal_year_bounds(2569) == (datetime.date(2025, 10, 1), datetime.date(2026, 9, 30))


def test_template_filters_follow_the_active_language():
    template = Template(
        "{{ d|thai_date }}|{{ d|thai_date_short }}|{{ d|thai_date:'digits' }}|{{ d|fiscal_year }}"
    )
    with translation.override("th"):
        assert template.render(Context({"d": MARCH_3})) == (
            "3 มีนาคม 2569|3 มี.ค. 69|๓ มีนาคม ๒๕๖๙|2569"
        )
    with translation.override("en"):
        assert template.render(Context({"d": MARCH_3})) == (
            "3 March 2026|3 Mar 2026|3 March 2026|FY2026"
        )


def test_empty_value_renders_nothing():
    assert Template("[{{ d|thai_date }}]").render(Context({"d": None})) == "[]"


def test_keep_words_keeps_each_name_whole_and_escapes():
    from django.template import Context, Template

    rendered = Template("{{ name|keep_words }}").render(
        Context({"name": "นายกาญจนา บุญประเสริฐ <b>"})
    )
    assert rendered == (
        '<span class="nowrap">นายกาญจนา</span> <span class="nowrap">บุญประเสริฐ</span> '
        '<span class="nowrap">&lt;b&gt;</span>'
    )
