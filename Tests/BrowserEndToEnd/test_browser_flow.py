"""Real-browser end-to-end test of the Gatehouse demo (issue 6, item 5).

Headless Chromium, driven through the system chromedriver, walks the demo SPA
through everything a user does: sign in at the development provider, read the
claims, call the API, let the access token go stale and call again (a
transparent refresh), and sign out through the provider's end-session
redirect. On the way it checks what a BFF promises the browser: no token in
JavaScript's reach (document.cookie, localStorage, sessionStorage, the DOM) and
an HttpOnly, SameSite=Strict session cookie.

A second test drives the SPA's "Your sessions" panel (GET /bff/sessions,
DELETE /bff/sessions/{id}, POST /bff/sessions/end-others) with two independent
browsers signed in as the demo user, plus a scripted HTTP login as a third
device: browser A signs browser B out, then signs out every other device, and
the devices signed out are signed out for real (their /bff/user is 401).

A third test drives the API card's other buttons, one per kind of route rule:
"Admins only" (a route that requires group orders-admins) shows the 403
insufficient_claims answer and leaves the user signed in; "Orders API" gets a
token exchanged (RFC 8693) for the orders audience, which the API sees as a
different token with token_audience https://orders.example.com, unlike
/api/me's; "Needs a second factor" (a route that requires the provider's MFA
acr) shows the 401 step_up_required answer and a "Sign in with a second factor"
button, which leads through the provider's password and one-time-code pages
back to the SPA page the call was made from (login_url's returnUrl, taken from
the call's Referer), in a new session, where the same call now answers 200.

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
import html
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
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar  # the module name `http` is taken by the helper below
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


def _start_browser(profile_dir: Path, driver_log: Path, extra_arguments: tuple[str, ...] | list[str] = ()) -> webdriver.Chrome:
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
        *extra_arguments,
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

    def capture(self, driver: webdriver.Chrome | None, label: str = "") -> list[Path]:
        """Saves what `driver` shows; `label` ("-a", "-b") keeps several browsers' files apart."""
        saved: list[Path] = []
        if driver is not None:
            with contextlib.suppress(Exception):
                path = self.dir / f"screenshot{label}.png"
                if driver.save_screenshot(str(path)):
                    saved.append(path)
            with contextlib.suppress(Exception):
                path = self.dir / f"page{label}.html"
                path.write_text(f"<!-- url: {driver.current_url} -->\n" + driver.page_source)
                saved.append(path)
            with contextlib.suppress(Exception):
                self.console.extend(driver.get_log("browser"))
        return saved

    def finish(self) -> list[Path]:
        """Writes the collected console and lists the logs; call after capture() of every browser."""
        saved: list[Path] = []
        if self.console:
            path = self.dir / "browser-console.json"
            path.write_text(json.dumps(self.console, indent=2))
            saved.append(path)
        saved += sorted(self.dir.glob("*.log"))
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


def api_button(driver, path: str):
    """The API card's button that calls `path` ("Call the API" is the one for /api/me)."""
    return driver.find_element(By.CSS_SELECTOR, f'button[data-path="{path}"]')


def call_api(driver, path: str = "/api/me", expect: str = "200") -> dict:
    """Clicks the API card's button for `path` and returns the JSON the page shows; fails unless
    the status line starts with `expect` (by default: "Call the API", which must show a 200)."""
    # Blank the status line first, so the wait below sees this call's answer and not the last one.
    driver.execute_script("document.getElementById('api-status').textContent = '';")
    api_button(driver, path).click()

    def answered(d):
        status = d.find_element(By.ID, "api-status").text.strip()
        enabled = api_button(d, path).is_enabled()
        return status if status and enabled else False

    try:
        status = wait(driver).until(answered)
    except TimeoutException:
        raise AssertionError(f"the call to {path} showed no answer within {UI_TIMEOUT:.0f} s") from None
    body = text_of(driver, "api-body")
    assert status.startswith(expect), f"the call to {path} showed {status!r}, expected {expect}; body {body!r}"
    assert not JWT_LIKE.search(body), f"the answer to {path} as shown contains something token-like"
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


