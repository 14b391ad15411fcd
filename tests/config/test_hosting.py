"""Hosted-mode settings, the password limiter, the container recipe and its documentation."""

import itertools
import logging
import re
import threading
import tomllib

import pytest

from lib.config.connection import resolve
from lib.config.hosting import GuessQueue, Pace, issue_pass, pass_ok, password_ok
from lib.config.settings import (
    ALLOW_LOCAL_MODEL,
    APP_PASSWORD,
    DEFAULT_BASE_URL,
    LOCK_BASE_URL,
    MAX_OUTPUT_CHARS,
    MAX_OUTPUT_CHUNKS,
    MAX_RESPONSE_BYTES,
    MAX_TOKENS_LIMIT,
    OPENAI_API_KEY,
    OPENAI_BASE_URL,
    PRICES,
    RUN_IDLE_SECONDS,
    SETTINGS,
    SHUTDOWN_GRACE_SECONDS,
    ConfigError,
    auth_providers,
    parse_flag,
    read,
)
from lib.request.validate import LENGTH_FIELDS
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
        SHUTDOWN_GRACE_SECONDS: "20",
        PRICES: '[{"model": "m", "prompt": 1, "completion": 2}]',
    }
    settings = read({}, environ)
    assert settings.base_url == "https://team.example/v1"
    assert settings.api_key == "sk-env"
    assert settings.lock_base_url is True
    assert settings.allow_local_model is True
    assert settings.app_password == "from env"
    assert settings.max_tokens_limit == 4096
    assert [
        settings.value(n) for n in environ if n.startswith(("MAX_O", "MAX_R", "RUN", "SHUT"))
    ] == [1000, 100, 2048, 7, 20]
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


@pytest.mark.parametrize(
    ("secrets", "environ", "found", "name", "source"),
    [
        ({"AUTH": AUTH}, {}, "AUTH", "auth", "secrets"),
        ({"Auth": AUTH}, {}, "Auth", "auth", "secrets"),
        ({"app_password": "pw"}, {}, "app_password", APP_PASSWORD, "secrets"),
        ({}, {"Lock_Base_Url": "1"}, "Lock_Base_Url", LOCK_BASE_URL, "environment"),
        ({"auth": AUTH, "AUTH": AUTH}, {}, "AUTH", "auth", "secrets"),  # both: still wrong
    ],
)
def test_a_name_that_differs_only_in_case_is_a_configuration_error(
    secrets, environ, found, name, source
):
    with pytest.raises(ConfigError) as caught:
        read(secrets, environ)
    (problem,) = caught.value.problems
    assert problem.key == "config.wrong_case"
    assert (problem.params["found"], problem.params["name"]) == (found, name)
    assert problem.params["source"].key == f"conn.source.{source}"


def test_a_section_only_secrets_hold_may_differ_in_case_in_the_environment():
    assert read({}, {"AUTH": "something else entirely"}).auth is None


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


# -- the line: attempts checked in turn, fairly, at a steady pace -------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


PW = "correct horse"
SAME = "203.0.113.9"  # behind a proxy, every visitor has the proxy's address


def test_a_lone_visitor_is_checked_at_once_even_after_typos():
    queue = GuessQueue(Clock())
    verdicts = [queue.attempt("s1", SAME, guess, PW) for guess in ("typo", "tpyo", PW)]
    assert [(v.checked, v.accepted) for v in verdicts] == [(True, False), (True, False),
                                                            (True, True)]  # fmt: skip


def test_guesses_are_paced_to_the_rate_whoever_sends_them():
    clock = Clock()
    queue = GuessQueue(clock, Pace(per_minute=8, burst=4))
    checked = 0
    for second in range(600):  # ten minutes, a new session every second, each guessing once
        clock.now = 1000.0 + second
        checked += queue.attempt(f"s{second}", f"198.51.100.{second % 200}", "x", PW).checked
    assert checked <= 4 + 8 * 10


