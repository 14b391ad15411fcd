"""A server's own samplers: sent only to the servers that take them, under their names."""

from __future__ import annotations

import json

from lib.request.fields import DEFAULTS
from lib.request.form import build_body, values_from_body
from lib.request.share import from_query, to_query

SET = {"top_k": 1, "min_p": 0.1, "repeat_penalty": 1.1, "repetition_penalty": 1.2,
       "mirostat_mode": 2, "mirostat": 1, "mirostat_tau": 4.0, "mirostat_eta": 0.2,
       "grammar": 'root ::= "yes" | "no"'}  # fmt: skip


def sent(server: str | None) -> set[str]:
    body, problems = build_body({**DEFAULTS, "prompt": "p", **SET}, None, server)
    assert problems == []
    return set(body) & set(SET)


def test_each_server_gets_its_own_samplers():
    llama = {"top_k", "min_p", "repeat_penalty", "mirostat_tau", "mirostat_eta", "grammar"}
    assert sent("llama-cpp-python") == llama | {"mirostat_mode"}
    assert sent("llama.cpp") == llama | {"mirostat"}
    assert sent("vllm") == {"top_k", "min_p", "repetition_penalty"}
    assert sent(None) == set()


def test_empty_boxes_send_nothing():
    body, _ = build_body({**DEFAULTS, "prompt": "p"}, None, "llama-cpp-python")
    assert not set(body) & set(SET)


def test_they_travel_in_links_and_load_back_for_their_server():
    values = {**DEFAULTS, **SET}
    loaded, notes = from_query(to_query(values))
    assert notes == [] and all(loaded[name] == value for name, value in SET.items())
    body, _ = build_body({**values, "prompt": "p"}, None, "llama-cpp-python")
    back, notes = values_from_body(body, "llama-cpp-python")
    assert notes == [] and back["top_k"] == 1 and back["grammar"] == SET["grammar"]
    # For another server they go to Extra JSON, and are still sent.
    other, _ = values_from_body(body, None)
    assert json.loads(other["extra_json"])["top_k"] == 1
    assert build_body(other, None, None)[0]["top_k"] == 1
