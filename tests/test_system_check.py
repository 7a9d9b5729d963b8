import builtins

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
