import builtins

import pytest

from huahin_meetings import system_check


def test_missing_pango_names_the_packages_instead_of_a_traceback(monkeypatch, capsys):
    real_import = builtins.__import__

    def failing_import(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", failing_import)

    assert system_check.main() == 1
    assert "sudo apt-get install libpango-1.0-0" in capsys.readouterr().err


def test_present_libraries_pass():
    assert system_check.main() == 0


def test_a_missing_font_subsetter_is_named_without_stopping(monkeypatch, capsys):
    from weasyprint.text import ffi

    monkeypatch.setattr(ffi, "harfbuzz_subset", None)

    assert system_check.main() == 0
    assert "sudo apt-get install libharfbuzz-subset0" in capsys.readouterr().err


def test_nothing_is_said_when_every_library_is_there(capsys):
    from weasyprint.text import ffi

    if ffi.harfbuzz_subset is None:
        pytest.skip("libharfbuzz-subset0 is not installed here")
    assert system_check.main() == 0
    assert capsys.readouterr().err == ""