def run_in_one_browser(artifacts: Artifacts, flow) -> None:
    """Starts `gatehouse demo` and one headless Chromium, runs `flow(driver, demo, artifacts)`, and
    on failure leaves the screenshot, page source and logs in the artifacts folder."""
    binary = _gatehouse_binary()
    demo: Demo | None = None
    driver: webdriver.Chrome | None = None
    profile = Path(tempfile.mkdtemp(prefix="gatehouse-e2e-profile-", dir=os.environ.get("TMPDIR") or "/tmp"))
    try:
        artifacts.begin("start gatehouse demo")
        demo = _start_demo(binary, artifacts.dir / "gatehouse.log")
        artifacts.begin("start headless Chromium")
        driver = _start_browser(profile, artifacts.dir / "chromedriver.log")
        flow(driver, demo, artifacts)
    except BaseException as error:
        artifacts.failed = True
        saved = artifacts.capture(driver) + artifacts.finish()
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


def test_sign_in_call_api_refresh_and_sign_out(artifacts: Artifacts) -> None:
    run_in_one_browser(artifacts, run_flow)


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
    # The demo runs with oidc.dpop: the API accepted the token only with a proof of the session's key.
    assert str(first.get("token_binding", "")).startswith("DPoP (jkt "), f"the demo API saw no DPoP-bound call: {first}"
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


# ---- the sessions panel -------------------------------------------------------------------

# A device that is no browser: a scripted login whose User-Agent holds markup. The panel must show
# it as text (the SPA writes rows with textContent only), and it is short enough to be shown whole.
SCRIPTED_USER_AGENT = "e2e-script/1.0 <b id=injected>x</b>"
LAST_SEEN_RECENT = re.compile(r"^(just now|\d+ s ago|1 min ago)$")

_SESSION_ROWS_JS = """
return Array.from(document.querySelectorAll('#sessions tr')).map((row) => {
  const device = row.querySelector('.device');
  const ip = row.querySelector('.ip');
  return {
    id: row.dataset.sessionId,
    current: row.querySelector('.badge') !== null,
    badge: row.querySelector('.badge') ? row.querySelector('.badge').textContent : '',
    device: device ? device.textContent : '',
    user_agent: device ? device.title : '',
    ip: ip ? ip.textContent : '',
    last_seen: row.cells.length > 2 ? row.cells[2].textContent.trim() : '',
    sign_out: row.querySelector('button.session-sign-out') !== null,
  };
});
"""


