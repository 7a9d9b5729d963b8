"""Real-browser tests: Debian's chromium driven by Playwright against ``live_server``.

Playwright's browser downloads are never used (they cannot be fetched here): the
tests launch the ``chromium`` on the PATH and skip, saying so, when there is none.
A failed test leaves a screenshot of each step and of the page it failed on in
``test-artifacts/``.
"""

import os
import re
import shutil
from importlib import import_module
from pathlib import Path

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM
# calls from such a thread unless told it is safe (it is: nothing here is async).
# Set before Playwright is imported anywhere.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
from django.apps import apps
from django.core.servers.basehttp import WSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread
from playwright.sync_api import expect, sync_playwright

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# Generous for a PDF rendered by WeasyPrint on a busy CI machine, short enough that
# a missing element fails the test quickly.
TIMEOUT_MS = 15_000
# The rows the data migrations load: the role groups and the agenda template.
DATA_MIGRATIONS = (
    ("communities.migrations.0002_role_groups", "create_role_groups"),
    ("meetings.migrations.0002_default_agenda_template", "create_default_agenda"),
)

expect.set_options(timeout=TIMEOUT_MS)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can see a failure."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


class OneRequestAtATime(WSGIServer):
    """The live server's server class when the test database is SQLite in memory.

    Django then hands the live server the test's own connection, and its threaded
    server would run a page's parallel requests (two photos) on that one connection
    at once: with ATOMIC_REQUESTS their transactions nest and SQLite refuses. This
    server answers one request at a time (and closes each HTTP connection, so the
    browser never waits on a kept-alive one)."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.connections_override = connections_override


@pytest.fixture(scope="session", autouse=True)
def _serial_live_server_on_sqlite_in_memory(django_db_setup):
    shared = any(
        connection.vendor == "sqlite" and connection.is_in_memory_db()
        for connection in connections.all()
    )
    with pytest.MonkeyPatch.context() as patch:
        if shared:
            patch.setattr(LiveServerThread, "server_class", OneRequestAtATime)
            # The in-memory database is one shared cache whose locks never wait (the
            # busy timeout does not apply): a BEGIN IMMEDIATE there fails at once
            # while the test thread's connection reads. Plain BEGIN, as before the
            # settings asked for IMMEDIATE for database files (tests/test_sqlite_hall.py).
            for connection in connections.all():
                if connection.vendor == "sqlite" and connection.is_in_memory_db():
                    patch.setitem(connection.settings_dict["OPTIONS"], "transaction_mode", None)
                    patch.setattr(connection, "transaction_mode", None, raising=False)
        yield


@pytest.fixture(scope="package")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Debian's chromium is not installed: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _migrated_rows(transactional_db):
    """Put back what the data migrations loaded.

    The live server reads the data from another thread, so these tests commit for
    real and the database is flushed after each. ``serialized_rollback`` cannot
    restore the rows here: once Playwright's event loop runs in the test thread,
    Django hands that thread a new connection object, one without the serialized
    copy. The migrations' own functions are idempotent; run them again.
    """
    for module, function in DATA_MIGRATIONS:
        getattr(import_module(module), function)(apps, None)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Hash the test users' passwords cheaply; the login form is still the real one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def browser_context_args():
    """Options of the browser context; a test module may override this fixture."""
    return {}


@pytest.fixture
def page(browser, live_server, browser_context_args, request):
    """A fresh browser tab on the live server, in Thai, in Bangkok time.

    When the test fails, the screenshots of its steps (see ``step``) and a full-page
    screenshot of where it stopped are written to ``test-artifacts/<test>/``. A test
    that passed still errors if the browser met a script error, a refusal of the
    content security policy, or an answer of 400 or more.
    """
    context = browser.new_context(
        base_url=live_server.url,
        locale="th-TH",
        timezone_id="Asia/Bangkok",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
        **browser_context_args,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.step_shots = []
    problems = _watch(page)
    yield page
    report = getattr(request.node, "rep_call", None)
    try:
        if report is not None and report.failed:
            _save_artifacts(request.node, page, problems)
    finally:
        context.close()
    if report is not None and report.passed:
        assert not problems, "The browser met problems:\n" + "\n".join(problems)


def _watch(page) -> list[str]:
    """Collect what a person would not see but must not happen: script errors,
    anything the content security policy refused, server errors and broken links."""
    problems = []

    def console(message):
        # A failed load is reported below, with its address.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"console: {message.text}")

    def response(response):
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            problems.append(f"{response.status} {response.request.method} {response.url}")

    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", console)
    page.on("response", response)
    return problems


def _save_artifacts(node, page, problems: list[str]) -> None:
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", node.nodeid).strip("_")
    folder.mkdir(parents=True, exist_ok=True)
    if problems:
        (folder / "problems.txt").write_text("\n".join(problems) + "\n")
    for index, (label, png) in enumerate(page.step_shots, start=1):
        (folder / f"{index:02d}-{label}.png").write_bytes(png)
    try:
        page.screenshot(path=folder / "failed.png", full_page=True)
    except Exception as error:  # The page may be gone; the step shots still help.
        (folder / "failed.txt").write_text(f"No screenshot of the failure: {error}\n")


@pytest.fixture
def step(page):
    """``step("roll-saved")`` keeps a screenshot of what the window shows now; kept
    in memory and written out only when the test fails. (The window, not the whole
    page: a full-page shot of the hundred-person roll takes over a second.)"""

    def take(label: str) -> None:
        slug = re.sub(r"[^\w-]+", "-", label).strip("-")
        page.step_shots.append((slug, page.screenshot()))

    return take


@pytest.fixture
def log_in(page):
    """Log in through the real login form, in Thai, and land on the role's home page."""

    def enter(username: str) -> None:
        page.goto("/accounts/login/")
        expect(page.get_by_role("heading", level=1)).to_have_text("เข้าสู่ระบบ")
        page.get_by_label("ชื่อผู้ใช้").fill(username)
        page.get_by_label("รหัสผ่าน").fill(PASSWORD)
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
        expect(page.get_by_role("button", name="ออกจากระบบ")).to_be_visible()

    return enter
