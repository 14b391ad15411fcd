"""The proxy in front of the replicas: nothing reaches Streamlit without auth or over the limit.

Streamlit's upload route and websocket answer anyone who reaches them, before the app's own
gate; the deployed proxy must refuse such visitors itself. "Before Streamlit sees it": the
access log names no upstream for the refused request.
"""

from __future__ import annotations

import requests

from tests.support import proxy
from tests.support.waiting import wait_until

AUTH = (proxy.USER, proxy.PASSWORD)
UPLOAD = "/_stcore/upload_file/some-session/some-file"


def _logged(deployment, method: str, uri: str, status: int) -> dict:
    def found():
        rows = [r for r in deployment.access_log() if (r["method"], r["uri"]) == (method, uri)]
        return rows and rows[-1]["status"] == str(status) and rows[-1]

    wait_until(lambda: bool(found()), 10, f"{method} {uri} {status} in the access log")
    return found()


def test_a_visitor_without_the_password_gets_401_and_never_reaches_streamlit(deployment):
    for path in ("/", "/_stcore/health", "/_stcore/stream"):
        answer = requests.get(deployment.url + path, verify=deployment.cert, timeout=10)
        assert answer.status_code == 401
        assert answer.headers["WWW-Authenticate"].startswith("Basic")
        assert _logged(deployment, "GET", path, 401)["upstream"] == "-"
    wrong = requests.get(
        deployment.url + "/", auth=(proxy.USER, "guess"), verify=deployment.cert, timeout=10
    )
    assert wrong.status_code == 401


def test_an_upload_over_the_body_limit_gets_413_and_never_reaches_streamlit(deployment):
    big = {"file": ("history.json", b"[" + b" " * (4 * 1024 * 1024) + b"]", "application/json")}
    answer = requests.put(
        deployment.url + UPLOAD, files=big, auth=AUTH, verify=deployment.cert, timeout=30
    )
    assert answer.status_code == 413
    assert _logged(deployment, "PUT", UPLOAD, 413)["upstream"] == "-"


def test_a_visitor_without_the_password_cannot_upload_anything(deployment):
    small = {"file": ("history.json", b"[]", "application/json")}
    answer = requests.put(deployment.url + UPLOAD, files=small, verify=deployment.cert, timeout=10)
    assert answer.status_code == 401
    assert _logged(deployment, "PUT", UPLOAD, 401)["upstream"] == "-"


def test_with_the_password_a_small_upload_does_reach_streamlit(deployment):
    # The limits refuse what they must and nothing more: this one Streamlit answers itself.
    small = {"file": ("history.json", b"[]", "application/json")}

    def rows() -> list[dict]:
        log = deployment.access_log()
        return [r for r in log if r["uri"] == UPLOAD and r["user"] == proxy.USER]

    before = len(rows())
    requests.put(
        deployment.url + UPLOAD, files=small, auth=AUTH, verify=deployment.cert, timeout=10
    )
    # nginx writes the line after it has answered: the newest row is this request's once it is
    # there (before, the last row could be an earlier test's refused upload).
    wait_until(lambda: len(rows()) > before, 10, "nginx logs the small upload")
    assert rows()[-1]["upstream"] in {r.address for r in deployment.replicas}


def test_plain_http_is_sent_to_https(deployment):
    answer = requests.get(deployment.http_url + "/", allow_redirects=False, timeout=10)
    assert answer.status_code == 301
    assert answer.headers["Location"].startswith("https://")


def test_the_proxy_gives_a_browser_its_affinity_cookie_once(deployment):
    first = requests.get(deployment.url + "/", auth=AUTH, verify=deployment.cert, timeout=10)
    cookie = first.cookies.get("playground_route")
    assert cookie
    again = requests.get(
        deployment.url + "/", auth=AUTH, verify=deployment.cert, timeout=10,
        cookies={"playground_route": cookie},
    )  # fmt: skip
    assert "playground_route" not in again.cookies