def sign_in(driver, demo: Demo) -> None:
    """Opens the SPA signed out and signs in as the demo user at the development provider."""
    driver.get(demo.origin + "/")
    visible(driver, "signed-out")
    driver.find_element(By.ID, "sign-in").click()
    try:
        wait(driver).until(lambda d: d.current_url.startswith(demo.issuer + "/"))
        username = wait(driver).until(EC.visibility_of_element_located((By.NAME, "username")))
    except TimeoutException:
        raise AssertionError(f"the provider's login page did not appear (at {driver.current_url})") from None
    username.send_keys(DEMO_USERNAME)
    driver.find_element(By.NAME, "password").send_keys(DEMO_PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[name=action][value=login]").click()
    try:
        wait(driver).until(EC.url_to_be(demo.origin + "/"))
    except TimeoutException:
        raise AssertionError(f"the login did not come back to {demo.origin}/ (at {driver.current_url})") from None
    visible(driver, "signed-in")
    assert text_of(driver, "user-sub") == DEMO_SUBJECT


def session_rows(driver) -> list[dict]:
    return driver.execute_script(_SESSION_ROWS_JS)


def sessions_status(driver) -> str:
    element = driver.find_element(By.ID, "sessions-status")
    return element.text.strip() if element.is_displayed() else ""


def wait_for_rows(driver, count: int, timeout: float = UI_TIMEOUT) -> list[dict]:
    """Waits until the panel has finished loading and lists `count` sessions; returns them."""

    def listed(d):
        if d.find_element(By.ID, "sessions-card").get_attribute("aria-busy") == "true":
            return False
        rows = session_rows(d)
        return rows if len(rows) == count else False

    try:
        return wait(driver, timeout).until(listed)
    except TimeoutException:
        raise AssertionError(
            f"the sessions panel did not list {count} session(s) within {timeout:.0f} s:"
            f" it lists {session_rows(driver)}, status {sessions_status(driver)!r}"
        ) from None


def refresh_sessions(driver, count: int) -> list[dict]:
    # loadSessions() marks the card busy before its first await, so the click's own answer is awaited.
    driver.find_element(By.ID, "sessions-refresh").click()
    return wait_for_rows(driver, count)


def the_current_row(rows: list[dict]) -> dict:
    current = [row for row in rows if row["current"]]
    assert len(current) == 1, f"expected exactly one row marked as this device: {rows}"
    assert current[0]["badge"] == "This device", current[0]
    assert not current[0]["sign_out"], f"the current session's row offers to sign it out: {current[0]}"
    others = [row for row in rows if not row["current"]]
    assert all(row["sign_out"] for row in others), f"a row of another device has no Sign out button: {others}"
    return current[0]


def wait_for_status(driver, pattern: str) -> str:
    try:
        return wait(driver).until(lambda d: (text := sessions_status(d)) and re.search(pattern, text) and text)
    except TimeoutException:
        raise AssertionError(f"the sessions panel did not show /{pattern}/ (it shows {sessions_status(driver)!r})") from None


def sign_out_row(driver, session_id: str) -> None:
    """Clicks the Sign out button of the row of that handle (looked up by data attribute, not by CSS)."""
    button = driver.execute_script(
        "const row = Array.from(document.querySelectorAll('#sessions tr')).find((r) => r.dataset.sessionId === arguments[0]);"
        " return row ? row.querySelector('button.session-sign-out') : null;",
        session_id,
    )
    assert button is not None, f"no Sign out button for session {session_id!r}: {session_rows(driver)}"
    button.click()


def assert_signed_out_after_reload(driver, demo: Demo, who: str) -> None:
    driver.get(demo.origin + "/")
    visible(driver, "signed-out")
    status, _ = browser_fetch(driver, "/bff/user")
    assert status == 401, f"{who}: /bff/user after being signed out from another device answered {status}, expected 401"
    status, _ = browser_fetch(driver, "/bff/sessions")
    assert status == 401, f"{who}: /bff/sessions after being signed out answered {status}, expected 401"


class ScriptedDevice:
    """A login without a browser: urllib with a cookie jar walks /bff/login, the provider's form and the callback."""

    def __init__(self, demo: Demo, user_agent: str) -> None:
        self.demo = demo
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(self.jar))
        self.opener.addheaders = [("User-Agent", user_agent)]

    def sign_in(self) -> None:
        with self.opener.open(self.demo.origin + "/bff/login?returnUrl=/", timeout=10) as response:
            page = response.read().decode(errors="replace")
            assert response.url.startswith(self.demo.issuer + "/"), f"/bff/login did not lead to the provider: {response.url}"
        found = re.search(r'name="request_id" value="([^"]+)"', page)
        assert found, f"no request_id on the provider's login page: {page[:500]!r}"
        form = urllib.parse.urlencode(
            {"request_id": html.unescape(found.group(1)), "username": DEMO_USERNAME, "password": DEMO_PASSWORD, "action": "login"}
        ).encode()
        # The form's 302 to /bff/callback and the callback's 302 to / are followed (as GETs).
        with self.opener.open(urllib.request.Request(self.demo.issuer + "/authorize", data=form, method="POST"), timeout=10) as response:
            response.read()
            assert response.url == self.demo.origin + "/", f"the scripted login ended at {response.url}"
        assert any(cookie.name == SESSION_COOKIE for cookie in self.jar), f"no session cookie after the scripted login: {list(self.jar)}"

    def status_of(self, path: str) -> int:
        request = urllib.request.Request(self.demo.origin + path, headers={"X-CSRF": "1", "Accept": "application/json"})
        try:
            with self.opener.open(request, timeout=5) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


def test_sessions_panel_signs_out_other_devices(artifacts: Artifacts) -> None:
    binary = _gatehouse_binary()
    demo: Demo | None = None
    browsers: dict[str, webdriver.Chrome] = {}
    profiles = [
        Path(tempfile.mkdtemp(prefix=f"gatehouse-e2e-profile-{name}-", dir=os.environ.get("TMPDIR") or "/tmp")) for name in "ab"
    ]
    try:
        artifacts.begin("start gatehouse demo")
        demo = _start_demo(binary, artifacts.dir / "gatehouse.log")
        artifacts.begin("start two headless Chromiums (A and B)")
        for name, profile in zip("ab", profiles):
            browsers[name] = _start_browser(profile, artifacts.dir / f"chromedriver-{name}.log")
        run_sessions_flow(browsers["a"], browsers["b"], demo, artifacts)
    except BaseException as error:
        artifacts.failed = True
        saved: list[Path] = []
        for name, driver in browsers.items():
            saved += artifacts.capture(driver, f"-{name}")
        saved += artifacts.finish()
        lines = [f"browser e2e failed during step: {artifacts.step}", f"artifacts in {artifacts.dir}:"]
        lines += [f"  {path}" for path in saved]
        print("\n".join(lines))
        with contextlib.suppress(Exception):
            error.add_note("\n".join(lines))
        raise
    finally:
        for driver in browsers.values():
            with contextlib.suppress(Exception):
                driver.quit()
        if demo is not None:
            _stop(demo.process)
        for profile in profiles:
            shutil.rmtree(profile, ignore_errors=True)


