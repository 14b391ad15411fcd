"""Which server and key a request goes to: the sidebar, then secrets, then environment."""

from __future__ import annotations

import pytest

from lib.config.connection import Connection, is_loopback, key_problem, resolve, url_problem
from lib.config.settings import DEFAULT_BASE_URL, OPENAI_API_KEY, OPENAI_BASE_URL, Settings, read

TEAM_URL = "https://team.example/v1"
TEAM_KEY = "sk-team-0123456789"
SEC_URL = "https://sec.example/v1"
ENV_URL = "https://env.example/v1"
TYPED_URL = "http://typed.example/v1"


def team(where: str) -> Settings:
    """Settings holding the team's URL and key in `where`: "secrets" or "environment"."""
    values = {OPENAI_BASE_URL: TEAM_URL, OPENAI_API_KEY: TEAM_KEY}
    return read(values if where == "secrets" else {}, values if where == "environment" else {})


# -- where the base URL and key come from -------------------------------------------------------


@pytest.mark.parametrize(
    ("sidebar", "secrets", "environ", "expected"),
    [
        (None, {}, {}, (DEFAULT_BASE_URL, "default")),
        (None, {}, {OPENAI_BASE_URL: ENV_URL}, (ENV_URL, "environment")),
        (None, {OPENAI_BASE_URL: SEC_URL}, {OPENAI_BASE_URL: ENV_URL}, (SEC_URL, "secrets")),
        (TYPED_URL, {OPENAI_BASE_URL: SEC_URL}, {OPENAI_BASE_URL: ENV_URL}, (TYPED_URL, "sidebar")),
        (f" {TYPED_URL} ", {}, {}, (TYPED_URL, "sidebar")),
        ("   ", {}, {OPENAI_BASE_URL: ENV_URL}, (ENV_URL, "environment")),
        ("", {OPENAI_BASE_URL: SEC_URL}, {}, (SEC_URL, "secrets")),
    ],
)  # fmt: skip
def test_the_base_url_comes_from_the_sidebar_then_secrets_then_environment(
    sidebar, secrets, environ, expected
):
    conn = resolve(sidebar, None, read(secrets, environ))
    assert (conn.base_url, conn.base_url_source) == expected


@pytest.mark.parametrize(
    ("sidebar", "secrets", "environ", "expected"),
    [
        (None, {}, {}, (None, None)),
        (None, {}, {OPENAI_API_KEY: "sk-env"}, ("sk-env", "environment")),
        (None, {OPENAI_API_KEY: "sk-sec"}, {OPENAI_API_KEY: "sk-env"}, ("sk-sec", "secrets")),
        ("sk-mine", {OPENAI_API_KEY: "sk-sec"}, {OPENAI_API_KEY: "sk-env"}, ("sk-mine", "sidebar")),
        (" sk-mine ", {}, {}, ("sk-mine", "sidebar")),
        ("  ", {}, {OPENAI_API_KEY: "sk-env"}, ("sk-env", "environment")),
    ],
)  # fmt: skip
def test_the_key_comes_from_the_sidebar_then_secrets_then_environment(
    sidebar, secrets, environ, expected
):
    conn = resolve(None, sidebar, read(secrets, environ))
    assert (conn.api_key, conn.api_key_source) == expected
    assert not conn.key_withheld


# -- a configured key stays with the configured server ------------------------------------------


@pytest.mark.parametrize("where", ["secrets", "environment"])
@pytest.mark.parametrize(
    "typed",
    [
        "https://elsewhere.example/v1",
        "https://team.example.evil/v1",  # a look-alike host
        "https://team.example/v2",
        "http://team.example/v1",  # the same host without TLS
        "http://localhost:8000/v1",
    ],
)
def test_a_configured_key_is_withheld_from_a_base_url_typed_in_the_sidebar(where, typed):
    conn = resolve(typed, None, team(where))
    assert (conn.base_url, conn.base_url_source) == (typed, "sidebar")
    assert (conn.api_key, conn.api_key_source, conn.key_withheld) == (None, None, True)


def test_a_key_for_the_default_server_is_withheld_from_another_one():
    settings = read({}, {OPENAI_API_KEY: TEAM_KEY})  # the URL is the default
    conn = resolve("http://localhost:8000/v1", None, settings)
    assert conn.api_key is None and conn.key_withheld


@pytest.mark.parametrize("typed", [TEAM_URL, TEAM_URL + "/", f"  {TEAM_URL}/  "])
def test_typing_the_configured_base_url_again_keeps_its_key(typed):
    conn = resolve(typed, None, team("environment"))
    assert (conn.api_key, conn.api_key_source, conn.key_withheld) == (
        TEAM_KEY,
        "environment",
        False,
    )


def test_a_key_typed_in_the_sidebar_goes_to_the_url_typed_there():
    conn = resolve("https://elsewhere.example/v1", "sk-mine", team("secrets"))
    assert (conn.api_key, conn.api_key_source, conn.key_withheld) == ("sk-mine", "sidebar", False)


