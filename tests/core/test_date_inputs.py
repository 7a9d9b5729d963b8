"""The Buddhist-Era date input and the 24-hour time input (core.forms)."""

import datetime

import pytest
from django import forms
from django.utils import translation

from core.forms import ThaiDateField, ThaiDateInput, Time24Field


@pytest.fixture(autouse=True)
def _thai():
    with translation.override("th"):
        yield


def _errors(field, value) -> list[str]:
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(value)
    return refused.value.messages


@pytest.mark.parametrize(
    "typed",
    ["1/12/2569", "01/12/2569", "๑/๑๒/๒๕๖๙", " 1.12.2569 ", "1-12-2569", "2026-12-01"],
)
def test_a_buddhist_era_date_is_read_typed_with_ascii_or_thai_digits_or_iso(typed):
    assert ThaiDateField().clean(typed) == datetime.date(2026, 12, 1)


def test_a_christian_era_year_is_refused_with_the_buddhist_era_year_to_write():
    (message,) = _errors(ThaiDateField(), "1/12/2026")
    assert message == ("2026 ไม่ใช่ปีพุทธศักราช กรุณากรอกปี พ.ศ. เช่น 2569 (ค.ศ. 2026 คือ พ.ศ. 2569)")


def test_a_two_digit_year_asks_for_four():
    assert _errors(ThaiDateField(), "1/12/69") == ["กรอกปีพุทธศักราชให้ครบ 4 หลัก เช่น 2569"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("30/2/2569", "เดือนกุมภาพันธ์ 2569 ไม่มีวันที่ 30 (มี 28 วัน)"),
        ("31/12/2559", "วันที่ต้องอยู่ระหว่าง 1/1/2560 ถึง 31/12/2580"),
        ("1/13/2569", "ไม่มีเดือนที่ 13 (เดือนคือ 1 ถึง 12)"),
        ("1/1/2590", "วันที่ต้องอยู่ระหว่าง 1/1/2560 ถึง 31/12/2580"),
        ("พรุ่งนี้", "กรอกวันที่เป็น วัน/เดือน/ปีพุทธศักราช เช่น 1/12/2569"),
        ("1/12/๒๕๖๙x", "กรอกวันที่เป็น วัน/เดือน/ปีพุทธศักราช เช่น 1/12/2569"),
        ("²/12/2569", "กรอกวันที่เป็น วัน/เดือน/ปีพุทธศักราช เช่น 1/12/2569"),
    ],
)
def test_a_date_that_cannot_be_is_refused_saying_what_is_expected(typed, message):
    field = ThaiDateField(min_date=datetime.date(2017, 1, 1), max_date=datetime.date(2037, 12, 31))
    assert _errors(field, typed) == [message]


def test_29_february_of_a_leap_year_is_a_date():
    assert ThaiDateField().clean("29/2/2567") == datetime.date(2024, 2, 29)


def test_the_default_range_is_said_in_the_buddhist_era():
    assert _errors(ThaiDateField(), "1/1/2700") == ["วันที่ต้องอยู่ระหว่าง 1/1/2500 ถึง 31/12/2643"]


def test_empty_is_no_date_or_required():
    assert ThaiDateField(required=False).clean("  ") is None
    assert ThaiDateField(required=False).clean("") is None
    assert _errors(ThaiDateField(), "") == [str(ThaiDateField().error_messages["required"])]


def test_the_input_is_text_for_numbers_and_shows_the_date_in_the_buddhist_era():
    html = ThaiDateInput().render("day", datetime.date(2026, 12, 1))
    assert 'type="text"' in html
    assert 'value="1/12/2569"' in html
    assert 'inputmode="numeric"' in html
    assert 'placeholder="วว/ดด/ปปปป"' in html
    assert "data-thai-date" in html
    # What was typed comes back as typed, for the user to correct.
    assert 'value="1/12/2026"' in ThaiDateInput().render("day", "1/12/2026")


@pytest.mark.parametrize("typed", ["09:30", "9.30", "๐๙.๓๐ น.", "09:30:00"])
def test_a_time_is_read_on_the_24_hour_clock(typed):
    assert Time24Field().clean(typed) == datetime.time(9, 30)


@pytest.mark.parametrize("typed", ["9:30 PM", "24:00", "9:75", "๙"])
def test_a_time_not_on_the_24_hour_clock_is_refused(typed):
    assert _errors(Time24Field(), typed) == ["กรอกเวลาแบบ 24 ชั่วโมง เช่น 09:30 หรือ 13:00"]


def test_a_time_is_shown_on_the_24_hour_clock():
    html = Time24Field().widget.render("start", datetime.time(13, 5))
    assert 'value="13:05"' in html and 'type="text"' in html