def run_sessions_flow(a: webdriver.Chrome, b: webdriver.Chrome, demo: Demo, artifacts: Artifacts) -> None:
    # -- A signs in: the panel lists A alone ------------------------------------------------
    artifacts.begin("browser A signs in: its panel lists one session, this device")
    sign_in(a, demo)
    visible(a, "sessions-card")
    rows = wait_for_rows(a, 1)
    a_row = the_current_row(rows)
    assert not a.find_element(By.ID, "end-others").is_enabled(), "'Sign out all other devices' is enabled with no other device"
    user_agent_a = a.execute_script("return navigator.userAgent;")
    assert a_row["user_agent"] == user_agent_a[:200], f"the row's user agent {a_row['user_agent']!r} is not A's {user_agent_a!r}"
    assert "Chrome on Linux" in a_row["device"], f"headless Chromium on Linux is shown as {a_row['device']!r}"
    assert a_row["ip"] == "127.0.0.1", a_row
    assert LAST_SEEN_RECENT.match(a_row["last_seen"]), f"a session used just now shows last seen {a_row['last_seen']!r}"

    # -- B signs in: both panels list both, each marks its own -------------------------------
    artifacts.begin("browser B signs in: both panels list two sessions")
    sign_in(b, demo)
    b_rows = wait_for_rows(b, 2)
    b_row = the_current_row(b_rows)
    a_rows = refresh_sessions(a, 2)
    assert the_current_row(a_rows)["id"] == a_row["id"], f"A's handle changed: {a_row} -> {a_rows}"
    assert {row["id"] for row in a_rows} == {row["id"] for row in b_rows}, f"A and B list different sessions: {a_rows} / {b_rows}"
    assert a_row["id"] != b_row["id"], f"A and B show the same handle as their own: {a_row['id']!r}"
    cookie_values = {
        name: next(c["value"] for c in driver.get_cookies() if c["name"] == SESSION_COOKIE) for name, driver in (("A", a), ("B", b))
    }
    for row in a_rows:
        assert row["id"] not in cookie_values.values(), "a session's handle is its cookie value"
        assert not any(row["id"] in value or value in row["id"] for value in cookie_values.values()), row["id"]
    assert a.find_element(By.ID, "end-others").is_enabled(), "'Sign out all other devices' is disabled with another device listed"

    # -- A signs B out ------------------------------------------------------------------------
    artifacts.begin("browser A signs out browser B's session")
    sign_out_row(a, b_row["id"])
    rows = wait_for_rows(a, 1)
    assert the_current_row(rows)["id"] == a_row["id"], rows
    wait_for_status(a, r"^Signed out .+\.$")
    assert not a.find_element(By.ID, "end-others").is_enabled()
    status, body = browser_fetch(a, "/bff/sessions/" + urllib.parse.quote(b_row["id"], safe=""), "DELETE")
    assert status == 404, f"DELETE of a session already ended answered {status}, expected 404: {body[:200]!r}"
    status, body = browser_fetch(a, "/bff/sessions/not-a-session-handle", "DELETE")
    assert status == 404, f"DELETE of an unknown handle answered {status}, expected 404: {body[:200]!r}"

    artifacts.begin("browser B, reloaded, is signed out; A is not")
    assert_signed_out_after_reload(b, demo, "browser B")
    visible(a, "signed-in")
    assert call_api(a)["subject"] == DEMO_SUBJECT

    # -- two more devices, then "Sign out all other devices" ------------------------------------
    artifacts.begin("browser B signs in again and a scripted device signs in")
    sign_in(b, demo)
    b_row = the_current_row(wait_for_rows(b, 2))
    scripted = ScriptedDevice(demo, SCRIPTED_USER_AGENT)
    scripted.sign_in()
    assert scripted.status_of("/bff/user") == 200, "the scripted device's session does not work"

    artifacts.begin("browser A lists three sessions, the scripted one as plain text")
    rows = refresh_sessions(a, 3)
    assert the_current_row(rows)["id"] == a_row["id"], rows
    scripted_rows = [row for row in rows if row["user_agent"] == SCRIPTED_USER_AGENT]
    assert len(scripted_rows) == 1, f"no row with the scripted device's user agent: {rows}"
    assert scripted_rows[0]["device"] == SCRIPTED_USER_AGENT, f"an unknown user agent shows as {scripted_rows[0]['device']!r}"
    injected = a.execute_script("return document.querySelectorAll('#injected, #sessions b').length;")
    assert injected == 0, "markup in a user agent became an element in the sessions panel"

    artifacts.begin("browser A signs out all other devices")
    a.find_element(By.ID, "end-others").click()
    wait_for_status(a, r"^Ended 2 sessions\.$")
    rows = wait_for_rows(a, 1)
    assert the_current_row(rows)["id"] == a_row["id"], rows
    assert scripted.status_of("/bff/user") == 401, "the scripted device's session survived 'Sign out all other devices'"

    artifacts.begin("browser B, refreshing its panel without a reload, shows the signed-out state")
    b.find_element(By.ID, "sessions-refresh").click()
    visible(b, "signed-out")
    assert b.find_element(By.ID, "signed-in").is_displayed() is False
    assert b.find_element(By.ID, "account").is_displayed() is False
    assert_signed_out_after_reload(b, demo, "browser B (second time)")

    artifacts.begin("browser A is still signed in")
    status, _ = browser_fetch(a, "/bff/user")
    assert status == 200, f"A's own /bff/user answered {status} after ending the others"
    a.refresh()
    visible(a, "signed-in")
    the_current_row(wait_for_rows(a, 1))

    # -- what the browsers and the logs must not show ---------------------------------------------
    artifacts.begin("check console and logs")
    for driver in (a, b):
        artifacts.console.extend(driver.get_log("browser"))
    csp = [entry["message"] for entry in artifacts.console if "Content Security Policy" in entry.get("message", "")]
    assert not csp, f"the SPA violated its CSP: {csp}"
    log = demo.log_text()
    for name, value in cookie_values.items():
        assert value not in log, f"browser {name}'s session id was written to Gatehouse's log"


