"""The client's public face: usable on its own, without streamlit or the interface's catalog."""

import os
import re
import subprocess
import sys

import lib.client
from lib.client.errors import CLIENT_TEXT
from lib.i18n import placeholders
from lib.i18n.catalog import CATALOG
from tests.support.paths import ROOT

ALONE = (
    "import lib.client, sys; "
    "assert 'streamlit' not in sys.modules and not any('catalog' in m for m in sys.modules)"
)


def test_importing_the_client_loads_neither_streamlit_nor_the_catalog():
    # A fresh interpreter: this one has long since loaded both.
    done = subprocess.run(
        [sys.executable, "-c", ALONE], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


# Every way the client reads what a server sent and finds it unreadable, in a fresh interpreter:
# the message is the client's own English (CLIENT_TEXT); the catalog stays for the page to load.
PARSE_FAILURES = r"""
import json, os, sys, urllib.request
import lib.client
from lib.client import ApiError, Endpoint, create_completion, list_models, stream_completion
from lib.client.errors import error_from_http
from lib.client.sse import iter_chunks, parse_completion_body

def failure(call, *args):
    try:
        call(*args)
    except ApiError as err:
        return err
    raise AssertionError(call)

html = b"<html><head><title>502</title></head><body>Bad gateway</body></html>"
assert "Bad Gateway" in str(error_from_http(502, {"content-type": "text/html"}, html))
for body in (b"{not json", b"[" * 100_000, b"1" * 5_000, b"\xff\xfe"):
    assert error_from_http(500, {}, body).status == 500
for body in (b"not json", b"[1]", b"", b"{\"a\": 1}", b"[" * 100_000):
    assert failure(parse_completion_body, body).key
assert failure(lambda: list(iter_chunks([b"data: {bad\n\n"]))).key == "client.event_not_json"
assert failure(lambda: list(iter_chunks([b"data: [1]\n\n"]))).key == "client.event_not_object"

def relay_answers(scenario):  # the relay's control endpoint (stdlib, not the client)
    control = os.environ["RELAY"].removesuffix("/v1") + "/_control"
    body = json.dumps({"scenario": scenario}).encode()
    urllib.request.urlopen(urllib.request.Request(control, body, method="POST")).read()

endpoint = Endpoint(os.environ["RELAY"])
payload = {"model": "fake-instruct", "prompt": "hi", "max_tokens": 3}
for scenario, call in [
    ("http_502_html", lambda: list_models(endpoint)),
    ("http_502_html", lambda: list(stream_completion(endpoint, {**payload, "stream": True}))),
    ("garbage", lambda: create_completion(endpoint, payload)),
    ("models_garbage", lambda: list_models(endpoint)),
    ("sse_json_error", lambda: list(stream_completion(endpoint, {**payload, "stream": True}))),
]:
    relay_answers(scenario)
    err = failure(call)
    assert err.message and "<" not in str(err), (scenario, err)
assert "lib.i18n.catalog" not in sys.modules, "the error path loaded the catalog"
"""


def _fresh(code: str, relay) -> subprocess.CompletedProcess:
    """`code` run in a fresh interpreter (this one has long since loaded everything)."""
    env = {**os.environ, "RELAY": relay.base_url}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_reading_what_a_server_sent_never_loads_the_catalog(relay):
    done = _fresh(PARSE_FAILURES, relay)
    assert done.returncode == 0, done.stderr


# The first screen imports the app's modules (and streamlit) but sends nothing: requests, a
# tenth of a second to import, waits for the first request (issue 19, first paint).
FIRST_SCREEN = r"""
import importlib, os, pkgutil, sys
import streamlit
import lib

SENDING = ("lib.client.transport",)  # the one module that holds requests, loaded to send
for found in pkgutil.walk_packages(lib.__path__, "lib."):
    if found.name not in SENDING:
        importlib.import_module(found.name)
assert "lib.api" in sys.modules and "lib.run.worker" in sys.modules
loaded = sorted(name for name in ("requests", "urllib3") if name in sys.modules)
assert loaded == [], f"imported before any request: {loaded}"

from lib.client import Endpoint, list_models
assert list_models(Endpoint(os.environ["RELAY"]))
assert "requests" in sys.modules  # and there when the first request is sent
"""


def test_requests_is_imported_with_the_first_request_not_the_first_screen(relay):
    done = _fresh(FIRST_SCREEN, relay)
    assert done.returncode == 0, done.stderr


def test_the_face_names_the_client_and_nothing_else():
    assert sorted(lib.client.__all__) == [
        "ApiError",
        "Endpoint",
        "accumulate",
        "create_completion",
        "list_models",
        "stream_completion",
    ]
    # Validation belongs to lib.request, describing errors for people to lib.i18n.
    assert not hasattr(lib.client, "validate") and not hasattr(lib.client, "describe")


def test_client_text_is_the_catalogs_english():
    """str(err) and the page's English say the same; the catalog adds the other languages."""
    for key, text in CLIENT_TEXT.items():
        assert CATALOG[key]["en"] == text, key
        for lang, translated in CATALOG[key].items():
            assert placeholders(translated) == placeholders(text), (key, lang)


def test_every_client_key_raised_has_english_text():
    # The client, and the run worker that reports a bug through ApiError.client.
    sources = [*(ROOT / "lib" / "client").glob("*.py"), *(ROOT / "lib" / "run").glob("*.py")]
    raised = set()
    for path in sources:
        raised |= set(re.findall(r"\"(client\.\w+)\"", path.read_text()))
    assert {"client.unexpected", "client.event_not_json", "client.dns"} <= raised
    assert raised <= set(CLIENT_TEXT), sorted(raised - set(CLIENT_TEXT))
