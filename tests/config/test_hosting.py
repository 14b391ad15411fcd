"""Hosted-mode settings, the password limiter, the container recipe and its documentation."""

import logging
import re
import threading
import tomllib

import pytest

from lib.client import DEFAULT_BASE_URL
from lib.config.connection import resolve
from lib.config.hosting import AttemptLimiter, Backoff, password_ok
from lib.config.settings import (
    ALLOW_LOCAL_MODEL,
    APP_PASSWORD,
    LOCK_BASE_URL,
    MAX_OUTPUT_CHARS,
    MAX_OUTPUT_CHUNKS,
    MAX_RESPONSE_BYTES,
    MAX_TOKENS_LIMIT,
    OPENAI_API_KEY,
    OPENAI_BASE_URL,
    RUN_IDLE_SECONDS,
    SETTINGS,
    ConfigError,
    auth_providers,
    parse_flag,
    read,
)
from lib.history.entries import MAX_IMPORT_BYTES
from tests.support.paths import ROOT

AUTH = {
    "redirect_uri": "https://play.example/oauth2callback",
    "cookie_secret": "c" * 32,
    "client_id": "id",
    "client_secret": "secret",
    "server_metadata_url": "https://idp.example/.well-known/openid-configuration",
}


# -- settings: one table, secrets then environment then default --------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(True, True), (False, False), (1, True), (0, False), ("true", True), ("TRUE", True),
     ("1", True), ("Yes", True), (" yes ", True), ("false", False), ("0", False), ("NO", False)],
)  # fmt: skip
def test_flags_parse_strictly(raw, expected):
    assert parse_flag(raw) is expected


@pytest.mark.parametrize("raw", [2, -1, 1.0, "on", "off", "y", "tru", "enabled", [], {}])
def test_anything_else_is_not_a_flag(raw):
    with pytest.raises(ValueError):
        parse_flag(raw)


def test_every_setting_falls_back_to_the_environment():
    environ = {
        OPENAI_BASE_URL: "https://team.example/v1",
        OPENAI_API_KEY: "sk-env",
        LOCK_BASE_URL: "1",
        ALLOW_LOCAL_MODEL: "yes",
        APP_PASSWORD: "from env",
        MAX_TOKENS_LIMIT: "4096",
        MAX_OUTPUT_CHARS: "1000",
        MAX_OUTPUT_CHUNKS: "100",
        MAX_RESPONSE_BYTES: "2048",
        RUN_IDLE_SECONDS: "7",
    }
    settings = read({}, environ)
    assert settings.base_url == "https://team.example/v1"
    assert settings.api_key == "sk-env"
    assert settings.lock_base_url is True
    assert settings.allow_local_model is True
    assert settings.app_password == "from env"
    assert settings.max_tokens_limit == 4096
    assert [settings.value(n) for n in environ if n.startswith(("MAX_O", "MAX_R", "RUN"))] == [
        1000,
        100,
        2048,
        7,
    ]
    assert {settings.source(s.name) for s in SETTINGS if s.name != "auth"} == {"environment"}


def test_secrets_come_before_the_environment():
    secrets = {LOCK_BASE_URL: False, APP_PASSWORD: "from secrets", OPENAI_API_KEY: "sk-s"}
    environ = {LOCK_BASE_URL: "true", APP_PASSWORD: "from env", OPENAI_API_KEY: "sk-e"}
    settings = read(secrets, environ)
    assert settings.lock_base_url is False
    assert settings.app_password == "from secrets"
    assert (settings.api_key, settings.source(OPENAI_API_KEY)) == ("sk-s", "secrets")


def test_blank_values_count_as_unset():
    settings = read({APP_PASSWORD: "  ", LOCK_BASE_URL: ""}, {APP_PASSWORD: "env pw"})
    assert settings.app_password == "env pw"  # a blank secret never opens the gate
    assert settings.lock_base_url is False
    assert (settings.base_url, settings.source(OPENAI_BASE_URL)) == (DEFAULT_BASE_URL, "default")
    assert settings.api_key is None


@pytest.mark.parametrize(
    ("secrets", "environ", "key", "source"),
    [
        ({LOCK_BASE_URL: "maybe"}, {}, "config.not_flag", "secrets"),
        ({}, {LOCK_BASE_URL: "on"}, "config.not_flag", "environment"),
        ({LOCK_BASE_URL: 2}, {}, "config.not_flag", "secrets"),
        ({APP_PASSWORD: 1234}, {}, "config.not_text", "secrets"),
        ({OPENAI_API_KEY: ["sk"]}, {}, "config.not_text", "secrets"),
        ({"auth": "yes"}, {}, "config.not_section", "secrets"),
    ],
)
def test_values_that_cannot_be_understood_are_configuration_errors(secrets, environ, key, source):
    with pytest.raises(ConfigError) as caught:
        read(secrets, environ)
    (problem,) = caught.value.problems
    assert problem.key == key
    assert problem.params["source"].key == f"conn.source.{source}"