# ---- route rules, token exchange and step-up ------------------------------------------------

# The demo's routes (Sources/gatehouse/DemoCommand.swift) behind the API card's buttons.
ADMIN_PATH = "/api/admin/me"  # require: claims {groups: [orders-admins]}; the demo user is not in it
STEP_UP_PATH = "/api/step-up/me"  # require: acr [urn:gatehouse:dev:mfa]
ORDERS_PATH = "/api/orders/me"  # audience: https://orders.example.com (RFC 8693 token exchange)
ORDERS_AUDIENCE = "https://orders.example.com"
PASSWORD_ACR = "urn:gatehouse:dev:pwd"
MFA_ACR = "urn:gatehouse:dev:mfa"
DEMO_ONE_TIME_CODE = "000000"  # the development provider's code, shown on its second-factor page
# The SPA page the step-up call is made from: Gatehouse takes login_url's returnUrl from the call's
# same-origin Referer, and "/" is also its fallback, so a query tells the two apart.
STEP_UP_PAGE = "/?from=step-up"


def claims_shown(driver) -> dict[str, str]:
    """The "Your claims" table as claim name -> the text of its value cell."""
    return {
        row.find_element(By.CSS_SELECTOR, "td:first-child").text: row.find_element(By.CSS_SELECTOR, "td:nth-child(2)").text
        for row in driver.find_elements(By.CSS_SELECTOR, "#claims tr")
    }


def session_cookie_value(driver) -> str:
    values = [cookie["value"] for cookie in driver.get_cookies() if cookie["name"] == SESSION_COOKIE]
    assert len(values) == 1, f"expected one {SESSION_COOKIE!r} cookie, the browser has {driver.get_cookies()}"
    return values[0]


def status_with_cookie(demo: Demo, path: str, cookie_value: str) -> int:
    """GET `path` outside the browser, with only this session cookie (as a copied cookie would be)."""
    request = urllib.request.Request(
        demo.origin + path, headers={"X-CSRF": "1", "Accept": "application/json", "Cookie": f"{SESSION_COOKIE}={cookie_value}"}
    )
    try:
        with _NO_PROXY.open(request, timeout=5) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def assert_still_signed_in(driver, after: str) -> None:
    visible(driver, "signed-in")
    assert driver.find_element(By.ID, "account").is_displayed(), f"the account bar disappeared after {after}"
    assert not driver.find_element(By.ID, "banner").is_displayed(), f"a banner appeared after {after}: {text_of(driver, 'banner-text')!r}"
    assert text_of(driver, "user-sub") == DEMO_SUBJECT


