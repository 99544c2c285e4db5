"""Real-browser end-to-end test of the Gatehouse demo (issue 6, item 5).

Headless Chromium, driven through the system chromedriver, walks the demo SPA
through everything a user does: sign in at the development provider, read the
claims, call the API, let the access token go stale and call again (a
transparent refresh), and sign out through the provider's end-session
redirect. On the way it checks what a BFF promises the browser: no token in
JavaScript's reach (document.cookie, localStorage, sessionStorage, the DOM) and
an HttpOnly, SameSite=Strict session cookie.

The test starts `gatehouse demo` itself on free loopback ports and always stops
it. It never builds Swift: point GATEHOUSE_BIN at a built binary (default
.build/debug/gatehouse, relative to the repository root).

Environment:
  GATEHOUSE_BIN   the gatehouse binary (default .build/debug/gatehouse)
  CHROMIUM_BIN    the browser (default /usr/bin/chromium)
  CHROMEDRIVER    the driver (default /usr/bin/chromedriver); Selenium Manager is never used
  TMPDIR          where a failed run leaves gatehouse-e2e-run-* (screenshot, page source, logs)
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

# Selenium Manager would try to download a driver; there is no internet and we bring our own.
os.environ.setdefault("SE_OFFLINE", "true")

import pytest  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, TimeoutException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

REPO = Path(__file__).resolve().parents[2]

# The development provider's demo user (Sources/DevOpenIDProvider/DevOpenIDProvider+User.swift).
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"
DEMO_SUBJECT = "3f2a1c9e-demo-user-0001"
DEMO_NAME = "Demo User"
DEMO_EMAIL = "demo@example.com"

SESSION_COOKIE = "gatehouse"  # the name Gatehouse uses when public_url is http://
REFRESH_BEFORE_EXPIRY = 60  # session.refresh_before_expiry in the demo

# Access-token lifetimes set through the provider's /_dev/lifetimes knob.
# The token issued at login lives 66 s, so it is fresh (more than 60 s left) for
# its first 6 s and stale after: the first API call right after login needs no
# refresh, one ~6 s later does. Tokens issued by that refresh live 3 s, so the
# last call is made after the token Gatehouse holds has really expired.
LOGIN_TOKEN_LIFETIME = 66
SHORT_TOKEN_LIFETIME = 3
MAX_TOTAL_WAIT = 15.0  # seconds the test may spend waiting for tokens to age

READY_TIMEOUT = 30.0
UI_TIMEOUT = 15.0
JWT_LIKE = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")

_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


# ---- the demo process ---------------------------------------------------------------------


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port_block(count: int = 4) -> int:
    """A base port P such that P..P+count-1 are all free on 127.0.0.1 right now."""
    for _ in range(200):
        base = random.randrange(20000, 60000 - count)
        if all(_port_free(base + i) for i in range(count)):
            return base
    raise RuntimeError("no block of free loopback ports found")


def http(method: str, url: str, body: object | None = None, timeout: float = 5.0) -> tuple[int, bytes]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with _NO_PROXY.open(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@dataclass
class Demo:
    process: subprocess.Popen
    port: int
    log_path: Path

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port + 1}"

    @property
    def admin(self) -> str:
        return f"http://127.0.0.1:{self.port + 3}"

    def counters(self) -> dict:
        status, body = http("GET", self.issuer + "/_dev/counters")
        assert status == 200, f"GET /_dev/counters answered {status}: {body[:200]!r}"
        return json.loads(body)

    def set_access_token_lifetime(self, seconds: float) -> None:
        status, body = http("POST", self.issuer + "/_dev/lifetimes", {"access_token": seconds})
        assert status == 200, f"POST /_dev/lifetimes answered {status}: {body[:200]!r}"
        assert json.loads(body)["access_token"] == seconds

    def provider_sessions(self) -> list[str]:
        status, body = http("GET", self.issuer + "/_dev/sessions?sub=" + DEMO_SUBJECT)
        assert status == 200, f"GET /_dev/sessions answered {status}: {body[:200]!r}"
        return json.loads(body)["sids"]

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def _gatehouse_binary() -> Path:
    binary = Path(os.environ.get("GATEHOUSE_BIN", ".build/debug/gatehouse"))
    if not binary.is_absolute():
        binary = REPO / binary
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.fail(f"gatehouse binary not found or not executable: {binary} (build it first, or set GATEHOUSE_BIN)")
    return binary


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _start_demo(binary: Path, log_path: Path) -> Demo:
    """Starts `gatehouse demo` on free ports and waits (bounded) for /readyz."""
    last_log = ""
    for _attempt in range(3):  # a port taken between the check and the bind: try another block
        port = _free_port_block()
        log = open(log_path, "wb")
        process = subprocess.Popen(
            [str(binary), "demo", "--port", str(port), "--static-dir", str(REPO / "Public")],
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        demo = Demo(process, port, log_path)
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            with contextlib.suppress(OSError):
                status, _ = http("GET", demo.admin + "/readyz", timeout=2)
                if status == 200:
                    return demo
            time.sleep(0.2)
        _stop(process)
        last_log = demo.log_text()
        if "in use" not in last_log.lower():
            break
    pytest.fail(f"gatehouse demo did not become ready within {READY_TIMEOUT:.0f} s; its output:\n{last_log[-3000:]}")


# ---- the browser ----------------------------------------------------------------------------


def _start_browser(profile_dir: Path, driver_log: Path) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,900",
        f"--user-data-dir={profile_dir}",
        "--no-proxy-server",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--password-store=basic",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"), log_output=str(driver_log))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(UI_TIMEOUT)
    return driver


class Artifacts:
    """Where a failed run leaves what it saw; removed again when the run passes."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="gatehouse-e2e-run-", dir=os.environ.get("TMPDIR") or "/tmp"))
        self.step = "setup"
        self.started = time.monotonic()
        self.failed = False
        self.console: list[dict] = []

    def begin(self, step: str) -> None:
        """Names the step now running; the timeline is printed, so a failure report shows it."""
        self.step = step
        print(f"[{time.monotonic() - self.started:6.2f} s] {step}")

    def capture(self, driver: webdriver.Chrome | None) -> list[Path]:
        saved: list[Path] = []
        if driver is not None:
            with contextlib.suppress(Exception):
                path = self.dir / "screenshot.png"
                if driver.save_screenshot(str(path)):
                    saved.append(path)
            with contextlib.suppress(Exception):
                path = self.dir / "page.html"
                path.write_text(f"<!-- url: {driver.current_url} -->\n" + driver.page_source)
                saved.append(path)
            with contextlib.suppress(Exception):
                self.console.extend(driver.get_log("browser"))
        if self.console:
            path = self.dir / "browser-console.json"
            path.write_text(json.dumps(self.console, indent=2))
            saved.append(path)
        saved += [p for p in (self.dir / "gatehouse.log", self.dir / "chromedriver.log") if p.exists()]
        return saved