def test_a_newcomer_goes_before_a_session_that_keeps_guessing():
    clock = Clock()
    queue = GuessQueue(clock, Pace(per_minute=6, burst=1))  # one token every 10 s
    assert queue.attempt("attacker", SAME, "x", PW).checked  # the burst token
    clock.now += 1
    assert not queue.attempt("attacker", SAME, "y", PW).checked  # waiting since t+1
    clock.now += 1
    visitor = queue.attempt("visitor", SAME, PW, PW)  # came later, never served
    assert (visitor.checked, visitor.ahead) == (False, 0)
    assert visitor.wait == pytest.approx(8.0)
    clock.now += 8
    assert not queue.attempt("attacker", SAME, "y", PW).checked  # the token is the visitor's
    assert queue.attempt("visitor", SAME, PW, PW).accepted


def test_an_address_served_less_goes_first():
    clock = Clock()
    queue = GuessQueue(clock, Pace(per_minute=6, burst=1))
    queue.attempt("a1", "198.51.100.1", "x", PW)  # address 1 had a turn
    clock.now += 1
    queue.attempt("a2", "198.51.100.1", "x", PW)  # a fresh session from the same address
    clock.now += 1
    other = queue.attempt("b1", "198.51.100.2", "x", PW)
    assert other.ahead == 0


def test_several_tokens_serve_several_waiting_sessions_at_once():
    clock = Clock()
    queue = GuessQueue(clock, Pace(per_minute=6, burst=3))
    assert [queue.attempt(f"s{i}", SAME, "x", PW).checked for i in range(4)] == [
        True, True, True, False]  # fmt: skip


def test_a_session_that_stops_asking_leaves_the_line():
    clock = Clock()
    queue = GuessQueue(clock, Pace(per_minute=6, burst=1, stale_after=5))
    queue.attempt("first", SAME, "x", PW)
    clock.now += 1
    assert queue.attempt("gone", SAME, "x", PW).ahead == 0  # then its tab closes
    clock.now += 1
    assert queue.attempt("visitor", SAME, PW, PW).ahead == 1
    assert queue.waiting() == 2
    clock.now += 6
    assert queue.attempt("visitor", SAME, PW, PW).ahead == 0
    assert queue.waiting() == 1


