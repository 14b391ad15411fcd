"""A comparison in History (grouped runs, reopened as the same comparison) and as one document."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from lib.compare.columns import CURRENT, LOCAL, Column, column_body
from lib.compare.export import (
    FORMAT_NAME,
    export_bytes,
    export_document,
    groups,
    in_comparisons,
    new_group,
    reopened,
    tagged,
)
from lib.history.entries import valid_entries
from lib.run.model import OK, Run

NOW = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)
KEY = "sk-secret-team-key-123"
FORM = {"model": "A", "prompt": "Hi", "max_tokens": 16, "temperature": 0.7, "stream": True,
        "logprobs": 2}  # fmt: skip


def _run(request: dict, text: str, base_url: str = "https://relay.example/v1") -> dict:
    """A finished run's history entry, made by a real Run that was sent `KEY`."""
    run = Run(request=request, base_url=base_url)
    run.redact(KEY)
    run.add_chunk({"choices": [{"index": 0, "text": text + " " + KEY, "logprobs": None,
                                "finish_reason": "stop"}]})  # fmt: skip
    run.finish(OK)
    return run.record()


def _comparison() -> tuple[str, list[dict]]:
    group = new_group()
    columns = [
        Column(model="A"),
        Column(conn="Team relay", model="B", overrides={"temperature": 1.5, "logprobs": None}),
        Column(conn=LOCAL, model="C", overrides={"seed": 7}),
    ]
    urls = [
        "https://relay.example/v1",
        f"https://team:{KEY}@team.example/v1",
        "http://127.0.0.1:9/v1",
    ]
    runs = [
        tagged(_run(column_body(FORM, column), f"answer {n}", url), group, n, column.conn)
        for n, (column, url) in enumerate(zip(columns, urls, strict=True), 1)
    ]
    return group, runs


def test_the_export_holds_every_columns_request_and_response_and_no_key():
    group, runs = _comparison()
    document = export_document(runs, NOW)
    assert document["format"] == FORMAT_NAME and document["group"] == group
    assert [c["conn"] for c in document["columns"]] == [CURRENT, "Team relay", LOCAL]
    assert [c["entry"]["request"]["model"] for c in document["columns"]] == ["A", "B", "C"]
    assert document["columns"][1]["entry"]["request"]["temperature"] == 1.5
    assert "logprobs" not in document["columns"][1]["entry"]["request"]
    assert document["columns"][1]["entry"]["base_url"] == "https://team.example/v1"
    texts = [c["entry"]["response"]["choices"][0]["text"] for c in document["columns"]]
    assert [t.startswith(f"answer {n}") for n, t in enumerate(texts, 1)] == [True] * 3
    written = export_bytes(runs, NOW).decode()
    assert KEY not in written and "sk-" not in written
    assert json.loads(written) == document


def test_a_column_tag_names_a_connection_never_a_url_or_key():
    entry = tagged({"id": "x"}, "g", 1, "https://evil.example/v1")
    assert entry["comparison"] == {"group": "g", "column": 1, "conn": CURRENT}
    assert tagged({"id": "x"}, "g", 2, KEY)["comparison"]["conn"] == CURRENT


def test_history_keeps_the_tag_and_groups_the_runs_of_one_comparison():
    group, runs = _comparison()
    other_group, others = _comparison()
    plain = _run(FORM, "alone")
    kept = valid_entries([runs[2], others[0], plain, runs[0], runs[1], others[1]])
    assert kept[0]["comparison"]["group"] == group  # browser storage keeps it
    grouped = groups(kept)
    assert list(grouped) == [group, other_group]
    assert [e["comparison"]["column"] for e in grouped[group]] == [1, 2, 3]
    assert in_comparisons(kept, wanted=False) == [kept[2]]
    assert len(in_comparisons(kept)) == 5


def test_malformed_tags_are_no_comparison():
    bad = [{"comparison": {"group": 1, "column": 1, "conn": "x"}},
           {"comparison": {"group": "g", "column": "1", "conn": "x"}},
           {"comparison": "g"}, {}]  # fmt: skip
    assert groups(bad) == {} and in_comparisons(bad) == []


def test_a_comparison_reopens_as_the_same_columns_sending_the_same_requests():
    _, runs = _comparison()
    body, columns = reopened(groups(runs).popitem()[1])
    assert body == runs[0]["request"]
    assert [c.conn for c in columns] == [CURRENT, "Team relay", LOCAL]
    assert columns[1].overrides == {"temperature": 1.5, "logprobs": None}
    assert columns[2].overrides == {"seed": 7}
    assert [column_body(body, c) for c in columns] == [r["request"] for r in runs]
    assert reopened([]) == ({}, [])
