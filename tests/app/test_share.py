"""Share links, request import/export, View code and hosted mode, under AppTest."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.request.fields import DEFAULTS
from lib.request.share import COMPRESSED_PROMPT, to_query
from tests.support.app import APP, open_sections, plain, prompt_box, shown, submit
from tests.support.seed import SEED_CURL

KEY = "sk-share-SECRET-777"


def url_params(at: AppTest) -> dict:
    return {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}


def every_text(at: AppTest) -> str:
    """Everything the page shows or holds in its elements, as one string."""
    return str([e.proto for e in at.main]) + str([e.proto for e in at.sidebar])


def test_link_opens_the_same_request(make_app, relay):
    query = {"prompt": "Shared prompt", "temperature": "0.2", "max_tokens": "12",
             "stop": '["\\\\n"]', "logprobs": "2", "model": "fake-instruct"}  # fmt: skip
    at = make_app(query)
    assert prompt_box(at).value == "Shared prompt"
    assert at.slider(key="temperature").value == 0.2
    assert at.multiselect(key="stop").value == ["\\n"]
    submit(at)
    body = relay.last["body"]
    assert (body["prompt"], body["temperature"], body["max_tokens"]) == ("Shared prompt", 0.2, 12)
    assert (body["stop"], body["logprobs"], body["model"]) == ("\n", 2, "fake-instruct")


def test_url_follows_the_widgets(make_app):
    at = make_app()
    assert url_params(at) == {}
    prompt_box(at).set_value("hello").run()
    at.slider(key="top_p").set_value(0.5).run()
    assert url_params(at) == {"prompt": "hello", "top_p": "0.5"}
    at.slider(key="top_p").set_value(1.0).run()
    assert url_params(at) == {"prompt": "hello"}


def test_a_prompt_too_long_for_a_link_is_left_out_of_it_and_exported_as_a_download(make_app):
    # Issue 19: a huge document's redraws must not build (and send) megabytes of link and code.
    at = make_app()
    open_sections(at)
    prompt_box(at).set_value("x" * 150_000).run()
    at.slider(key="top_p").set_value(0.5).run()
    assert url_params(at) == {"top_p": "0.5"}
    assert "150,000 characters: too long for a link" in shown(at.warning)
    assert not any("x" * 1000 in c.value for c in at.code)  # neither export nor code inline
    assert at.get("download_button")  # the request and the code are downloads


def test_long_chinese_prompt_link(make_app, relay):
    rng = random.Random(3)
    prompt = "".join(rng.choice("你好世界模型补全接口请求参数温度标记概率") for _ in range(20_000))
    at = make_app(to_query({**DEFAULTS, "prompt": prompt}))
    assert prompt_box(at).value == prompt
    submit(at)
    assert relay.last["body"]["prompt"] == prompt
    assert COMPRESSED_PROMPT in url_params(at)


def test_bad_link_opens_with_defaults_and_a_note(make_app):
    at = make_app({"temperature": "9", "n": "-1", "stream": "perhaps", "bogus": "1",
                   COMPRESSED_PROMPT: "@@@", "max_tokens": "40"})  # fmt: skip
    assert at.slider(key="temperature").value == DEFAULTS["temperature"]
    assert at.number_input(key="n").value == 1
    assert at.number_input(key="max_tokens").value == 40
    note = shown(at.warning)
    for piece in ("temperature=9", "n=-1", "stream=perhaps", "'bogus'", "prompt is damaged"):
        assert piece in note


def test_share_link_never_holds_key_or_server(make_app, relay):
    at = make_app(secrets={"OPENAI_API_KEY": KEY})
    open_sections(at)
    at.text_input(key="api_key").set_value(KEY + "-typed").run()
    prompt_box(at).set_value("share me").run()
    share_code = [c.value for c in at.code if c.value.startswith(("http", "/?"))]
    assert share_code and all("prompt=share%20me" in c for c in share_code)
    assert KEY not in json.dumps(url_params(at)) and "127.0.0.1" not in json.dumps(url_params(at))
    assert KEY not in every_text(at)


def test_export_then_import_restores_the_widgets(make_app, relay):
    at = make_app()
    open_sections(at)
    prompt_box(at).set_value("round trip")
    at.number_input(key="max_tokens").set_value(33)
    at.selectbox(key="logprobs").set_value(1)
    at.multiselect(key="stop").set_value(["###"])
    at.text_area(key="extra_json").set_value('{"top_k": 7}')
    at.run()
    exported = next(c.value for c in at.code if c.language == "json" and "round trip" in c.value)
    assert list(json.loads(exported))[:3] == ["model", "prompt", "max_tokens"]
    fresh = open_sections(make_app())
    fresh.text_area(key="import_request_text").set_value(exported)
    fresh.button(key="import_request").click().run()
    assert "Request loaded into the form." in shown(fresh.success)
    assert prompt_box(fresh).value == "round trip"  # in the document
    assert fresh.text_area(key="extra_json").value == '{"top_k": 7}'
    assert fresh.number_input(key="max_tokens").value == 33
    assert fresh.selectbox(key="logprobs").value == 1
    assert fresh.multiselect(key="stop").value == ["###"]


def test_import_the_seed_curl_command(make_app, relay):
    at = make_app()
    open_sections(at)
    at.text_area(key="import_request_text").set_value(SEED_CURL)
    at.button(key="import_request").click().run()
    assert prompt_box(at).value == "Say this is a test"
    assert at.toggle(key="stream").value is False
    submit(at)
    assert relay.last["body"] == {
        "model": "gpt-3.5-turbo-instruct", "prompt": "Say this is a test", "max_tokens": 7,
        "temperature": 0.0, "top_p": 1.0, "n": 1, "stream": False, "stop": "\n",
    }  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "curl https://api.gptnb.me/v1/completions -H 'Content-Type: application/json' \\\n"
        '  -d \'{"model": "fake-instruct", "prompt": "no stream", "max_tokens": 4}\'',
        '{"model": "fake-instruct", "prompt": "no stream", "max_tokens": 4}',
    ],
    ids=["curl", "json"],
)
def test_an_import_without_stream_is_sent_without_stream(make_app, relay, text):
    at = make_app()
    open_sections(at)
    at.text_area(key="import_request_text").set_value(text)
    at.button(key="import_request").click().run()
    assert at.toggle(key="stream").value is False
    submit(at)
    assert relay.last["body"]["prompt"] == "no stream"
    assert "stream" not in relay.last["body"] and "stream_options" not in relay.last["body"]


def test_import_errors_are_explained(make_app):
    at = make_app()
    open_sections(at)
    at.text_area(key="import_request_text").set_value("{nope")
    at.button(key="import_request").click().run()
    assert "not valid JSON" in shown(at.error)
    assert prompt_box(at).value == ""


def test_view_code_uses_placeholder_never_the_key(make_app, relay):
    at = make_app(secrets={"OPENAI_API_KEY": KEY})
    open_sections(at)
    prompt_box(at).set_value("code please").run()
    snippets = [c.value for c in at.code if "completions" in c.value]
    assert len(snippets) >= 9
    assert all("OPENAI_API_KEY" in s or "{{YOUR_API_KEY}}" in s for s in snippets)
    assert all(KEY not in s for s in snippets)
    host = relay.base_url.split("//")[1].split("/")[0]
    assert all(host in s for s in snippets)  # the SDKs and raw HTTP split URL and path


def test_locked_base_url_hides_the_field(make_app, relay):
    at = make_app(secrets={"LOCK_BASE_URL": True, "OPENAI_BASE_URL": relay.base_url})
    assert "base_url" not in [t.key for t in at.text_input]
    at.session_state["base_url"] = "http://10.0.0.1/v1"  # e.g. left over; must be ignored
    prompt_box(at).set_value("locked").run()
    submit(at)
    assert relay.last["body"]["prompt"] == "locked"
    assert any("set by the host" in plain(c.value) for c in at.caption)


def test_password_gate(make_app, relay):
    at = make_app(secrets={"APP_PASSWORD": "open sesame", "OPENAI_API_KEY": KEY})
    assert [t.key for t in at.text_input] == ["app_password"]
    assert not at.text_area  # nothing of the app renders
    at.text_input(key="app_password").set_value("wrong")
    at.button[0].click().run()
    assert "Wrong password." in [e.value for e in at.error]
    assert not at.text_area
    at.text_input(key="app_password").set_value("open sesame")
    at.button[0].click().run()
    assert prompt_box(at) is not None
    assert KEY not in every_text(at)


@pytest.mark.parametrize("page", ["pages/playground.py", "pages/history.py"])
def test_password_gate_holds_when_a_page_is_opened_directly(relay, monkeypatch, page):
    # A fresh server routes /playground straight to the page script, without streamlit_app.py.
    monkeypatch.setenv("OPENAI_BASE_URL", relay.base_url)
    at = AppTest.from_file(str(Path(APP).parent / page), default_timeout=30)
    at.secrets["APP_PASSWORD"] = "open sesame"
    at.secrets["OPENAI_API_KEY"] = KEY
    at.run()
    assert not at.exception
    assert [t.key for t in at.text_input] == ["app_password"]
    assert not at.text_area and relay.received == []


def test_configured_key_never_goes_to_a_typed_server(make_app, relay, dead_base_url):
    at = make_app(secrets={"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": relay.base_url})
    other = relay.base_url.replace("/v1", "/other/v1")  # a server someone typed in
    at.text_input(key="base_url").set_value(other).run()
    assert "only sent to the configured server" in " ".join(c.value for c in at.caption)
    prompt_box(at).set_value("where does my key go").run()
    submit(at)  # loopback needs no key, so the request goes out: without the team key
    assert relay.last["path"] == "/other/v1/completions"
    assert "authorization" not in relay.last["headers"]
    at.text_input(key="base_url").set_value(relay.base_url).run()
    submit(at)
    assert relay.last["headers"]["authorization"] == f"Bearer {KEY}"


def test_lone_surrogates_from_links_and_imports_do_not_break_the_page(make_app, relay):
    at = make_app({"start_text": "\\ud800", "stop": '["\\\\udfff"]'})
    open_sections(at)
    assert not at.exception
    at.text_area(key="import_request_text").set_value('{"model": "m", "prompt": "a\\ud800b"}')
    at.button(key="import_request").click().run()
    assert not at.exception
    assert prompt_box(at).value == "a\ufffdb"
    submit(at)
    assert relay.last["body"]["prompt"] == "a\ufffdb"  # the import replaced the start text


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"extra_json": '{"x": "\\ud800"}'}, "extra_json"),
        ({"logit_bias": '{"50256": -100, "\\udc00": 1}'}, "logit_bias"),
        ({"prompt_mode": "strings", "prompt": '["ok", "\\ud800"]'}, "prompt"),
    ],
)
def test_an_escaped_lone_surrogate_in_a_json_link_value_is_rejected(make_app, relay, query, field):
    at = make_app(query)  # no exception box: the playground is drawn
    open_sections(at)
    note = shown(at.warning)
    assert f"{field}=" in note and "is not a valid value; it was reset to the default" in note
    assert at.text_area(key=field).value == DEFAULTS[field]
    prompt_box(at).set_value('["surrogate-free"]').run()
    submit(at)
    assert "\\ud" not in json.dumps(relay.last["body"]) and "x" not in relay.last["body"]


def test_a_lone_surrogate_typed_into_extra_json_is_replaced(make_app, relay):
    at = make_app()
    open_sections(at)
    at.text_area(key="extra_json").set_value('{"tag": "a\\ud800b"}').run()
    assert not at.exception
    submit(at)
    assert relay.last["body"]["tag"] == "a\ufffdb"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"extra_json": '{"top_k": ' + "4" * 5000 + "}"}, "extra JSON"),
        ({"logit_bias": '{"50256": ' + "1" * 5000 + "}"}, "logit_bias"),
        ({"prompt_mode": "tokens", "prompt": "[" + "7" * 5000 + "]"}, "prompt"),
    ],
)
def test_a_number_too_long_for_python_is_a_form_problem(make_app, relay, query, field):
    at = make_app(query)
    problems = shown(at.warning)
    assert f"{field} is not valid JSON: line 1, column" in problems
    assert "a number has more than 4300 digits" in problems
    assert at.button(key="btn_submit").disabled