# ---- helpers that read the page -------------------------------------------------------------


def wait(driver, timeout: float = UI_TIMEOUT) -> WebDriverWait:
    # An element looked up just before a navigation goes stale: poll again rather than fail.
    return WebDriverWait(
        driver, timeout, poll_frequency=0.1, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)
    )


def visible(driver, element_id: str, timeout: float = UI_TIMEOUT):
    try:
        return wait(driver, timeout).until(EC.visibility_of_element_located((By.ID, element_id)))
    except TimeoutException:
        raise AssertionError(f"#{element_id} did not become visible within {timeout:.0f} s (at {driver.current_url})") from None


def text_of(driver, element_id: str) -> str:
    return driver.find_element(By.ID, element_id).text.strip()


def browser_fetch(driver, path: str, method: str = "GET") -> tuple[int, str]:
    """A fetch from the page, the way the SPA makes it (same-origin cookies, X-CSRF: 1)."""
    result = driver.execute_async_script(
        """
        const [path, method, done] = arguments;
        fetch(path, {method, credentials: 'same-origin', cache: 'no-store',
                     headers: {'X-CSRF': '1', 'Accept': 'application/json'}})
          .then(async (r) => done([r.status, await r.text()]))
          .catch((e) => done([0, String(e)]));
        """,
        path,
        method,
    )
    return int(result[0]), result[1]