def test_nothing_is_withheld_when_no_key_is_configured():
    conn = resolve("https://elsewhere.example/v1", None, read({}, {}))
    assert (conn.api_key, conn.key_withheld) == (None, False)


def test_a_connection_never_shows_its_key():
    conn = resolve(None, None, team("secrets"))
    assert conn.api_key == TEAM_KEY
    for shown in (repr(conn), str(conn), f"{conn}", f"{conn!r}"):
        assert TEAM_KEY not in shown and TEAM_KEY[:8] not in shown
        assert TEAM_URL in shown and "***" in shown
    keyless = Connection(TEAM_URL, None, "sidebar", None)
    assert "api_key=None" in repr(keyless)


# -- loopback servers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8000/v1",
        "http://LOCALHOST:8000/v1",
        "http://app.localhost/v1",
        "http://127.0.0.1:8080/v1",
        "http://127.5.6.7/v1",
        "http://[::1]:8000/v1",
        " http://localhost:11434/v1 ",
    ],
)
def test_loopback_addresses_are_recognised(url):
    assert is_loopback(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://api.openai.com/v1",
        "http://localhost.evil.example/v1",
        "http://127.0.0.1.nip.io/v1",
        "http://192.168.1.10:8000/v1",
        "http://0.0.0.0:8000/v1",
        "http://[::1:80/v1",  # unparseable
        "localhost:8000/v1",  # no scheme: no host either
        "",
    ],
)
def test_other_addresses_are_not_loopback(url):
    assert not is_loopback(url)


# -- what cannot be used ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["https://api.openai.com/v1", "http://localhost:8000/v1", "http://[::1]:8000/v1"]
)
def test_a_usable_base_url_has_no_problem(url):
    assert url_problem(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "",
        "api.openai.com/v1",
        "ftp://files.example/v1",
        "javascript:alert(1)",
        "http:///v1",
        "http://[::1:80/v1",
    ],
)
def test_a_base_url_that_is_not_http_is_a_bad_url(url):
    problem = url_problem(url)
    assert problem is not None and problem.key == "conn.bad_url"


@pytest.mark.parametrize(
    "url", ["https://user:pass@relay.example/v1", "https://user@relay.example/v1"]
)
def test_a_base_url_with_credentials_is_refused(url):
    problem = url_problem(url)
    assert problem is not None and problem.key == "conn.url_credentials"


@pytest.mark.parametrize("key", [None, "", "sk-proj-AbC_123-xyz", "any.printable~ascii!"])
def test_a_key_that_fits_in_a_header_has_no_problem(key):
    assert key_problem(key) is None


@pytest.mark.parametrize(
    "key", ["sk-abc def", "sk-ключ", "sk-abc\n", "sk-\tabc", "sk-abc\x00", "sk-abc\u00a0"]
)
def test_a_key_that_cannot_be_a_header_value_is_refused(key):
    problem = key_problem(key)
    assert problem is not None and problem.key == "conn.bad_key"


# -- what the browser may remember -------------------------------------------------------------


def test_the_browser_keeps_the_typed_url_and_the_key_only_when_asked():
    from lib.config.connection import browser_record

    record = browser_record(False, " http://typed.example/v1 ", "sk-mine", False, [])
    assert record == {"local": False, "base_url": "http://typed.example/v1", "saved": []}
    assert "sk-mine" not in str(record)
    remembered = browser_record(False, TYPED_URL, "sk-mine", True, [])
    assert remembered["api_key"] == "sk-mine"
    assert browser_record(True, None, None, True, [])["local"] is True


def test_a_stored_record_with_junk_is_read_back_safely():
    from lib.config.connection import read_record

    assert read_record("not a dict")["saved"] == []
    record = read_record(
        {"local": "yes", "base_url": 5, "api_key": "", "saved": [{"name": ""}, 3, {"name": "a",
         "base_url": TYPED_URL, "api_key": "sk-a"}]}
    )  # fmt: skip
    assert record == {
        "local": None,
        "base_url": "",
        "api_key": None,
        "model": None,
        "saved": [{"name": "a", "base_url": TYPED_URL, "api_key": "sk-a"}],
    }


def test_the_model_is_kept_with_the_connection_and_with_each_saved_one():
    from lib.config.connection import browser_record, read_record

    saved = [{"name": "lab", "base_url": TYPED_URL, "model": "lab-model"}]
    record = browser_record(False, TYPED_URL, None, False, saved, model="my-model")
    assert record["model"] == "my-model"
    assert record["saved"] == saved
    assert read_record(record)["model"] == "my-model"
    assert read_record(record)["saved"][0]["model"] == "lab-model"
    # No model, a blank one or one nobody could have typed is not kept.
    for model in (None, "  ", "x" * 201, 7):
        assert "model" not in browser_record(False, TYPED_URL, None, False, [], model=model)
        assert read_record({"model": model, "saved": [{"name": "a", "base_url": "",
                                                       "model": model}]}) == {
            "local": None, "base_url": "", "api_key": None, "model": None,
            "saved": [{"name": "a", "base_url": ""}],
        }  # fmt: skip
