"""The playground page under AppTest, talking to the fake relay over real HTTP."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from streamlit.testing.v1 import AppTest

from lib.ui import keys
from tests.support.app import (
    APP,
    KEY,
    all_text,
    choice_texts,
    document_completion,
    document_data,
    document_text,
    open_sections,
    plain,
    prompt_box,
    set_model,
    shown,
    submit,
)
from tests.support.bodies import default_body


@pytest.fixture
def app(make_app) -> AppTest:
    return make_app()


def test_defaults_reach_the_server_exactly(app, relay):
    prompt_box(app).set_value("Once upon a time")
    submit(app)
    assert relay.last["path"] == "/v1/completions"
    assert relay.last["body"] == default_body("Once upon a time")
    assert relay.last["headers"]["accept"] == "text/event-stream"
    expected = relay.expected_text(relay.last["body"])
    assert choice_texts(app) == [expected]
    assert "finish_reason: length" in all_text(app)


def test_every_parameter_reaches_the_request_body(app, relay):
    open_sections(app)
    set_model(app, "fake-instruct")
    prompt_box(app).set_value("Q: 2+2?")
    app.number_input(key="max_tokens").set_value(5)
    app.slider(key="temperature").set_value(0.0)
    app.slider(key="top_p").set_value(0.5)
    app.number_input(key="n").set_value(2)
    app.toggle(key="stream").set_value(False)
    app.selectbox(key="logprobs").set_value(3)
    app.multiselect(key="stop").set_value(["\\n", "###"])
    app.text_input(key="suffix").set_value("END")
    app.toggle(key="echo").set_value(True)
    app.slider(key="presence_penalty").set_value(0.5)
    app.slider(key="frequency_penalty").set_value(-0.5)
    app.number_input(key="best_of").set_value(3)
    app.text_area(key="logit_bias").set_value('{"50256": -100}')
    app.number_input(key="seed").set_value(42)
    app.text_input(key="user").set_value("tester")
    app.text_area(key="extra_json").set_value('{"top_k": 40}')
    app.text_input(key="start_text").set_value("\\nA:")
    app.run()
    submit(app)
    assert relay.last["body"] == {
        "model": "fake-instruct",
        "prompt": "Q: 2+2?\nA:",
        "max_tokens": 5,
        "temperature": 0.0,
        "top_p": 0.5,
        "n": 2,
        "stream": False,
        "logprobs": 3,
        "stop": ["\n", "###"],
        "suffix": "END",
        "echo": True,
        "presence_penalty": 0.5,
        "frequency_penalty": -0.5,
        "best_of": 3,
        "logit_bias": {"50256": -100},
        "seed": 42,
        "user": "tester",
        "top_k": 40,
    }
    assert relay.last["headers"]["accept"] == "application/json"
    assert len(choice_texts(app)) == 2


def test_single_stop_is_sent_as_a_string(app, relay):
    app.multiselect(key="stop").set_value(["\\n"])
    submit(app)
    assert relay.last["body"]["stop"] == "\n"


@pytest.mark.parametrize(
    ("key", "kind", "value", "message"),
    [
        ("logit_bias", "text_area", "{bad json", "logit_bias is not valid JSON"),
        ("logit_bias", "text_area", '{"5": 500}', "between -100 and 100"),
        ("extra_json", "text_area", "[1, 2]", "must be a JSON object"),
    ],
)
def test_invalid_input_shows_message_and_disables_submit(app, relay, key, kind, value, message):
    open_sections(app)
    getattr(app, kind)(key=key).set_value(value)
    app.run()
    assert not app.exception
    assert message in shown(app.warning)
    assert app.button(key="btn_submit").disabled
    assert relay.received == []


def test_blank_model_is_explained(app, relay):
    set_model(app, "   ")
    assert "model is required" in shown(app.warning)
    assert app.button(key="btn_submit").disabled


def test_best_of_with_stream_is_explained(app):
    open_sections(app)
    app.number_input(key="best_of").set_value(2)
    app.run()
    assert "best_of cannot be used with stream" in shown(app.warning)


def test_token_prompt_forms(app, relay):
    app.button_group(key="prompt_mode").set_value("tokens")
    prompt_box(app).set_value("[1, 2, 3]")
    submit(app)
    assert relay.last["body"]["prompt"] == [1, 2, 3]
    prompt_box(app).set_value("[1, -2]")
    app.run()
    assert "token ids must be whole numbers" in shown(app.warning)


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("scenario/http_429", ["Rate limited or out of quota", "HTTP 429", "retry after 7 s"]),
        ("scenario/http_401", ["API key rejected", "HTTP 401", "Incorrect API key"]),
        ("scenario/http_502_html", ["HTTP 502", "Bad Gateway"]),
        ("scenario/garbage", ["neither an event stream nor JSON"]),
        ("scenario/reset", ["127.0.0.1 closed the connection without answering"]),
    ],
)
def test_server_errors_render_and_page_stays_usable(app, relay, model, expected):
    set_model(app, model)
    submit(app)
    errors = shown(app.error)
    for piece in expected:
        assert piece in errors
    assert "<html" not in errors.lower()
    assert not app.button(key="btn_submit").disabled


def test_partial_text_is_kept_when_the_stream_breaks(app, relay):
    set_model(app, "scenario/stream_error_object")
    submit(app)
    assert choice_texts(app) and choice_texts(app)[0]
    assert "upstream overloaded" in shown(app.error)
    record = app.session_state["history"][-1]
    assert record["status"] == "error"
    assert record["response"]["choices"][0]["text"] == choice_texts(app)[0]


def test_n_choices_side_by_side_and_fewer_than_asked(app, relay):
    app.number_input(key="n").set_value(3)
    submit(app)
    body = relay.last["body"]
    assert choice_texts(app) == [relay.expected_text(body, i) for i in range(3)]
    relay.options["max_choices"] = 1
    submit(app)
    assert len(choice_texts(app)) == 1
    assert "Asked for n=3 choices; the server returned 1." in shown(app.info)


def test_batch_note_counts_prompts_times_n(app, relay):
    app.segmented_control(key="prompt_mode").set_value("strings").run()
    prompt_box(app).set_value('["Say A", "Say B"]')
    relay.options["max_choices"] = 1
    submit(app)
    assert relay.last["body"]["prompt"] == ["Say A", "Say B"]
    assert "2 prompts × n=1 = 2 choices expected; the server returned 1." in shown(app.info)
    assert "Asked for n=2" not in shown(app.info)


def test_failed_request_that_received_nothing_shows_the_error_alone(app, relay):
    set_model(app, "scenario/http_401")
    submit(app)
    assert "401" in shown(app.error)
    text = all_text(app)
    assert "speed counts" not in text and "Response id" not in text
    assert not app.metric


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.span_text: list[str] = []
        self._in_span = False

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self._in_span = tag == "span"

    def handle_endtag(self, tag):
        self._in_span = False

    def handle_data(self, data):
        if self._in_span:
            self.span_text.append(data)


def _json_prompt(app, prompt: str = '["Tell me"]') -> None:
    """The list-of-texts form: results show as cards, as before the document."""
    app.segmented_control(key="prompt_mode").set_value("strings").run()
    prompt_box(app).set_value(prompt)


def test_logprobs_view_escapes_model_output(app, relay):
    evil = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    relay.options["text"] = evil
    app.selectbox(key="logprobs").set_value(2)
    _json_prompt(app)
    submit(app)
    parser = _Tags()
    parser.feed("".join(h.proto.body for h in app.html))
    # Only our own markup is there; the model's tags arrive as text.
    assert parser.tags == {"style", "div", "span"}
    assert "".join(parser.span_text) == evil
    assert "perplexity" in all_text(app)


def test_the_document_gets_model_text_and_tokens_as_data(app, relay):
    evil = "<img src=x onerror=alert(1)>"
    relay.options["text"] = evil
    app.selectbox(key="logprobs").set_value(2)
    submit(app)
    assert document_completion(app) == evil
    # The document shades its own tokens: no second copy of the text as HTML.
    assert not [h for h in app.html if "onerror" in h.proto.body]
    assert "tokens" not in document_data(app)["doc"]["segments"][-1]
    app.toggle(key="show_probabilities").set_value(True).run()
    model = document_data(app)["doc"]["segments"][-1]
    assert "".join(t[0] for t in model["tokens"]) == evil
    assert all(0 < t[1] <= 1 for t in model["tokens"])
    assert "perplexity" in all_text(app)


def test_stats_show_usage_and_response_id(app, relay):
    open_sections(app, keys.RUN_DETAILS)
    submit(app)
    stats = {m.label: m.value for m in app.metric}
    assert stats["Tokens (prompt / completion / total)"] == "0 / 256 / 256"
    assert "tokens/s" in stats
    assert "cmpl" in all_text(app)


def test_a_run_too_short_to_time_shows_no_speed(app, relay):
    # Issue #18: the fake relay answers 256 tokens at once; "12345.6 tokens/s" meant nothing.
    open_sections(app, keys.RUN_DETAILS)
    submit(app)
    assert {m.label: m.value for m in app.metric}["tokens/s"] == "—"
    line = next(plain(c.value) for c in app.caption if plain(c.value).startswith("Status:"))
    assert " · — tokens/s · " in line, line


def test_no_key_for_remote_host_sends_nothing(monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "https://api.gptnb.me/v1")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception
    assert "Add an API key" in shown(at.info)
    assert at.button(key="btn_submit").disabled


def test_key_from_secrets_is_sent_and_never_shown(relay, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", relay.base_url)
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["OPENAI_API_KEY"] = KEY
    at.run()
    submit(at)
    assert relay.last["headers"]["authorization"] == f"Bearer {KEY}"
    assert any("key from secrets" in c.value for c in at.caption)
    assert KEY not in str([e.proto for e in at.main]) + str([e.proto for e in at.sidebar])
    assert KEY not in repr(at.session_state["history"])


def test_test_connection_reports_model_count_and_fills_model_list(app, relay):
    app.button(key="test_connection").click().run()
    assert "Connected: 3 models available." in shown(app.success)
    assert "fake-slow" in app.selectbox(key="model").options


def test_test_connection_reports_errors(app, relay):
    relay.scenario = "http_401"
    app.button(key="test_connection").click().run()
    assert "Connection failed: API key rejected. HTTP 401" in shown(app.error)


def test_sending_again_sends_the_whole_document_with_start_and_restart_text(app, relay):
    open_sections(app)
    prompt_box(app).set_value("Start")
    app.number_input(key="max_tokens").set_value(3)
    app.text_input(key="start_text").set_value("\\nA:")
    app.text_input(key="restart_text").set_value("\\nQ:")
    submit(app)
    assert relay.last["body"]["prompt"] == "Start\nA:"
    first = relay.expected_text(relay.last["body"])
    assert document_text(app) == "Start\nA:" + first + "\nQ:"
    assert document_completion(app) == first  # only the model's words are tinted
    submit(app)
    assert relay.last["body"]["prompt"] == "Start\nA:" + first + "\nQ:" + "\nA:"


def test_regenerate_replaces_the_last_completion_in_the_document(app, relay):
    prompt_box(app).set_value("again")
    app.number_input(key="max_tokens").set_value(3)
    submit(app)
    first = relay.expected_text(relay.last["body"])
    assert document_text(app) == "again" + first
    app.button(key="btn_regenerate").click().run()
    assert len(relay.received) == 2 and relay.last["body"]["prompt"] == "again"
    assert document_text(app) == "again" + relay.expected_text(relay.last["body"])


def test_undo_takes_the_last_completion_out(app, relay):
    prompt_box(app).set_value("keep me")
    app.number_input(key="max_tokens").set_value(3)
    assert app.button(key="btn_undo").disabled
    submit(app)
    submit(app)
    second = relay.expected_text(relay.last["body"])
    assert document_text(app).endswith(second)
    app.button(key="btn_undo").click().run()
    assert document_text(app) == relay.last["body"]["prompt"]
    app.button(key="btn_undo").click().run()
    assert document_text(app) == "keep me"
    assert app.button(key="btn_undo").disabled
    assert prompt_box(app).value == "keep me"


def test_regenerate_sends_the_last_request_again_in_the_json_forms(app, relay):
    _json_prompt(app, '["again"]')
    submit(app)
    first = relay.last["body"]
    prompt_box(app).set_value('["changed but not submitted"]')
    app.button(key="btn_regenerate").click().run()
    assert len(relay.received) == 2 and relay.last["body"] == first


def test_each_run_is_recorded_for_the_history(app, relay):
    submit(app)
    set_model(app, "scenario/http_500")
    submit(app)
    history = app.session_state["history"]
    assert [h["status"] for h in history] == ["ok", "error"]
    assert history[0]["request"] == relay.received[0]["body"]
    assert history[0]["base_url"] == relay.base_url
    assert history[1]["error"]["status"] == 500
    assert history[0]["timings"]["total_s"] > 0


def test_finished_stream_that_never_closes_is_called_done(app, relay):
    # Every choice has its finish_reason, then only keep-alives: the page does not hang.
    relay.scenario = "no_done"
    relay.options["linger_seconds"] = 20
    app.number_input(key="max_tokens").set_value(3)
    submit(app)
    assert app.session_state["history"][-1]["status"] == "ok"
    assert choice_texts(app) == [relay.expected_text(relay.last["body"])]


def test_unparseable_base_url_is_explained_not_raised(monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://[::1:8000/v1")
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception
    assert "must start with http:// or https://" in shown(at.info)
    assert at.button(key="btn_submit").disabled


def test_key_that_cannot_be_sent_is_explained(relay, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", relay.base_url)
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["OPENAI_API_KEY"] = "sk-\u200bbroken"
    at.run()
    assert not at.exception
    assert "paste it again" in shown(at.info)
    assert at.button(key="btn_submit").disabled
    at.button(key="test_connection").click().run()
    assert not at.exception
    assert relay.received == []


@pytest.mark.parametrize("where", ["submit", "test_connection"])
def test_server_message_markdown_is_not_rendered(app, relay, where):
    hostile = ":red[REVOKED] ![x](http://evil/t.png) $x^2$ <b>b</b>"
    relay.scenario = "http_403"
    relay.options["error_message"] = hostile
    if where == "submit":
        submit(app)
    else:
        app.button(key="test_connection").click().run()
    error = " ".join(e.value for e in app.error)
    # The element text has every markdown character escaped; a reader sees it verbatim.
    assert hostile in plain(error)
    for active in (r":red", r"!\[", r"\$x", r"<b"):
        assert not re.search(r"(?<!\\)" + active, error), active


def test_regenerate_says_it_resends_the_last_request_not_the_edited_form(app, relay):
    _json_prompt(app, '["First"]')
    submit(app)
    assert "The form differs" not in all_text(app)
    prompt_box(app).set_value('["Edited"]')
    app.run()
    assert app.button(key="btn_regenerate").label == "Regenerate"
    assert "Submit sends the form; Regenerate re-sends the last request" in all_text(app)
    app.button(key="btn_regenerate").click().run()
    assert relay.last["body"]["prompt"] == ["First"]


@pytest.mark.parametrize("stream", [True, False])
def test_implausible_usage_is_treated_as_absent(app, relay, stream):
    relay.options["usage"] = {"completion_tokens": 10**400, "total_tokens": -3}
    open_sections(app, keys.RUN_DETAILS)  # the speed note is among the details
    app.toggle(key="stream").set_value(stream)
    prompt_box(app).set_value("Count")
    submit(app)
    assert choice_texts(app) == [relay.expected_text(relay.last["body"])]
    # Not the server's numbers: the default model's tiktoken encoding counts instead (#21).
    assert "counted with the connection's tokenizer" in all_text(app)
    submit(app)  # and the page keeps working for the rest of the session
    assert not app.exception
    assert app.session_state["history"][-1]["stats"]["tokens_counted_from"] == "tokenizer"


def test_a_hosted_max_tokens_limit_is_explained_and_blocks_submit(make_app, relay, monkeypatch):
    monkeypatch.setenv("MAX_TOKENS_LIMIT", "100")
    at = make_app()
    assert "max_tokens may be at most 100 on this instance (got 256)." in shown(at.warning)
    assert at.button(key="btn_submit").disabled
    at.number_input(key="max_tokens").set_value(None).run()
    assert "This instance needs max_tokens (at most 100)." in shown(at.warning)
    at.number_input(key="max_tokens").set_value(100).run()
    submit(at)
    assert relay.last["body"]["max_tokens"] == 100


def test_an_endless_stream_is_cut_at_the_output_limit(make_app, relay, monkeypatch):
    monkeypatch.setenv("MAX_OUTPUT_CHARS", "2000")
    relay.options["endless"] = True
    at = make_app()
    submit(at)
    assert "Output cut at 2004 characters" in shown(at.warning)
    assert len(choice_texts(at)[-1]) == 2004  # whole chunks of "lorem ipsum "
    assert relay.wait_for(lambda: relay.disconnects >= 1, timeout=5)
    assert at.session_state["history"][-1]["stats"]["cut_at_chars"] == 2004


def test_a_huge_answer_is_offered_as_a_download_not_drawn(app, relay):
    relay.options["padding"] = 400_000
    open_sections(app, keys.RUN_DETAILS)
    app.toggle(key="stream").set_value(False)
    prompt_box(app).set_value("Big")
    submit(app)
    assert choice_texts(app)[-1] == relay.expected_text(relay.last["body"])
    assert "The response is 391 KB: too large to show here." in all_text(app)
    assert not [j for j in app.json if "padding" in str(j.value)]


def test_a_finished_huge_text_shows_its_head_and_offers_the_whole(make_app, relay, monkeypatch):
    monkeypatch.setenv("MAX_OUTPUT_CHARS", "120000")
    relay.options["endless"] = True
    at = make_app()
    _json_prompt(at)
    submit(at)
    assert len(choice_texts(at)[-1]) == 100_000
    assert "Showing the first 100000 of 120012 characters." in all_text(at)
    assert at.get("download_button")


def test_markdown_preview_renders_the_document_without_images_or_html(app, relay):
    relay.options["text"] = " **bold** ![x](http://example.com/t.png) <b>tag</b>"
    prompt_box(app).set_value("# Title")
    submit(app)
    app.toggle(key="render_markdown").set_value(True).run()
    assert document_data(app) is None  # the preview replaces the editor
    preview = " ".join(str(m.value) for m in app.markdown)
    assert "# Title **bold**" in preview
    assert "![x]" not in preview  # images are not fetched
    app.toggle(key="render_markdown").set_value(False).run()
    assert document_text(app).startswith("# Title **bold**")


def test_closed_sections_are_not_drawn_and_their_fields_are_still_sent(app, relay):
    """Advanced, Inject, Presets and the Share menu draw their fields only while open: a
    first screen with less to draw. What was set in one is still what is sent, and shown
    again when it opens."""
    drawn = {w.key for w in app.sidebar.text_input} | {w.key for w in app.sidebar.text_area}
    assert not drawn & {"suffix", "user", "extra_json", "start_text", "preset_name"}
    assert not [c for c in app.code if "completions" in c.value]  # the menu's nine snippets
    open_sections(app)
    app.text_input(key="suffix").set_value("END")
    app.text_area(key="extra_json").set_value('{"top_k": 40}')
    app.text_input(key="start_text").set_value("\\nA:")
    app.text_input(key="preset_name").set_value("Mine")
    app.run()
    assert len([c for c in app.code if "completions" in c.value]) >= 9
    for name in (keys.ADVANCED_SECTION, keys.INJECT_SECTION, keys.PRESETS_SECTION,
                 keys.SHARE_MENU):  # fmt: skip
        app.session_state[name] = False  # closed again, as a click on its title does
    app.run()
    assert "suffix" not in {w.key for w in app.sidebar.text_input}
    prompt_box(app).set_value("Q")
    submit(app)
    body = relay.last["body"]
    assert (body["suffix"], body["top_k"], body["prompt"]) == ("END", 40, "Q\nA:")
    open_sections(app)
    assert app.text_input(key="suffix").value == "END"
    assert app.text_area(key="extra_json").value == '{"top_k": 40}'
    assert app.text_input(key="preset_name").value == "Mine"