def test_route_rules_token_exchange_and_step_up(artifacts: Artifacts) -> None:
    run_in_one_browser(artifacts, run_route_rules_flow)


def run_route_rules_flow(driver: webdriver.Chrome, demo: Demo, artifacts: Artifacts) -> None:
    # -- sign in with a password ------------------------------------------------------------
    artifacts.begin("sign in as the demo user (password only)")
    sign_in(driver, demo)
    assert claims_shown(driver).get("acr") == PASSWORD_ACR, f"a password login shows acr {claims_shown(driver).get('acr')!r}"
    password_cookie = session_cookie_value(driver)

    # -- a claims rule the user does not meet: 403, still signed in --------------------------------
    artifacts.begin("'Admins only': 403 insufficient_claims, still signed in")
    refused = call_api(driver, ADMIN_PATH, expect="403")
    status = text_of(driver, "api-status")
    assert status.startswith(f"403 · You may not use {ADMIN_PATH}: "), status
    assert "claims.groups" in status, f"the 403 does not say which claim is missing: {status!r}"
    assert refused.get("error") == "insufficient_claims", refused
    assert "claims.groups" in str(refused.get("message")), refused
    assert not driver.find_element(By.ID, "api-step-up").is_displayed(), "a 403 offered a step-up login"
    assert_still_signed_in(driver, "a 403")
    assert browser_fetch(driver, "/bff/user")[0] == 200, "the session ended after a 403"

    # -- token exchange: the orders API sees another token, for its audience ------------------------
    artifacts.begin("'Orders API': 200 with a token exchanged for the orders audience")
    before_exchange = demo.counters()
    orders = call_api(driver, ORDERS_PATH)
    after_exchange = demo.counters()
    assert orders.get("token_audience") == ORDERS_AUDIENCE, f"the orders API saw token_audience {orders.get('token_audience')!r}"
    assert orders["subject"] == DEMO_SUBJECT, f"the exchanged token is not the user's: {orders}"
    assert after_exchange["token_exchange"] == before_exchange["token_exchange"] + 1, (
        f"expected one token-exchange request: before {before_exchange}, after {after_exchange}"
    )
    me = call_api(driver)
    assert me["subject"] == DEMO_SUBJECT, me
    assert me.get("token_audience") is None, f"/api/me got a token with audience {me.get('token_audience')!r}"
    assert str(me["token_fingerprint"]).startswith("sha256:") and str(orders["token_fingerprint"]).startswith("sha256:")
    assert me["token_fingerprint"] != orders["token_fingerprint"], "/api/me and /api/orders/me saw the same token"

    # -- an acr rule: 401 step_up_required, still signed in, a button to step up -----------------------
    artifacts.begin(f"'Needs a second factor' from {STEP_UP_PAGE}: 401 step_up_required and a step-up button")
    driver.get(demo.origin + STEP_UP_PAGE)
    assert_still_signed_in(driver, f"opening {STEP_UP_PAGE}")
    asked = call_api(driver, STEP_UP_PATH, expect="401")
    status = text_of(driver, "api-status")
    assert STEP_UP_PATH in status and "second factor" in status, status
    assert asked.get("error") == "step_up_required", asked
    login_url = urllib.parse.urlsplit(str(asked.get("login_url")))
    login_query = urllib.parse.parse_qs(login_url.query)
    assert login_url.path == "/bff/login" and not login_url.netloc, f"login_url is not Gatehouse's own login: {asked.get('login_url')!r}"
    assert login_query.get("acr_values") == [MFA_ACR], f"login_url does not ask for the MFA acr: {asked.get('login_url')!r}"
    assert login_query.get("returnUrl") == [STEP_UP_PAGE], f"login_url does not return to {STEP_UP_PAGE}: {asked.get('login_url')!r}"
    step_up = visible(driver, "step-up")
    assert step_up.text == "Sign in with a second factor", step_up.text
    assert_still_signed_in(driver, "a step_up_required 401")
    assert browser_fetch(driver, "/bff/user")[0] == 200, "the session ended after a step_up_required 401"

    # -- step up at the provider: password, then the one-time code ---------------------------------
    artifacts.begin("step up at the development provider: password page")
    before_step_up = demo.counters()
    step_up.click()
    try:
        wait(driver).until(lambda d: d.current_url.startswith(demo.issuer + "/"))
        username = wait(driver).until(EC.visibility_of_element_located((By.NAME, "username")))
    except TimeoutException:
        raise AssertionError(f"the step-up button did not lead to the provider's login page (at {driver.current_url})") from None
    # The demo's provider offers PAR, so the request (acr_values included) was pushed by Gatehouse:
    # the browser's URL holds only client_id and request_uri. The one-time-code page below is what
    # shows that the provider got acr_values.
    provider_query = urllib.parse.parse_qs(urllib.parse.urlsplit(driver.current_url).query)
    assert sorted(provider_query) == ["client_id", "request_uri"], f"the login was not pushed (RFC 9126): {driver.current_url}"
    assert demo.counters()["pushed_authorization"] == before_step_up["pushed_authorization"] + 1, "no pushed authorization request for the step-up"
    username.send_keys(DEMO_USERNAME)
    driver.find_element(By.NAME, "password").send_keys(DEMO_PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[name=action][value=login]").click()

    artifacts.begin("step up at the development provider: one-time-code page")
    try:
        otp = wait(driver).until(EC.visibility_of_element_located((By.NAME, "otp")))
    except TimeoutException:
        raise AssertionError(f"no one-time-code page after the password (at {driver.current_url})") from None
    assert DEMO_ONE_TIME_CODE in driver.find_element(By.TAG_NAME, "body").text, "the second-factor page does not show the demo code"
    otp.send_keys(DEMO_ONE_TIME_CODE)
    driver.find_element(By.CSS_SELECTOR, "button[name=action][value=login]").click()

    artifacts.begin(f"land back on {STEP_UP_PAGE} signed in with the second factor")
    try:
        wait(driver).until(EC.url_to_be(demo.origin + STEP_UP_PAGE))
    except TimeoutException:
        raise AssertionError(f"the step-up login did not come back to {demo.origin}{STEP_UP_PAGE} (at {driver.current_url})") from None
    assert_still_signed_in(driver, "the step-up login")
    assert claims_shown(driver).get("acr") == MFA_ACR, f"after the step-up the SPA shows acr {claims_shown(driver).get('acr')!r}"
    after_step_up = demo.counters()
    assert after_step_up["authorization_code"] == before_step_up["authorization_code"] + 1, after_step_up
    # The step-up login is a new session: a new cookie, the password session ended, one row listed.
    mfa_cookie = session_cookie_value(driver)
    assert mfa_cookie != password_cookie, "the step-up login kept the session id of the password login"
    assert status_with_cookie(demo, "/bff/user", password_cookie) == 401, "the password login's session survived the step-up"
    assert status_with_cookie(demo, "/bff/user", mfa_cookie) == 200, "the step-up session does not work outside the browser"
    the_current_row(wait_for_rows(driver, 1))

    # -- the same call now passes; the other rules are unchanged ---------------------------------
    artifacts.begin("'Needs a second factor' again: 200")
    stepped_up = call_api(driver, STEP_UP_PATH)
    assert stepped_up["subject"] == DEMO_SUBJECT, stepped_up
    assert stepped_up.get("token_audience") is None, stepped_up
    assert not driver.find_element(By.ID, "api-step-up").is_displayed(), "the step-up button is still shown after a 200"
    refused = call_api(driver, ADMIN_PATH, expect="403")
    assert refused.get("error") == "insufficient_claims", f"a second factor must not grant a group: {refused}"
    assert_still_signed_in(driver, "the last calls")

    # -- what the browser and the logs must not show ---------------------------------------
    artifacts.begin("check console and logs")
    assert not JWT_LIKE.search(driver.page_source), "the page's DOM contains something token-like"
    assert driver.execute_script("return localStorage.length + sessionStorage.length;") == 0
    artifacts.console.extend(driver.get_log("browser"))
    csp = [entry["message"] for entry in artifacts.console if "Content Security Policy" in entry.get("message", "")]
    assert not csp, f"the SPA violated its CSP: {csp}"
    log = demo.log_text()
    for name, value in (("password", password_cookie), ("step-up", mfa_cookie)):
        assert value not in log, f"the {name} session id was written to Gatehouse's log"
