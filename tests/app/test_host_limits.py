"""A hosted instance's MAX_TOKENS_LIMIT in the page: Extra JSON cannot lift it."""

from __future__ import annotations

from tests.support.app import open_sections, prompt_box, shown, submit


def test_extra_json_cannot_lift_the_max_tokens_limit(make_app, relay, monkeypatch):
    monkeypatch.setenv("MAX_TOKENS_LIMIT", "100")
    at = make_app()
    open_sections(at)
    at.number_input(key="max_tokens").set_value(100).run()
    prompt_box(at).set_value("Once").run()
    endless = '{"n_predict": -1, "options": {"num_predict": 5000}, "min_tokens": 1000}'
    at.text_area(key="extra_json").set_value(endless).run()
    warnings = shown(at.warning)
    assert "n_predict must be a whole number from 0 to 100 on this instance" in warnings
    assert "options.num_predict must be a whole number from 0 to 100" in warnings
    assert "min_tokens must be a whole number from 0 to 100" in warnings
    assert at.button(key="btn_submit").disabled
    assert relay.received == []

    at.text_area(key="extra_json").set_value('{"n_predict": 100, "ignore_eos": true}').run()
    submit(at)
    assert relay.wait_for(lambda: len(relay.received) == 1, timeout=20)
    body = relay.last["body"]
    assert (body["max_tokens"], body["n_predict"], body["ignore_eos"]) == (100, 100, True)
