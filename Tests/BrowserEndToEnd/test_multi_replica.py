"""Three `gatehouse serve` replicas on one Redis behind nginx terminating TLS (issue 15, item 8).

nginx (the Debian package) listens on https://localhost:PORT with a throwaway certificate and
balances round-robin over three replicas that share one redis-server, with `trusted_proxies`
set to nginx's address and `public_url` the https origin. The development provider runs as
`gatehouse dev-provider`; a few lines of Python are the API upstream. Headless Chromium signs in
through nginx and checks what the contract promises across replicas:

- the session cookie is `__Host-Http-gatehouse`, Secure and HttpOnly (public_url is https);
- API calls answered by all three replicas carry the user's token;
- a refresh storm (calls from the page after the token fell due, spread over the replicas)
  makes exactly one refresh grant at the provider, and every call gets the same new token;
- a logout answered by one replica ends the session on all three (the old cookie, replayed
  through nginx, is 401 on each).

Everything runs on 127.0.0.1 and is stopped afterwards.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client as httpclient
import json
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from test_browser_flow import REPO, _gatehouse_binary, _port_free, _start_browser, _stop, http, sign_in, visible  # noqa: E402

READY_TIMEOUT = 60.0
ACCESS_LIFETIME = 6  # seconds; refresh_before_expiry is 1 s


def _free_port() -> int:
    for _ in range(200):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if _port_free(port):
            return port
    raise RuntimeError("no free loopback port")


class _API(BaseHTTPRequestHandler):
    """The upstream: says which token it was given (a digest, never the token)."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        authorization = self.headers.get("Authorization", "")
        body = json.dumps({
            "bearer": authorization.startswith("Bearer "),
            "token": hashlib.sha256(authorization.encode()).hexdigest()[:16],
            "path": self.path,
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args) -> None:
        pass


class Stack:
    """redis-server, the provider, the API, three replicas and nginx, in one temp directory."""

    def __init__(self, binary: Path, directory: Path) -> None:
        self.binary = binary
        self.directory = directory
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.api: ThreadingHTTPServer | None = None
        self.https_port = _free_port()
        self.provider_port = _free_port()
        self.redis_port = _free_port()
        self.replicas = [(_free_port(), _free_port()) for _ in range(3)]

    @property
    def origin(self) -> str:
        return f"https://localhost:{self.https_port}"

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.provider_port}"

    def _spawn(self, name: str, arguments: list[str]) -> subprocess.Popen:
        log = open(self.directory / f"{name}.log", "wb")
        process = subprocess.Popen(arguments, cwd=REPO, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self.processes.append((name, process))
        return process

    def logs(self) -> str:
        return "\n".join(
            f"--- {name} ---\n{(self.directory / f'{name}.log').read_text(errors='replace')[-1500:]}" for name, _ in self.processes
        )

    def _wait(self, what: str, ready) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError, ssl.SSLError, httpclient.HTTPException):
                if ready():
                    return
            for name, process in self.processes:
                if process.poll() is not None:
                    pytest.fail(f"{name} exited with {process.returncode} while waiting for {what}:\n{self.logs()}")
            time.sleep(0.2)
        pytest.fail(f"{what} not ready within {READY_TIMEOUT:.0f} s:\n{self.logs()}")

    def start(self) -> None:
        redis = shutil.which("redis-server")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        assert redis, "redis-server is not installed (Deploy/scripts/setup-deps.sh installs it)"
        assert os.path.exists(nginx), "nginx is not installed (Deploy/scripts/e2e-browser.sh installs it)"
        self._spawn("redis", [redis, "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(self.directory)])

        self.api = ThreadingHTTPServer(("127.0.0.1", 0), _API)
        threading.Thread(target=self.api.serve_forever, daemon=True).start()
        api_port = self.api.server_address[1]

        first_replica = self.replicas[0][0]
        self._spawn("provider", [
            str(self.binary), "dev-provider", "--port", str(self.provider_port),
            "--redirect-uri", f"{self.origin}/bff/callback", "--post-logout-redirect-uri", f"{self.origin}/",
            "--backchannel-logout-uri", f"http://127.0.0.1:{first_replica}/bff/backchannel-logout",
        ])
        key = base64.b64encode(os.urandom(32)).decode()
        for index, (port, admin) in enumerate(self.replicas):
            config = self.directory / f"replica-{index}.yaml"
            config.write_text(f"""
listen: 127.0.0.1:{port}
admin_listen: 127.0.0.1:{admin}
public_url: {self.origin}
static_dir: {REPO / "Public"}
trusted_proxies: ["127.0.0.1/32"]
oidc:
  issuer: {self.issuer}
  client_id: gatehouse-demo
  client_secret: demo-secret-not-for-production
session:
  store: redis://127.0.0.1:{self.redis_port}/0
  refresh_before_expiry: 1s
  encryption_keys: ["{key}"]
routes:
  - path: /api/
    upstream: http://127.0.0.1:{api_port}/
log:
  level: info
""")
            self._spawn(f"replica-{index}", [str(self.binary), "serve", "--config", str(config)])

        subprocess.run([
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost", "-keyout", str(self.directory / "tls.key"), "-out", str(self.directory / "tls.crt"),
        ], check=True, capture_output=True)
        upstreams = "\n".join(f"    server 127.0.0.1:{port};" for port, _ in self.replicas)
        (self.directory / "nginx.conf").write_text(f"""
worker_processes 1;
pid {self.directory}/nginx.pid;
error_log {self.directory}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {self.directory}/nginx-body;
  proxy_temp_path {self.directory}/nginx-proxy;
  fastcgi_temp_path {self.directory}/nginx-fastcgi;
  uwsgi_temp_path {self.directory}/nginx-uwsgi;
  scgi_temp_path {self.directory}/nginx-scgi;
  upstream gatehouse {{
{upstreams}
    keepalive 16;
  }}
  server {{
    listen 127.0.0.1:{self.https_port} ssl;
    server_name localhost;
    ssl_certificate {self.directory}/tls.crt;
    ssl_certificate_key {self.directory}/tls.key;
    location / {{
      proxy_pass http://gatehouse;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto https;
      proxy_set_header X-Forwarded-Host $http_host;
      # Which replica answered: the test checks that calls really spread.
      add_header X-Gatehouse-Replica $upstream_addr always;
    }}
  }}
}}
""")
        self._spawn("nginx", [nginx, "-e", str(self.directory / "nginx-error.log"), "-p", str(self.directory), "-c", str(self.directory / "nginx.conf"), "-g", "daemon off;"])

        self._wait("the provider", lambda: http("GET", self.issuer + "/.well-known/openid-configuration", timeout=2)[0] == 200)
        for _, admin in self.replicas:
            self._wait(f"replica on admin port {admin}", lambda admin=admin: http("GET", f"http://127.0.0.1:{admin}/readyz", timeout=2)[0] == 200)
        self._wait("nginx", lambda: self.through_nginx("/bff/user")[0] == 401)

    def through_nginx(self, path: str, cookie: str | None = None) -> tuple[int, str, str]:
        """One GET through nginx (certificate not checked: it is throwaway); status, replica, body."""
        connection = httpclient.HTTPSConnection("127.0.0.1", self.https_port, timeout=10, context=ssl._create_unverified_context())
        headers = {"Host": f"localhost:{self.https_port}", "X-CSRF": "1"}
        if cookie:
            headers["Cookie"] = cookie
        try:
            connection.request("GET", path, headers=headers)
            answer = connection.getresponse()
            return answer.status, answer.getheader("X-Gatehouse-Replica", ""), answer.read().decode(errors="replace")
        finally:
            connection.close()

    def counters(self) -> dict:
        status, body = http("GET", self.issuer + "/_dev/counters")
        assert status == 200, body
        return json.loads(body)

    def stop(self) -> None:
        for _, process in reversed(self.processes):
            _stop(process)
        if self.api:
            self.api.shutdown()


# Calls the API `count` times at once from the page; each answer's status, replica and token digest.
_STORM_JS = """
const [count, done] = [arguments[0], arguments[arguments.length - 1]];
Promise.all(Array.from({length: count}, () => fetch('/api/me', {headers: {'X-CSRF': '1'}}).then(async r => {
  let token = null;
  try { token = (await r.json()).token; } catch (e) {}
  return {status: r.status, replica: r.headers.get('X-Gatehouse-Replica'), token};
}))).then(done, e => done({error: String(e)}));
"""


def storm(driver, count: int) -> list[dict]:
    answers = driver.execute_async_script(_STORM_JS, count)
    assert isinstance(answers, list), f"the page's fetches failed: {answers}"
    return answers


def test_three_replicas_behind_nginx_tls() -> None:
    binary = _gatehouse_binary()
    directory = Path(tempfile.mkdtemp(prefix="gatehouse-replicas-"))
    stack = Stack(binary, directory)
    driver = None
    passed = False
    try:
        stack.start()
        status, _ = http("POST", stack.issuer + "/_dev/lifetimes", {"access_token": ACCESS_LIFETIME})
        assert status == 200
        driver = _start_browser(directory / "profile", directory / "chromedriver.log", extra_arguments=["--ignore-certificate-errors"])
        sign_in(driver, stack)
        signed_in = time.monotonic()

        cookies = {cookie["name"]: cookie for cookie in driver.get_cookies()}
        assert "__Host-Http-gatehouse" in cookies, f"the session cookie has the __Host-Http- name behind TLS: {sorted(cookies)}"
        session = cookies["__Host-Http-gatehouse"]
        assert session["secure"] and session["httpOnly"] and session.get("path") == "/", session
        assert session.get("domain") in (None, "localhost"), f"host-only, as __Host- requires: {session}"
        assert driver.execute_script("return document.cookie") == "", "no cookie is visible to JavaScript"

        answers = storm(driver, 12)
        assert {a["status"] for a in answers} == {200}, answers
        replicas = {a["replica"] for a in answers}
        assert len(replicas) == 3, f"the calls were answered by all three replicas: {replicas}"
        login_token = {a["token"] for a in answers}
        assert len(login_token) == 1, "every replica sends the same token"

        # A refresh storm: the page calls 30 times at once after the token fell due.
        before = stack.counters()
        time.sleep(max(0.0, signed_in + ACCESS_LIFETIME - 0.5 - time.monotonic()))
        answers = storm(driver, 30)
        after = stack.counters()
        assert {a["status"] for a in answers} == {200}, answers
        assert len({a["replica"] for a in answers}) == 3
        refreshed = {a["token"] for a in answers}
        assert len(refreshed) == 1 and refreshed != login_token, f"one new token for every call: {refreshed}"
        assert after["refresh_token"] - before["refresh_token"] == 1, f"exactly one refresh grant across replicas: {before} -> {after}"

        # Logout on one replica; the old cookie is refused on all three.
        cookie = f"__Host-Http-gatehouse={session['value']}"
        seen = {stack.through_nginx("/api/me", cookie)[:2] for _ in range(6)}
        assert {status for status, _ in seen} == {200} and len({replica for _, replica in seen}) == 3, seen
        logout = driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch('/bff/logout', {method: 'POST', headers: {'X-CSRF': '1'}})"
            ".then(r => done({status: r.status, replica: r.headers.get('X-Gatehouse-Replica')}), e => done({error: String(e)}));"
        )
        assert logout.get("status") == 200, logout
        seen = {stack.through_nginx("/api/me", cookie)[:2] for _ in range(6)}
        assert {status for status, _ in seen} == {401}, f"the ended session is refused everywhere: {seen}"
        assert len({replica for _, replica in seen}) == 3, seen
        driver.get(stack.origin + "/")
        visible(driver, "signed-out")
        passed = True
    finally:
        if driver is not None:
            with contextlib.suppress(Exception):
                driver.quit()
        logs = stack.logs()
        stack.stop()
        if passed:
            shutil.rmtree(directory, ignore_errors=True)
        else:
            print(f"kept {directory} for inspection\n{logs}")