def test_a_bad_secret_is_an_error_even_when_the_environment_has_a_good_one():
    with pytest.raises(ConfigError):
        read({LOCK_BASE_URL: "yes please"}, {LOCK_BASE_URL: "true"})


def test_auth_section_must_be_complete():
    assert read({"auth": AUTH}, {}).auth == AUTH
    with pytest.raises(ConfigError) as caught:
        read({"auth": {k: v for k, v in AUTH.items() if k != "cookie_secret"}}, {})
    assert caught.value.problems[0].key == "config.auth_missing"
    with pytest.raises(ConfigError) as caught:
        read({"auth": {"redirect_uri": "x", "cookie_secret": "y"}}, {})
    assert caught.value.problems[0].key == "config.auth_no_provider"
    assert read({}, {"auth": "ignored"}).auth is None  # a section only comes from secrets


def test_auth_providers():
    assert auth_providers(AUTH) == [None]
    named = {"redirect_uri": "x", "cookie_secret": "y", "google": {"client_id": "g"}}
    assert auth_providers(named) == ["google"]


def test_settings_never_show_their_values():
    settings = read({APP_PASSWORD: "hunter2"}, {OPENAI_API_KEY: "sk-SECRET"})
    assert "hunter2" not in repr(settings) and "sk-SECRET" not in repr(settings)


def test_connection_takes_the_sidebar_first_and_keeps_the_team_key_home():
    settings = read({}, {OPENAI_BASE_URL: "https://team.example/v1", OPENAI_API_KEY: "sk-team"})
    conn = resolve(None, None, settings)
    assert (conn.base_url, conn.base_url_source) == ("https://team.example/v1", "environment")
    assert (conn.api_key, conn.api_key_source) == ("sk-team", "environment")
    typed = resolve("https://elsewhere.example/v1", None, settings)
    assert typed.api_key is None and typed.key_withheld
    same = resolve("https://team.example/v1/", None, settings)
    assert same.api_key == "sk-team"
    own = resolve("https://elsewhere.example/v1", " sk-mine ", settings)
    assert (own.api_key, own.api_key_source) == ("sk-mine", "sidebar")
    assert "sk-team" not in repr(conn)


def test_password_ok():
    assert password_ok("pässword", "pässword")
    assert not password_ok("password", "pässword")
    assert not password_ok("", "x")


# -- the limiter: failures across sessions, by server and by address ---------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


LOOSE = Backoff(free=100, first_delay=1, max_delay=1, lockout_after=999, lockout=1, forget_after=1)
ADDRESS = Backoff(free=1, first_delay=1, max_delay=8, lockout_after=6, lockout=300, forget_after=90)


def limiter(clock, per_server=LOOSE, per_address=ADDRESS) -> AttemptLimiter:
    return AttemptLimiter(clock=clock, per_server=per_server, per_address=per_address)


def test_waits_double_after_the_free_failure_then_lock_out():
    clock = Clock()
    lim = limiter(clock)
    waits = [lim.attempt("guess", "pw", "198.51.100.7").retry_after]
    for _ in range(5):
        clock.now += waits[-1]
        verdict = lim.attempt("guess", "pw", "198.51.100.7")
        assert verdict.heard and not verdict.accepted
        waits.append(verdict.retry_after)
    assert waits == [0, 1, 2, 4, 8, 300]  # failure 6 locks for 5 minutes


def test_attempts_that_come_too_soon_are_refused_unchecked():
    clock = Clock()
    lim = limiter(clock)
    lim.attempt("a", "pw", "198.51.100.7")
    lim.attempt("b", "pw", "198.51.100.7")
    verdict = lim.attempt("pw", "pw", "198.51.100.7")  # right, but inside the wait
    assert (verdict.accepted, verdict.heard, verdict.retry_after) == (False, False, 1)
    clock.now += 1
    assert lim.attempt("pw", "pw", "198.51.100.7").accepted


def test_addresses_are_counted_apart_and_the_server_counts_them_all():
    clock = Clock()
    server = Backoff(free=2, first_delay=10, max_delay=60, lockout_after=99, lockout=1,
                     forget_after=900)  # fmt: skip
    lim = limiter(clock, per_server=server)
    lim.attempt("x", "pw", "198.51.100.1")
    lim.attempt("x", "pw", "198.51.100.1")  # this address must now wait 1 s
    assert lim.retry_after("198.51.100.1") == 1
    assert lim.retry_after("198.51.100.2") == 0
    lim.attempt("x", "pw", "198.51.100.2")  # the server's third failure, from any address
    assert lim.retry_after("198.51.100.3") == 10
    assert lim.retry_after(None) == 10


def test_unknown_addresses_share_the_server_count():
    clock = Clock()
    server = Backoff(free=1, first_delay=5, max_delay=60, lockout_after=99, lockout=1,
                     forget_after=900)  # fmt: skip
    lim = limiter(clock, per_server=server)
    lim.attempt("x", "pw", None)
    lim.attempt("x", "pw", None)
    assert lim.retry_after(None) == 5


