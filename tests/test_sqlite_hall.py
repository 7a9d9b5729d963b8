"""A hall of users on SQLite: the real server (gunicorn with gunicorn.conf.py) on a
database file, twenty leaders logging in and checking in at the same moment, ten
officers posting progress at the same moment. Every one must be recorded and none
refused with "database is locked"."""

import datetime
import http.cookiejar
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
LEADERS = 20
OFFICERS = 10
NOTE = "ออกสำรวจหน้างานแล้ว"
# Bounds, not timings: how long the server may take to start and a request to answer.
START_SECONDS = 60
REQUEST_SECONDS = 60

pytestmark = pytest.mark.real_server


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's cookies and the answers they got."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _KeepRedirects()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = None
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.csrf_token()}
            body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(self.base + path, body, timeout=REQUEST_SECONDS) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read().decode(errors="replace")
        except OSError as error:  # No answer at all: counted with the server errors.
            return 0, str(error)

    def csrf_token(self) -> str:
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")


def _at_once(count: int, work) -> list:
    """Run ``work(index)`` in ``count`` threads released together; return the results."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        barrier.wait(timeout=REQUEST_SECONDS)
        results[index] = work(index)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=2 * REQUEST_SECONDS)
    return results


def _zone_at_noon() -> str:
    """A time zone where it is about noon now. Check-in opens on the meeting's day by
    the municipality's clock; in Bangkok a run near midnight would date the meeting
    one day and check people in the next."""
    offset = (12 - datetime.datetime.now(datetime.UTC).hour + 12) % 24 - 12
    # The Etc zones' signs are POSIX's: Etc/GMT-7 is seven hours ahead of UTC.
    return f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT"


@pytest.fixture
def hall(tmp_path):
    """A migrated SQLite file with the hall's people, and gunicorn serving it."""
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_", "HYPOTHESIS_"))
    }
    env.update(
        ENV_FILE="",
        DJANGO_SETTINGS_MODULE="tests.hall.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'hall.sqlite3'}",
        DEBUG="false",
        SECRET_KEY="hall-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_MANIFEST="false",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        MEDIA_ROOT=str(tmp_path / "media"),
        LOG_LEVEL="WARNING",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        TIME_ZONE=_zone_at_noon(),
    )
    setup = subprocess.run(
        [sys.executable, "-m", "tests.hall.setup", str(LEADERS), str(OFFICERS)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert setup.returncode == 0, setup.stderr
    people = json.loads(setup.stdout.strip().splitlines()[-1])
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "huahin_meetings.wsgi"],
        cwd=PROJECT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield base, people, tmp_path / "hall.sqlite3"
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def _log_in(base: str, username: str, password: str) -> tuple[Browser, int]:
    browser = Browser(base)
    browser.request("/accounts/login/")
    status, _ = browser.request("/accounts/login/", {"username": username, "password": password})
    return browser, status


def test_twenty_leaders_check_in_and_ten_officers_post_progress_at_once(hall):
    base, people, database = hall
    password = people["password"]
    issues = people["issues"]
    usernames = people["leaders"] + [issue["username"] for issue in issues]

    logins = _at_once(len(usernames), lambda index: _log_in(base, usernames[index], password))
    leaders = [browser for browser, _ in logins[:LEADERS]]
    officers = [browser for browser, _ in logins[LEADERS:]]

    check_in = f"/meetings/{people['meeting']}/check-in/{people['token']}/"
    check_ins = _at_once(LEADERS, lambda index: leaders[index].request(check_in, {})[0])

    def post_progress(index):
        issue = issues[index]
        data = {"version": issue["version"], "to_status": "", "note": f"{NOTE} {index}"}
        return officers[index].request(f"/issues/{issue['pk']}/update/", data)[0]

    updates = _at_once(OFFICERS, post_progress)

    with sqlite3.connect(database) as connection:
        checked_in = connection.execute(
            "SELECT COUNT(*) FROM meetings_attendance"
            " WHERE meeting_id = ? AND self_checked_in_at IS NOT NULL",
            [people["meeting"]],
        ).fetchone()[0]
        progress = connection.execute(
            "SELECT COUNT(DISTINCT issue_id) FROM issues_issueupdate WHERE note LIKE ?",
            [f"{NOTE} %"],
        ).fetchone()[0]
    answers = [status for _, status in logins] + check_ins + updates
    outcome = {
        "logged in": sum(status == 302 for _, status in logins),
        "checked in": checked_in,
        "progress posted": progress,
        "server errors": sum(status == 0 or status >= 500 for status in answers),
    }
    assert outcome == {
        "logged in": LEADERS + OFFICERS,
        "checked in": LEADERS,
        "progress posted": OFFICERS,
        "server errors": 0,
    }