def call_api(driver) -> dict:
    """Clicks "Call the API" and returns the JSON the page shows; fails unless it shows a 200."""
    # Blank the status line first, so the wait below sees this call's answer and not the last one.
    driver.execute_script("document.getElementById('api-status').textContent = '';")
    button = driver.find_element(By.ID, "call-api")
    button.click()

    def answered(d):
        status = d.find_element(By.ID, "api-status").text.strip()
        enabled = d.find_element(By.ID, "call-api").is_enabled()
        return status if status and enabled else False

    try:
        status = wait(driver).until(answered)
    except TimeoutException:
        raise AssertionError(f"the API call showed no answer within {UI_TIMEOUT:.0f} s") from None
    body = text_of(driver, "api-body")
    assert status.startswith("200"), f"the API call failed: {status!r}, body {body!r}"
    assert not JWT_LIKE.search(body), "the API's answer as shown contains something token-like"
    return json.loads(body)


def wait_until(wall_clock: float, budget: dict) -> None:
    """Sleeps until time.time() >= wall_clock, charged against the test's total wait budget."""
    needed = max(0.0, wall_clock - time.time())
    budget["spent"] += needed
    assert budget["spent"] <= MAX_TOTAL_WAIT, (
        f"waiting for tokens to age would take {budget['spent']:.1f} s in all (limit {MAX_TOTAL_WAIT:.0f} s)"
    )
    print(f"           waiting {needed:.1f} s for the access token to age ({budget['spent']:.1f} s in all)")
    time.sleep(needed)


# ---- the test -----------------------------------------------------------------------------


@pytest.fixture
def artifacts():
    box = Artifacts()
    yield box
    # The test marks the box failed when it saved something worth keeping.
    if not box.failed:
        shutil.rmtree(box.dir, ignore_errors=True)


def test_sign_in_call_api_refresh_and_sign_out(artifacts: Artifacts) -> None:
    binary = _gatehouse_binary()
    demo: Demo | None = None
    driver: webdriver.Chrome | None = None
    profile = Path(tempfile.mkdtemp(prefix="gatehouse-e2e-profile-", dir=os.environ.get("TMPDIR") or "/tmp"))
    try:
        artifacts.begin("start gatehouse demo")
        demo = _start_demo(binary, artifacts.dir / "gatehouse.log")
        artifacts.begin("start headless Chromium")
        driver = _start_browser(profile, artifacts.dir / "chromedriver.log")
        run_flow(driver, demo, artifacts)
    except BaseException as error:
        artifacts.failed = True
        saved = artifacts.capture(driver)
        lines = [f"browser e2e failed during step: {artifacts.step}", f"artifacts in {artifacts.dir}:"]
        lines += [f"  {path}" for path in saved]
        print("\n".join(lines))
        with contextlib.suppress(Exception):
            error.add_note("\n".join(lines))
        raise
    finally:
        if driver is not None:
            with contextlib.suppress(Exception):
                driver.quit()
        if demo is not None:
            _stop(demo.process)
        shutil.rmtree(profile, ignore_errors=True)


