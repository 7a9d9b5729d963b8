"""What a phone downloads: the weight of each main page on a first visit (empty cache).

Run from the project folder; it builds its own throw-away SQLite database with the demo
data, collects the static files and starts the production server (gunicorn, DEBUG=false,
WhiteNoise) on 127.0.0.1, then opens every page in Debian's chromium (Playwright):

    .venv/bin/python bench/weight.py [--pages home-staff,roll] [--lighthouse] [--timeout 1200]

For each page and condition it prints the bytes transferred (headers included, as the
network carries them), the number of requests, the font files fetched, the faces the
page rendered with, the layout shift (CLS) and the largest contentful paint (LCP).
Conditions: "phone" is 390 px wide at 3x with no throttling, "phone-slow" the same on
Lighthouse's slow 4G (150 ms, 1.6 Mbit/s) with the CPU slowed 4x, "desktop" 1280 px.

--lighthouse also runs Lighthouse (npx lighthouse, with CHROME_PATH=/usr/bin/chromium,
headless) on each page for mobile and desktop and prints the performance score.
"""

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

PROJECT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
LIGHTHOUSE = os.environ.get("LIGHTHOUSE", "lighthouse@13.5.0")
PASSWORD = "weight-bench-" + secrets.token_urlsafe(6)

# What the page under test asked for and what it rendered, read after it settled.
OBSERVERS = """
window.__cls = 0; window.__lcp = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
}).observe({type: "layout-shift", buffered: true});
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__lcp = entry.startTime;
}).observe({type: "largest-contentful-paint", buffered: true});
"""
READ_BACK = """async () => {
  await document.fonts.ready;
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 300)));
  const faces = [...document.fonts].filter((face) => face.status === "loaded")
    .map((face) => face.weight + (face.style === "italic" ? "i" : ""));
  return {cls: window.__cls, lcp: window.__lcp, faces: faces};
}"""

CONDITIONS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "scale": 3, "mobile": True},
    "phone-slow": {
        "viewport": {"width": 390, "height": 844},
        "scale": 3,
        "mobile": True,
        # Lighthouse's mobile throttling: slow 4G and a phone's CPU.
        "network": {"latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 7.5e5 / 8},
        "cpu": 4,
    },
    "desktop": {"viewport": {"width": 1280, "height": 800}, "scale": 1, "mobile": False},
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "ENV_FILE": "",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "STATIC_ROOT": str(folder / "static"),
            "MEDIA_ROOT": str(folder / "media"),
            "ALLOWED_HOSTS": "127.0.0.1",
            # Plain HTTP on loopback: no TLS redirect, cookies without the Secure flag.
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
        }
    )
    return env


def _manage(env, *args, timeout=600) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


FIND_PAGES = """
import json
from meetings.models import Meeting
from django.db.models import Count
from issues.models import Issue
meeting = Meeting.objects.filter(status=Meeting.Status.DRAFT).order_by("-date").first()
if meeting is None:
    meeting = Meeting.objects.order_by("-date").first()
if not meeting.check_in_token:
    meeting.new_check_in_token()
    meeting.save(update_fields=["check_in_token"])
held = Meeting.objects.exclude(status=Meeting.Status.DRAFT).order_by("-date").first() or meeting
issue = Issue.objects.annotate(entries=Count("updates")).order_by("-entries", "pk").first()
print(json.dumps({"meeting": meeting.pk, "token": meeting.check_in_token, "held": held.pk,
                  "issue": issue.pk, "month": held.date.strftime("%Y-%m")}))
"""


def _pages(ids: dict) -> dict[str, tuple[str, str]]:
    """Return each main page: name -> (role that opens it, path)."""
    return {
        "home-admin": ("admin", "/"),
        "home-staff": ("staff", "/"),
        "home-officer": ("officer", "/"),
        "home-kpt": ("kpt", "/"),
        "home-leader": ("leader", "/"),
        "issue-list": ("staff", "/issues/"),
        "issue-detail": ("staff", f"/issues/{ids['issue']}/"),
        "meeting": ("staff", f"/meetings/{ids['held']}/"),
        "roll": ("staff", f"/meetings/{ids['meeting']}/attendance/"),
        "check-in-code": ("staff", f"/meetings/{ids['meeting']}/check-in/"),
        "check-in": ("leader", f"/meetings/{ids['meeting']}/check-in/{ids['token']}/"),
        "dashboard": ("kpt", "/dashboard/"),
        "monthly-summary": ("staff", f"/reports/monthly/{ids['month']}/"),
        "leader-report": ("leader", "/issues/submit/"),
        "login": ("", "/accounts/login/"),
    }


def _log_in(browser, base: str, username: str) -> dict:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    if "/accounts/login/" in page.url:
        sys.exit(f"Could not log in as {username}.")
    state = context.storage_state()
    context.close()
    return state


