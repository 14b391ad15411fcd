"""Tokens before sending and after a run, on the playground page against the fake relay's shapes."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lib.ui import keys
from tests.support.app import all_text, open_sections, plain, prompt_box, set_model, submit
from tests.support.fake_relay.generator import fake_tokens

PROMPT = "Once upon a time, a quick brown fox"


@pytest.fixture
def app(make_app) -> AppTest:
    return make_app()


@pytest.fixture
def shaped(make_app, relay):
    """The app against the relay answering as `shape` from the start (a server is probed once)."""

    def make(shape: str, query: dict | None = None, **options) -> AppTest:
        relay.options.update({"server_shape": shape, **options})
        return make_app(query)

    return make


def prompt_line(at: AppTest):
    return next(c for c in at.caption if plain(c.value).startswith("Prompt:"))


def status_line(at: AppTest) -> str:
    return next(plain(c.value) for c in at.caption if plain(c.value).startswith("Status:"))


def test_the_prompt_count_is_the_servers_and_says_so(shaped, relay):
    app = shaped("llama-cpp-python")
    set_model(app, "fake-instruct")
    prompt_box(app).set_value(PROMPT).run()
    line = prompt_line(app)
    assert plain(line.value) == f"Prompt: {len(fake_tokens(PROMPT))} tokens"
    assert "server's own tokenizer (llama-cpp-python)" in line.help
    assert relay.received == []  # counted before anything was sent


def test_without_a_tokenizer_the_count_is_an_estimate(app, relay):
    set_model(app, "fake-instruct")
    prompt_box(app).set_value("abcdefgh").run()
    line = prompt_line(app)
    assert plain(line.value) == "Prompt: ≈2 tokens"
    assert "estimate" in line.help


def test_an_openai_id_is_counted_with_tiktoken_and_has_a_context(app, relay):
    # The playground's default model is gpt-3.5-turbo-instruct (4,096 tokens).
    prompt_box(app).set_value("Hello world").run()
    assert plain(prompt_line(app).value) == (
        "Prompt: 2 tokens · context 258 / 4096 (prompt + max_tokens)"
    )
    assert "tiktoken (cl100k_base" in prompt_line(app).help


def test_over_the_context_warns_before_sending(shaped, relay):
    app = shaped("llama.cpp", n_ctx=300)
    prompt_box(app).set_value(PROMPT * 8).run()
    count = len(fake_tokens(PROMPT * 8))
    assert f"context {count + 256} / 300" in plain(prompt_line(app).value)
    warning = " ".join(plain(w.value) for w in app.warning)
    assert f"is {count + 256} tokens, more than this model's context of 300" in warning
    assert relay.received == []
    app.number_input(key="max_tokens").set_value(8).run()
    assert "context of" not in " ".join(plain(w.value) for w in app.warning)


def test_a_context_length_set_for_the_connection_is_used(app, relay):
    prompt_box(app).set_value("Hello world").run()
    # Closed, the section draws only the running total (its price table costs a cold second).
    assert not [n for n in app.number_input if n.key == "context_length"]
    app.session_state["tokens_section"] = True  # opened: its fields are drawn
    app.run()
    app.number_input(key="context_length").set_value(100).run()
    assert "context 258 / 100" in plain(prompt_line(app).value)
    assert "more than this model's context of 100" in all_text(app)


def test_a_stream_without_usage_shows_counted_tokens_and_tokens_per_second(shaped, relay):
    app = open_sections(shaped("llama-cpp-python", token_delay=0.01), keys.RUN_DETAILS)
    set_model(app, "fake-instruct")
    prompt_box(app).set_value(PROMPT)
    app.number_input(key="max_tokens").set_value(30)
    submit(app)
    body = relay.last["body"]
    completion = relay.expected_text(body)
    prompt_tokens = len(fake_tokens(PROMPT))
    completion_tokens = len(fake_tokens(completion, bos=False))
    line = status_line(app)
    total = prompt_tokens + completion_tokens
    assert f"{prompt_tokens} / {completion_tokens} / {total} (counted)" in line, line
    assert "tokens/s" in line and "chunks/s" not in line
    assert "counted with the connection's tokenizer" in all_text(app)


def test_llama_cpp_timings_show_prompt_and_generation_speed(shaped, relay):
    app = shaped("llama.cpp")
    prompt_box(app).set_value(PROMPT)
    submit(app)
    assert "prompt 500.0 t/s · generation 50.0 t/s" in status_line(app)


PRICED = '[{"model": "fake-instruct", "prompt": 1000, "completion": 2000, "currency": "EUR"}]'


def test_a_priced_run_shows_its_cost_in_the_status_line_history_export_and_total(make_app, relay):
    from lib.history.entries import export_document

    app = make_app(secrets={"PRICES": PRICED})
    set_model(app, "fake-instruct")
    prompt_box(app).set_value("Hello world")
    app.number_input(key="max_tokens").set_value(5)
    submit(app)
    usage = {"prompt_tokens": 2, "completion_tokens": 5}  # the fake relay's usage
    amount = (usage["prompt_tokens"] * 1000 + usage["completion_tokens"] * 2000) / 1e6
    assert f"cost {amount:.6f} EUR" in status_line(app)
    entry = app.session_state["history"][-1]
    assert entry["cost"] == {"amount": amount, "currency": "EUR"}
    assert export_document([entry])["entries"][0]["cost"] == entry["cost"]
    submit(app)  # the document (now longer) is sent again
    total = sum(e["cost"]["amount"] for e in app.session_state["history"])
    assert total > 2 * amount
    assert f"Spent in this browser: {total:.6f} EUR" in all_text(app)


def test_an_unpriced_model_has_no_cost(make_app, relay):
    app = make_app(secrets={"PRICES": PRICED})
    prompt_box(app).set_value("Hello world")
    submit(app)
    assert "cost" not in status_line(app)
    assert "cost" not in app.session_state["history"][-1]


def test_llama_samplers_are_widgets_for_that_server_and_reach_the_body(shaped, relay):
    app = open_sections(shaped("llama-cpp-python"))
    app.number_input(key="top_k").set_value(1)
    app.number_input(key="min_p").set_value(0.05)
    app.selectbox(key="mirostat_mode").set_value(2)
    app.text_area(key="grammar").set_value('root ::= "yes" | "no"')
    prompt_box(app).set_value("Yes or no?")
    submit(app)
    body = relay.last["body"]
    assert (body["top_k"], body["min_p"], body["mirostat_mode"]) == (1, 0.05, 2)
    assert body["grammar"] == 'root ::= "yes" | "no"' and "mirostat" not in body
    app.button(key="grammar_json").click().run()
    assert app.text_area(key="grammar").value.startswith("root   ::= object")


def test_vllm_gets_its_three_and_a_plain_relay_none(shaped, make_app, relay):
    app = open_sections(shaped("vllm"))
    keys_shown = {w.key for w in app.number_input}
    assert {"top_k", "min_p", "repetition_penalty"} <= keys_shown
    assert "repeat_penalty" not in keys_shown and "mirostat_tau" not in keys_shown
    relay.options.pop("server_shape")
    plain_app = open_sections(make_app())
    assert "top_k" not in {w.key for w in plain_app.number_input}


def test_a_sampler_from_a_link_is_named_and_not_sent_to_a_server_without_it(make_app, relay):
    app = make_app({"top_k": "5", "grammar": 'root ::= "a"'})
    note = " ".join(plain(c.value) for c in app.sidebar.caption)
    assert "Set but not sent, since this server does not take them: top_k, grammar." in note
    prompt_box(app).set_value("Hi")
    submit(app)
    assert "top_k" not in relay.last["body"] and "grammar" not in relay.last["body"]


def test_a_sampler_from_a_link_is_sent_to_its_server(shaped, relay):
    app = shaped("llama.cpp", {"top_k": "5", "mirostat": "2"})
    prompt_box(app).set_value("Hi")
    submit(app)
    assert (relay.last["body"]["top_k"], relay.last["body"]["mirostat"]) == (5, 2)