def run_flow(driver: webdriver.Chrome, demo: Demo, artifacts: Artifacts) -> None:
    budget = {"spent": 0.0}

    # -- signed out ---------------------------------------------------------------------
    artifacts.begin("open the SPA signed out")
    driver.get(demo.origin + "/")
    visible(driver, "signed-out")
    assert driver.find_element(By.ID, "account").is_displayed() is False
    status, _ = browser_fetch(driver, "/bff/user")
    assert status == 401, f"/bff/user before sign-in answered {status}, expected 401"

    # The token issued at login lives LOGIN_TOKEN_LIFETIME seconds (see the constants).
    demo.set_access_token_lifetime(LOGIN_TOKEN_LIFETIME)
    before_login = demo.counters()

    # -- sign in at the provider --------------------------------------------------------
    artifacts.begin("sign in at the development provider")
    driver.find_element(By.ID, "sign-in").click()
    try:
        wait(driver).until(lambda d: d.current_url.startswith(demo.issuer + "/"))
        username = wait(driver).until(EC.visibility_of_element_located((By.NAME, "username")))
    except TimeoutException:
        raise AssertionError(f"the provider's login page did not appear (at {driver.current_url})") from None
    username.send_keys(DEMO_USERNAME)
    driver.find_element(By.NAME, "password").send_keys(DEMO_PASSWORD)
    login_submitted = time.time()  # the login's access token is issued after this instant
    driver.find_element(By.CSS_SELECTOR, "button[name=action][value=login]").click()

    artifacts.begin("land back on the SPA signed in")
    try:
        wait(driver).until(EC.url_to_be(demo.origin + "/"))
    except TimeoutException:
        raise AssertionError(f"the login did not come back to {demo.origin}/ (at {driver.current_url})") from None
    visible(driver, "signed-in")
    assert text_of(driver, "user-name") == DEMO_NAME
    assert text_of(driver, "user-email") == DEMO_EMAIL
    assert text_of(driver, "user-sub") == DEMO_SUBJECT
    assert text_of(driver, "account-name") == DEMO_EMAIL
    assert driver.find_element(By.ID, "sign-out").is_displayed()
    claims = {
        row.find_element(By.CSS_SELECTOR, "td:first-child").text: row.find_element(By.CSS_SELECTOR, "td:nth-child(2)").text
        for row in driver.find_elements(By.CSS_SELECTOR, "#claims tr")
    }
    assert claims.get("sub") == DEMO_SUBJECT and claims.get("email") == DEMO_EMAIL and claims.get("name") == DEMO_NAME, claims
    assert "session_expires_at" in claims, claims
    assert not {"access_token", "refresh_token", "id_token"} & set(claims), f"/bff/user shows a token: {sorted(claims)}"
    remaining = text_of(driver, "session-remaining")
    assert re.search(r"\d+ min \d\d s", remaining), f"session countdown shows {remaining!r}"
    after_login = demo.counters()
    assert len(demo.provider_sessions()) == 1, "the provider should hold one login session for the demo user"
    assert after_login["authorization_code"] == before_login["authorization_code"] + 1, after_login

    # -- the session cookie is out of JavaScript's reach ----------------------------------
    artifacts.begin("check cookies and storage")
    cookies = {cookie["name"]: cookie for cookie in driver.get_cookies()}
    assert SESSION_COOKIE in cookies, f"no {SESSION_COOKIE!r} cookie; the browser has {sorted(cookies)}"
    session_cookie = cookies[SESSION_COOKIE]
    assert session_cookie["httpOnly"] is True, session_cookie
    assert session_cookie.get("sameSite") == "Strict", session_cookie
    assert session_cookie.get("path") == "/", session_cookie
    assert len(session_cookie["value"]) >= 43, "the session id should be 256 random bits"
    assert not JWT_LIKE.search(session_cookie["value"]), "the session cookie holds a JWT"
    script_cookies = driver.execute_script("return document.cookie;")
    visible_names = {part.split("=", 1)[0].strip() for part in script_cookies.split(";") if part.strip()}
    assert SESSION_COOKIE not in visible_names, f"document.cookie shows the session cookie: {visible_names}"
    assert session_cookie["value"] not in script_cookies, "document.cookie holds the session id"
    assert not JWT_LIKE.search(script_cookies), "document.cookie holds something token-like"
    storage = driver.execute_script(
        "return {local: Object.assign({}, localStorage), session: Object.assign({}, sessionStorage),"
        " localLength: localStorage.length, sessionLength: sessionStorage.length};"
    )
    assert storage["localLength"] == 0, f"localStorage is not empty: {storage['local']}"
    assert storage["sessionLength"] == 0, f"sessionStorage is not empty: {storage['session']}"
    assert not JWT_LIKE.search(driver.page_source), "the page's DOM contains something token-like"

    # -- call the API ---------------------------------------------------------------------
    artifacts.begin("call the API")
    first = call_api(driver)
    first_answered = time.time()
    assert first["subject"] == DEMO_SUBJECT, first
    assert str(first["token_fingerprint"]).startswith("sha256:"), first
    forwarded_cookies = set(first["received"]["cookies"])
    assert not forwarded_cookies & {SESSION_COOKIE, "gatehouse-login"}, f"Gatehouse cookies reached the API: {forwarded_cookies}"
    after_first = demo.counters()
    # The login token is stale LOGIN_TOKEN_LIFETIME - REFRESH_BEFORE_EXPIRY s after it was issued;
    # when the first call surely came before that, it must not have refreshed.
    if first_answered - login_submitted < LOGIN_TOKEN_LIFETIME - REFRESH_BEFORE_EXPIRY - 1:
        assert after_first["refresh_token"] == before_login["refresh_token"], (
            f"a fresh token was refreshed anyway: {after_first}"
        )
    else:
        print(f"note: the first API call came {first_answered - login_submitted:.1f} s after login; not checking it skipped the refresh")

    # -- the token goes stale: the next call is refreshed transparently --------------------
    artifacts.begin("transparent refresh after the refresh threshold")
    demo.set_access_token_lifetime(SHORT_TOKEN_LIFETIME)  # tokens the refresh issues live 3 s
    # Gatehouse counts expiry from expires_in on receipt; the API shows the provider's exp rounded
    # down to whole seconds. 1 s for the rounding and 2 s for the token response's way back, then
    # the token is surely inside refresh_before_expiry.
    wait_until(first["token_expires_at"] - REFRESH_BEFORE_EXPIRY + 3.0, budget)
    second = call_api(driver)
    after_second = demo.counters()
    assert second["subject"] == DEMO_SUBJECT, second
    assert after_second["refresh_token"] == after_first["refresh_token"] + 1, (
        f"expected exactly one refresh-token grant: before {after_first}, after {after_second}"
    )
    assert second["token_fingerprint"] != first["token_fingerprint"], "the API saw the same token after the refresh"
    # The refresh issued a token under the shortened lifetime.
    assert second["token_expires_at"] <= time.time() + SHORT_TOKEN_LIFETIME + 1, second
    visible(driver, "signed-in")

    # -- wait past the refreshed token's whole lifetime: still transparent -----------------
    artifacts.begin("transparent refresh after the token expired")
    wait_until(second["token_expires_at"] + 1.0, budget)
    third = call_api(driver)
    after_third = demo.counters()
    assert third["subject"] == DEMO_SUBJECT, third
    assert after_third["refresh_token"] == after_second["refresh_token"] + 1, (
        f"expected one more refresh-token grant: before {after_second}, after {after_third}"
    )
    assert third["token_fingerprint"] not in {first["token_fingerprint"], second["token_fingerprint"]}, third
    visible(driver, "signed-in")
    # Still nothing token-like anywhere JavaScript can look.
    assert not JWT_LIKE.search(driver.execute_script("return document.cookie;"))
    assert driver.execute_script("return localStorage.length + sessionStorage.length;") == 0

    # -- sign out through the provider's end-session redirect ------------------------------
    artifacts.begin("sign out")
    driver.find_element(By.ID, "sign-out").click()
    try:
        # POST /bff/logout, then logout_url at the provider, then its redirect back to the SPA.
        wait(driver).until(lambda d: d.current_url == demo.origin + "/" and d.find_element(By.ID, "signed-out").is_displayed())
    except TimeoutException:
        raise AssertionError(f"signing out did not end on the signed-out SPA (at {driver.current_url})") from None
    assert driver.find_element(By.ID, "signed-in").is_displayed() is False
    assert driver.find_element(By.ID, "account").is_displayed() is False
    after_logout = demo.counters()
    # The provider's end-session endpoint was reached with a valid id_token_hint: its login session is gone.
    assert demo.provider_sessions() == [], "the provider's login session survived sign-out (end-session not reached?)"
    assert after_logout["revocation"] >= after_third["revocation"] + 1, f"no revocation at logout: {after_logout}"
    remaining_cookies = {cookie["name"] for cookie in driver.get_cookies()}
    assert SESSION_COOKIE not in remaining_cookies, f"the session cookie survived sign-out: {remaining_cookies}"
    status, _ = browser_fetch(driver, "/bff/user")
    assert status == 401, f"/bff/user after sign-out answered {status}, expected 401"
    status, _ = browser_fetch(driver, "/api/me")
    assert status == 401, f"/api/me after sign-out answered {status}, expected 401"

    # -- what the browser and the logs must not show ---------------------------------------
    artifacts.begin("check console and logs")
    artifacts.console.extend(driver.get_log("browser"))
    csp = [entry["message"] for entry in artifacts.console if "Content Security Policy" in entry.get("message", "")]
    assert not csp, f"the SPA violated its CSP: {csp}"
    assert session_cookie["value"] not in demo.log_text(), "the session id was written to Gatehouse's log"
