import pytest
from django.core.exceptions import ValidationError

from core.phones import normalize_thai_phone


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("0812345678", "081-234-5678"),
        ("081 234 5678", "081-234-5678"),
        ("+66 81 234 5678", "081-234-5678"),
        ("๐๘๑-๒๓๔-๕๖๗๘", "081-234-5678"),
        ("(032) 511-047", "032-511-047"),
        ("02.123.4567", "02-123-4567"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_thai_numbers_are_written_one_way(typed, kept):
    assert normalize_thai_phone(typed) == kept


@pytest.mark.parametrize(
    "typed",
    ["12345", "081234567", "08123456789", "0112345678", "081-234-567๘x", "โทร 081", "²81234567"],
)
def test_anything_else_is_refused(typed):
    with pytest.raises(ValidationError):
        normalize_thai_phone(typed)