def test_parallel_sessions_cannot_take_more_than_the_tokens():
    queue = GuessQueue(Clock(), Pace(per_minute=8, burst=4))  # time stands still
    verdicts = []
    start = threading.Barrier(50)

    def guess(session: str) -> None:
        start.wait()  # all at once, as 50 sessions pressing Enter together
        verdicts.append(queue.attempt(session, SAME, "x", PW))

    threads = [threading.Thread(target=guess, args=(f"s{i}",)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(v.checked for v in verdicts) == 4


def test_a_browser_with_a_pass_skips_the_line():
    clock = Clock()
    queue = GuessQueue(clock, Pace(per_minute=6, burst=1))
    for i in range(5):
        queue.attempt(f"attacker{i}", SAME, "x", PW)
    assert queue.attempt("returning", SAME, PW, PW, vouched=True).accepted


def test_each_failure_is_logged_with_its_address_never_the_guess(caplog):
    queue = GuessQueue(Clock())
    with caplog.at_level(logging.WARNING, logger="lib.config.hosting"):
        queue.attempt("s", "198.51.100.7", "my-secret-guess", PW)
        queue.attempt("s", "198.51.100.7", PW, PW)
    (record,) = caplog.records
    message = record.getMessage()
    assert "198.51.100.7" in message and re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", message)
    assert "my-secret-guess" not in caplog.text and PW not in caplog.text


def test_reset_forgets_everything():
    queue = GuessQueue(Clock(), Pace(per_minute=6, burst=1))
    queue.attempt("a", SAME, "x", PW)
    assert not queue.attempt("b", SAME, "x", PW).checked
    queue.reset()
    assert queue.attempt("b", SAME, PW, PW).accepted


def simulate_a_day(attempt, attackers: int = 3) -> tuple[list[float | None], list[int]]:
    """24 h on one address: `attackers` sessions guess without pause, each guess from a fresh
    session (so none of them ever counts as served); every 10 minutes a visitor who knows the
    password opens a fresh session, submits, and asks again every second for up to 5 minutes.

    `attempt(session, guess, now)` returns (checked, accepted). Returns each visit's seconds
    from submitting to getting in (None: not in within 5 minutes) and the attackers' checked
    guesses in each minute.
    """
    fresh = itertools.count()
    slots = [f"attacker-{next(fresh)}" for _ in range(attackers)]
    visits: list[float | None] = []
    per_minute = [0] * 1440
    visitor, arrived = None, 0
    for second in range(86_400):
        for i, session in enumerate(slots):
            checked, _ = attempt(session, f"guess {second}", second)
            if checked:
                per_minute[second // 60] += 1
                slots[i] = f"attacker-{next(fresh)}"
        if second % 600 == 300:
            visitor, arrived = f"visitor-{second}", second
            visits.append(None)
        if visitor is not None:
            checked, accepted = attempt(visitor, PW, second)
            if accepted:
                visits[-1] = second - arrived
            if checked or second - arrived >= 300:
                visitor = None
    return visits, per_minute


def test_a_visitor_gets_in_within_a_minute_all_day_while_another_client_guesses():
    # The lockout this replaces let the visitor in 0 of these 144 visits (it refused every
    # attempt from the address unchecked), while still checking the attackers' guesses.
    clock = Clock()
    queue = GuessQueue(clock)

    def attempt(session: str, guess: str, now: int) -> tuple[bool, bool]:
        clock.now = float(now)
        verdict = queue.attempt(session, SAME, guess, PW)
        return verdict.checked, verdict.accepted

    visits, per_minute = simulate_a_day(attempt)
    assert len(visits) == 144
    assert all(v is not None and v <= 60 for v in visits), visits
    assert max(per_minute[1:]) <= 8  # after the first minute's burst
    assert sum(per_minute) <= 8 * 1440


def test_passes_are_signed_expire_and_die_with_the_password():
    now = 1_800_000_000.0
    token = issue_pass(PW, now=now, days=30)
    assert pass_ok(token, PW, now=now + 29 * 86400)
    assert not pass_ok(token, PW, now=now + 31 * 86400)  # expired
    assert not pass_ok(token, "a new password", now=now)  # the host changed the password
    version, expires, signature = token.split(".")
    later = f"{version}.{int(expires) + 86400 * 365}.{signature}"
    assert not pass_ok(later, PW, now=now)  # a longer life cannot be forged
    assert PW not in token
    for junk in (None, "", "p1", "p1.x.y", "p1.99999999999.ü", "x" * 300, token + "0"):
        assert not pass_ok(junk, PW, now=now)


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


def upload_limit_mb() -> int:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"][
        "maxUploadSize"
    ]


def test_uploads_are_capped_small_because_they_come_before_the_gate():
    # Streamlit takes uploads from anyone who reaches it, password or not.
    assert 1 <= upload_limit_mb() <= 2


def test_dockerfile_says_an_internet_instance_needs_a_proxy_with_auth_and_limits():
    comments = " ".join(re.findall(r"^#(.*)$", (ROOT / "Dockerfile").read_text(), re.M))
    assert re.search(r"reverse proxy that authenticates", comments)
    assert "limits request bodies" in comments


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
    assert "**On the internet: required.**" in hosting
    assert f"`server.maxUploadSize = {upload_limit_mb()}` (MB)" in hosting
    body_limit = re.search(r"client_max_body_size (\d+)m;", hosting)
    assert body_limit and int(body_limit.group(1)) > upload_limit_mb()
    assert "limit_req zone=" in hosting  # and a rate limit
    assert "st.login" in hosting and "[auth]" in hosting


def test_readme_names_every_length_field_the_max_tokens_limit_holds():
    (row,) = [r for r in readme_section("Hosting").splitlines() if r.startswith("| `MAX_TOKENS")]
    for name in LENGTH_FIELDS:
        assert f"`{name}`" in row, name
    assert "`ignore_eos`" in row


def test_readme_says_the_trade_off_of_the_password_and_that_ssrf_is_by_design():
    hosting = readme_section("Hosting")
    assert "**The trade-off.**" in hosting and "OpenID Connect" in hosting
    assert "SSRF" in hosting and "by design" in hosting


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
