#!/usr/bin/env python3
"""Logs in to Gatehouse through the development OpenID provider, the way a browser does,
and prints the session cookie as `NAME=VALUE`.

    login.py GATEHOUSE_URL [USERNAME PASSWORD]
    login.py GATEHOUSE_URL --count N      N logins (4 at a time), one cookie per line

GET /bff/login -> 302 to the provider's /authorize -> its login page (request_id) ->
POST /authorize with the credentials -> 302 to /bff/callback -> 302 with the session
cookie. Redirects are followed by hand so every hop is checked. Standard library only.
"""
import concurrent.futures
import html.parser
import http.client
import sys
import urllib.parse

SESSION_COOKIE = "gatehouse"
LOGIN_COOKIE = "gatehouse-login"


def request(url, method="GET", body=None, cookies=None, headers=None):
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    path = parts.path + ("?" + parts.query if parts.query else "")
    all_headers = dict(headers or {})
    if cookies:
        all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=all_headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    set_cookies = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        set_cookies[name.strip()] = rest.split(";", 1)[0]
    return response.status, response.headers, data, set_cookies


class FormFields(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and "name" in attrs:
            self.fields[attrs["name"]] = attrs.get("value", "")


def fail(message):
    sys.exit(f"login.py: {message}")


def login(base, username="demo", password="demo"):
    status, headers, _, cookies = request(f"{base}/bff/login?returnUrl=/")
    if status != 302 or LOGIN_COOKIE not in cookies:
        fail(f"GET /bff/login answered {status} (cookies {sorted(cookies)}); expected 302 with {LOGIN_COOKIE}")
    authorize_url = headers["Location"]

    status, _, page, _ = request(authorize_url)
    if status != 200:
        fail(f"the provider's authorize page answered {status}")
    form = FormFields()
    form.feed(page.decode("utf-8", "replace"))
    if "request_id" not in form.fields:
        fail("the provider's login page has no request_id field")
    provider = urllib.parse.urlsplit(authorize_url)
    post_url = f"{provider.scheme}://{provider.netloc}/authorize"
    body = urllib.parse.urlencode({**form.fields, "username": username, "password": password, "action": "login"})
    status, headers, page, _ = request(post_url, method="POST", body=body)
    if status not in (302, 303):
        fail(f"POST /authorize answered {status}: {page[:200]!r}")
    callback_url = headers["Location"]
    if not callback_url.startswith(f"{base}/bff/callback?"):
        fail(f"the provider redirected to {callback_url.split('?')[0]}, not {base}/bff/callback")

    status, headers, page, set_cookies = request(callback_url, cookies={LOGIN_COOKIE: cookies[LOGIN_COOKIE]})
    if status != 302 or not set_cookies.get(SESSION_COOKIE):
        fail(f"GET /bff/callback answered {status} (cookies {sorted(set_cookies)}): {page[:200]!r}")
    return f"{SESSION_COOKIE}={set_cookies[SESSION_COOKIE]}"


def main():
    if len(sys.argv) == 4 and sys.argv[2] == "--count":
        base, count = sys.argv[1].rstrip("/"), int(sys.argv[3])
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            for cookie in pool.map(lambda _: login(base), range(count)):
                print(cookie)
        return
    if len(sys.argv) not in (2, 4):
        fail("usage: login.py GATEHOUSE_URL [USERNAME PASSWORD] | login.py GATEHOUSE_URL --count N")
    base = sys.argv[1].rstrip("/")
    username, password = (sys.argv[2], sys.argv[3]) if len(sys.argv) == 4 else ("demo", "demo")
    print(login(base, username, password))


if __name__ == "__main__":
    main()
