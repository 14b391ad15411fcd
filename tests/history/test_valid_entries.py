"""History read back from the browser's storage: lone surrogates are replaced, not kept.

JavaScript strings may hold a lone surrogate (a token cut inside an emoji), and JSON carries
it as "\\ud800"; Python decodes that to a string UTF-8 cannot encode, which would break the
page the moment Streamlit sends it, and every export after it.
"""

import json

from lib.history.entries import valid_entries


def stored_entry() -> dict:
    return {
        "id": "id1",
        "created_at": "2026-11-25T10:00:01+00:00",
        "base_url": "http://relay/v1",
        "request": {"model": "m", "prompt": "cut \ud83d", "stop": ["\udc00"]},
        "response": {"choices": [{"index": 0, "text": "a\ud800b"}]},
        "status": "ok",
        "error": None,
        "timings": {"first_token_s": 0.1, "total_s": 0.5},
        "stats": {"total_tokens": 7},
    }


def test_lone_surrogates_from_browser_storage_are_replaced():
    # What the storage component hands back: JSON text, escapes and all.
    from_storage = json.loads(json.dumps([stored_entry()]))
    (kept,) = valid_entries(from_storage)
    assert kept["request"]["prompt"] == "cut \ufffd"
    assert kept["request"]["stop"] == ["\ufffd"]
    assert kept["response"]["choices"][0]["text"] == "a\ufffdb"
    json.dumps(kept, ensure_ascii=False).encode("utf-8")  # the page and exports can carry it


def test_a_surrogate_in_a_key_is_replaced_too():
    entry = stored_entry()
    entry["stats"] = {"tokens\udfff": 1}
    (kept,) = valid_entries(json.loads(json.dumps([entry])))
    assert list(kept["stats"]) == ["tokens\ufffd"]
