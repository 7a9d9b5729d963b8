"""Settings are read from the environment when the process starts, so each case
runs ``manage.py`` in a fresh process with the environment it describes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "SECRET_KEY": "a-long-random-production-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "meetings.example.go.th",
    "DATABASE_URL": "sqlite:///unused.sqlite3",
}


# Variables each case sets itself. DJANGO_ALLOW_ASYNC_UNSAFE is set for the whole
# run by the browser tests; a deployment must not have it, and check --deploy says so.
NOT_INHERITED = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def manage(*args: str, **environment: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    env.update(ENV_FILE="", **environment)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is False" in result.stderr


def test_development_starts_without_secret_key():
    result = manage("check", DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_production_values_pass_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("setting", ["SESSION_COOKIE_SECURE", "SECURE_SSL_REDIRECT"])
def test_weakening_production_security_is_reported(setting):
    weakened = {**PRODUCTION, setting: "false"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **weakened)
    assert result.returncode != 0


def test_json_logs_are_one_object_a_line():
    import json
    import logging

    from core.logging import JsonFormatter

    record = logging.makeLogRecord(
        {"name": "issues", "levelname": "WARNING", "msg": "น้ำท่วม %s", "args": ("ซอย 5",)}
    )
    record.issue = "2569-0042"
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "น้ำท่วม ซอย 5"
    assert entry["level"] == "WARNING"
    assert entry["issue"] == "2569-0042"


def test_an_unknown_media_storage_is_refused():
    result = manage("check", DEBUG="true", MEDIA_STORAGE="ftp")
    assert result.returncode != 0
    assert "MEDIA_STORAGE" in result.stderr


def test_an_unknown_meeting_numbering_is_refused_at_start():
    result = manage("check", DEBUG="true", MEETING_NUMBERING="monthly")
    assert result.returncode != 0
    assert "MEETING_NUMBERING must be 'calendar' or 'fiscal'" in result.stderr


def test_refuses_an_open_data_audience_it_does_not_know():
    result = manage("check", DEBUG="true", OPEN_DATA_AUDIENCE="everyone")
    assert result.returncode != 0
    assert "OPEN_DATA_AUDIENCE must be" in result.stderr


def test_with_line_login_the_login_form_may_go_on_to_line():
    """The LINE button's form is redirected to LINE: the content security policy
    allows that form target only when LINE Login is set up."""
    code = (
        "from django.conf import settings; "
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])"
    )
    line = {"LINE_LOGIN_CHANNEL_ID": "1656789012", "LINE_LOGIN_CHANNEL_SECRET": "secret"}
    without = manage("shell", "-c", code, DEBUG="true")
    with_line = manage("shell", "-c", code, DEBUG="true", **line)
    assert without.returncode == with_line.returncode == 0, without.stderr + with_line.stderr
    assert "access.line.me" not in without.stdout
    assert "'https://access.line.me'" in with_line.stdout

    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, **line)
    assert result.returncode == 0, result.stderr


def test_production_keeps_database_connections_and_checks_them_before_reuse():
    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    result = manage("shell", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "60 True"
    result = manage("shell", "-c", code, CONN_MAX_AGE="0", **PRODUCTION)
    assert result.stdout.splitlines()[-1] == "0 True"
