"""When the local model is offered, when it is the default, and how its server is started."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lib.config.settings import read
from lib.local import configured, default_is_local, offers_local, server_command
from lib.local.server import GUARD, HOST, free_loopback_port, is_ready, model_ids

NOTHING: dict = {}


@pytest.mark.parametrize(
    ("secrets", "environ", "offered", "default"),
    [
        (NOTHING, NOTHING, True, True),  # a fresh install: the local model answers
        (NOTHING, {"OPENAI_API_KEY": "sk-env"}, False, False),
        (NOTHING, {"OPENAI_BASE_URL": "https://team.example/v1"}, False, False),
        ({"OPENAI_API_KEY": "sk-sec"}, NOTHING, False, False),
        ({"LOCK_BASE_URL": True}, NOTHING, False, False),  # hosted lock
        ({"LOCK_BASE_URL": True, "ALLOW_LOCAL_MODEL": True}, NOTHING, True, True),
        ({"ALLOW_LOCAL_MODEL": "yes"}, {"OPENAI_API_KEY": "sk-env"}, True, False),
    ],
)  # fmt: skip
def test_the_local_model_is_offered_and_chosen_only_when_nothing_names_a_server(
    secrets, environ, offered, default
):
    settings = read(secrets, environ)
    assert offers_local(settings, installed=True) is offered
    assert default_is_local(settings, True, None, None) is default
    # Not installed: never offered, whatever the settings say.
    assert offers_local(settings, installed=False) is False
    assert default_is_local(settings, False, None, None) is False


@pytest.mark.parametrize(("url", "key"), [("http://10.0.0.2/v1", None), (None, "sk-typed")])
def test_a_server_typed_in_the_sidebar_is_not_replaced_by_the_local_model(url, key):
    settings = read({}, {})
    assert not configured(settings)
    assert default_is_local(settings, True, url, key) is False
    assert default_is_local(settings, True, "  ", "") is True  # blank fields are not typed


def test_the_server_command_binds_to_loopback_on_the_given_port():
    cmd = server_command(Path("/cache/m.gguf"), 41234, python="/py")
    # Through guard.py, which ends the server with this process (tests/local/test_lifetime.py).
    assert cmd[:6] == ["/py", str(GUARD), str(os.getpid()), "-m", "llama_cpp.server", "--model"]
    assert cmd[cmd.index("--host") + 1] == HOST == "127.0.0.1"
    assert cmd[cmd.index("--port") + 1] == "41234"
    assert cmd[cmd.index("--model") + 1] == "/cache/m.gguf"
    assert "0.0.0.0" not in cmd


def test_readiness_needs_a_model_list(relay, dead_base_url):
    assert is_ready(relay.base_url) is True
    assert is_ready(dead_base_url) is False
    assert model_ids(relay.base_url) == ["fake-instruct", "gpt-3.5-turbo-instruct", "fake-slow"]
    relay.scenario = "models_garbage"
    assert model_ids(relay.base_url) == [] and is_ready(relay.base_url) is False
    assert 0 < free_loopback_port() < 65536


def test_token_id_prompts_are_refused_before_they_reach_the_local_server():
    from lib.local import local_problems

    for prompt in ([9906, 11], [[9906], [11]]):
        problems = local_problems({"model": "m", "prompt": prompt})
        assert [p.text("en") for p in problems] == [
            "The local model (llama.cpp) does not take token-id prompts; use Text or a list of "
            "texts, or connect to a server that does."
        ]
    for prompt in ("text", ["a", "b"], None):
        assert local_problems({"model": "m", "prompt": prompt}) == []