def _measure(browser, url: str, state: dict | None, condition: dict) -> dict:
    """Open ``url`` in a fresh context (empty cache) and return what it cost."""
    context = browser.new_context(
        storage_state=state,
        viewport=condition["viewport"],
        device_scale_factor=condition["scale"],
        is_mobile=condition["mobile"],
        has_touch=condition["mobile"],
    )
    context.add_init_script(OBSERVERS)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    if "network" in condition:
        cdp.send("Network.emulateNetworkConditions", {"offline": False, **condition["network"]})
    if "cpu" in condition:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": condition["cpu"]})
    requests, transferred, fonts = {}, {}, []

    def sent(event):
        requests[event["requestId"]] = event["request"]["url"]

    def finished(event):
        transferred[event["requestId"]] = event["encodedDataLength"]

    def received(event):
        if event["type"] == "Font":
            fonts.append(event["response"]["url"].rsplit("/", 1)[-1])

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.responseReceived", received)
    response = page.goto(url, wait_until="load", timeout=60_000)
    # A page that keeps polling is measured as it stands after ten seconds.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_load_state("networkidle", timeout=10_000)
    seen = page.evaluate(READ_BACK)
    html_encoding = response.headers.get("content-encoding", "none")
    context.close()
    return {
        "status": response.status,
        "html_encoding": html_encoding,
        "kib": sum(transferred.values()) / 1024,
        "requests": len(requests),
        "font_files": fonts,
        "faces": sorted(set(seen["faces"])),
        "cls": seen["cls"],
        "lcp": seen["lcp"],
    }


def _lighthouse(url: str, cookie: str, *, desktop: bool, folder: Path, timeout: int) -> str:
    report = folder / "lighthouse.json"
    command = [
        "npx",
        "--yes",
        LIGHTHOUSE,
        url,
        "--only-categories=performance",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    if desktop:
        command.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    try:
        result = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return "timeout"
    if result.returncode or not report.exists():
        return "failed: " + (result.stderr.strip().splitlines() or ["?"])[-1][:80]
    data = json.loads(report.read_text())
    report.unlink()
    score = data["categories"]["performance"]["score"]
    audits = data["audits"]
    cls = audits["cumulative-layout-shift"]["numericValue"]
    lcp = audits["largest-contentful-paint"]["numericValue"]
    weight = audits["total-byte-weight"]["numericValue"] / 1024
    return f"{round(score * 100):3d} (CLS {cls:.3f}, LCP {lcp / 1000:.1f} s, {weight:.0f} KiB)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", help="comma-separated page names (default: all)")
    parser.add_argument(
        "--conditions", default="phone,phone-slow,desktop", help="comma-separated conditions"
    )
    parser.add_argument("--lighthouse", action="store_true", help="also run Lighthouse")
    parser.add_argument("--timeout", type=int, default=1800, help="stop after this many seconds")
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, lambda *_: sys.exit(f"Stopped after {args.timeout} s."))
    signal.alarm(args.timeout)

    folder = Path(tempfile.mkdtemp(prefix="weight-"))
    server = None
    try:
        env = _environment(folder)
        started = time.monotonic()
        _manage(env, "migrate", "--no-input", "-v0")
        _manage(env, "load_reference_data")
        _manage(env, "seed_demo", "--password", PASSWORD)
        _manage(env, "collectstatic", "--no-input", "-v0")
        ids = json.loads(_manage(env, "shell", "-c", FIND_PAGES).strip().splitlines()[-1])
        print(f"Demo data and static files ready in {time.monotonic() - started:.0f} s.")
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "huahin_meetings.wsgi", "-c", "gunicorn.conf.py"],
            cwd=PROJECT,
            env=dict(env, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="2"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        pages = _pages(ids)
        chosen = args.pages.split(",") if args.pages else list(pages)
        conditions = args.conditions.split(",")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            states = {}
            for name in chosen:
                role = pages[name][0]
                if role and role not in states:
                    states[role] = _log_in(browser, base, role)
            header = f"{'page':16} {'condition':11} {'KiB':>6} {'req':>4} {'CLS':>6} {'LCP ms':>7}  fonts fetched / faces used / HTML"
            print(header)
            for name in chosen:
                role, path = pages[name]
                for condition in conditions:
                    row = _measure(browser, base + path, states.get(role), CONDITIONS[condition])
                    fonts = ",".join(
                        font.split(".")[0].removeprefix("Sarabun-") for font in row["font_files"]
                    )
                    print(
                        f"{name:16} {condition:11} {row['kib']:6.1f} {row['requests']:4d} "
                        f"{row['cls']:6.3f} {row['lcp']:7.0f}  {fonts or '-'} / "
                        f"{','.join(row['faces']) or '-'} / {row['status']} {row['html_encoding']}",
                        flush=True,
                    )
            browser.close()
        if args.lighthouse:
            print(f"\nLighthouse ({LIGHTHOUSE}, headless chromium, simulated throttling):")
            for name in chosen:
                role, path = pages[name]
                cookie = "; ".join(
                    f"{cookie['name']}={cookie['value']}"
                    for cookie in states.get(role, {}).get("cookies", [])
                )
                for form_factor in ("mobile", "desktop"):
                    # Lighthouse's trace recording fails now and then on a busy machine.
                    for _attempt in range(2):
                        score = _lighthouse(
                            base + path,
                            cookie,
                            desktop=form_factor == "desktop",
                            folder=folder,
                            timeout=240,
                        )
                        if not score.startswith(("failed", "timeout")):
                            break
                    print(f"{name:16} {form_factor:8} {score}", flush=True)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