def test_quiet_time_forgets_and_success_clears_the_address():
    clock = Clock()
    lim = limiter(clock)
    for _ in range(2):
        lim.attempt("x", "pw", "198.51.100.7")
    clock.now += 90
    assert lim.attempt("x", "pw", "198.51.100.7").retry_after == 0  # counted from 1 again
    clock.now += 1
    lim.attempt("x", "pw", "198.51.100.7")
    clock.now += 1
    assert lim.attempt("pw", "pw", "198.51.100.7").accepted
    assert lim.attempt("x", "pw", "198.51.100.7").retry_after == 0


def test_parallel_sessions_cannot_slip_through_together():
    clock = Clock()  # time stands still: every attempt arrives at the same moment
    lim = limiter(clock)
    verdicts = []
    start = threading.Barrier(50)

    def guess() -> None:
        start.wait()  # all at once, as 50 sessions pressing Enter together
        verdicts.append(lim.attempt("x", "pw", "198.51.100.7"))

    threads = [threading.Thread(target=guess) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(v.heard for v in verdicts) == 2  # the free failure and the one that sets a wait


def test_each_failure_is_logged_with_its_address_never_the_guess(caplog):
    lim = limiter(Clock())
    with caplog.at_level(logging.WARNING, logger="lib.config.hosting"):
        lim.attempt("my-secret-guess", "pw", "198.51.100.7")
        lim.attempt("pw", "pw", "198.51.100.7")
    (record,) = caplog.records
    message = record.getMessage()
    assert "198.51.100.7" in message and re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", message)
    assert "my-secret-guess" not in caplog.text


def test_reset_forgets_everything():
    lim = limiter(Clock())
    for _ in range(3):
        lim.attempt("x", "pw", "198.51.100.7")
    lim.reset()
    assert lim.retry_after("198.51.100.7") == 0


# -- the container and the documentation -------------------------------------------------------


def test_dockerfile_runs_unprivileged_with_a_healthcheck():
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.\d+-slim", text, re.M)
    user = re.findall(r"^USER (\S+)", text, re.M)
    assert user and user[-1] not in ("root", "0")
    assert "HEALTHCHECK" in text and "/_stcore/health" in text
    assert "--server.address=0.0.0.0" in text
    assert "secrets.toml" not in re.sub(r"#.*", "", text)  # never baked into the image


def test_dockerignore_keeps_secrets_out_of_the_build():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".streamlit/secrets.toml" in ignored and ".git" in ignored


def test_secrets_example_is_a_valid_configuration():
    example = (ROOT / ".streamlit" / "secrets.toml.example").read_text(encoding="utf-8")
    settings = read(tomllib.loads(example), {})
    assert settings.base_url == DEFAULT_BASE_URL
    for setting in SETTINGS:  # each is at least mentioned, commented out or not
        assert setting.name in example, setting.name


def test_upload_limit_fits_the_history_import():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    megabytes = config["server"]["maxUploadSize"]
    # The browser counts a MB as 1,000,000 bytes, the server as 1 MiB: both must hold the file,
    # and the limit should not be much above it.
    assert MAX_IMPORT_BYTES <= megabytes * 1_000_000 < MAX_IMPORT_BYTES + 2_000_000


def readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_readme_lists_every_setting_once_in_the_hosting_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| `")]
    hosting_rows = [r for r in rows if r in readme_section("Hosting")]
    for setting in SETTINGS:
        listed = [r for r in rows if r.startswith((f"| `{setting.name}`", f"| `[{setting.name}]`"))]
        assert len(listed) == 1, setting.name
        assert listed[0] in hosting_rows, setting.name


def test_readme_puts_an_internet_instance_behind_auth_and_a_body_limit():
    hosting = readme_section("Hosting")
    body_limit = re.search(r"client_max_body_size (\d+)m;", hosting)
    assert body_limit and int(body_limit.group(1)) * 1024 * 1024 > MAX_IMPORT_BYTES
    assert "st.login" in hosting and "[auth]" in hosting


@pytest.mark.parametrize("raw", ["0", "-1", "2.5", "lots", "", 0, -3, 2.5, True, "9" * 30])
def test_a_count_setting_is_a_whole_number_of_at_least_one(raw):
    if raw == "":
        assert read({}, {MAX_TOKENS_LIMIT: raw}).max_tokens_limit is None  # blank: not set
        return
    with pytest.raises(ConfigError) as caught:
        read({MAX_TOKENS_LIMIT: raw}, {})
    assert caught.value.problems[0].key == "config.not_count"
    assert read({MAX_TOKENS_LIMIT: " 12 "}, {}).max_tokens_limit == 12
    assert read({MAX_TOKENS_LIMIT: 12}, {}).max_tokens_limit == 12
