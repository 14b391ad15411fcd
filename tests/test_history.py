"""The history format: export, import validation, merge, cap, filter, pages."""

import json
from datetime import UTC, datetime

import pytest

from lib.history import (
    FORMAT_NAME,
    cap,
    export_bytes,
    export_document,
    filter_entries,
    merge,
    page_count,
    page_of,
    parse_import,
    valid_entries,
)
from lib.urls import without_credentials


def entry(i, *, status="ok", model="m1", prompt="hello", text="world"):
    return {
        "id": f"id{i}",
        "created_at": f"2026-11-25T10:00:{i:02d}+00:00",
        "base_url": "http://relay/v1",
        "request": {"model": model, "prompt": prompt},
        "response": {"choices": [{"index": 0, "text": text}]},
        "status": status,
        "error": None,
        "timings": {"first_token_s": 0.1, "total_s": 0.5},
        "stats": {"total_tokens": 7},
    }


def test_round_trip_gives_identical_entries():
    entries = [entry(1), entry(2, status="error"), entry(3, prompt=[1, 2])]
    data = export_bytes(entries, datetime(2026, 11, 25, tzinfo=UTC))
    doc = json.loads(data)
    assert doc["format"] == FORMAT_NAME and doc["version"] == 1
    assert doc["exported_at"] == "2026-11-25T00:00:00+00:00"
    imported, problems = parse_import(data)
    assert problems == [] and imported == entries


def test_export_strips_url_credentials():
    e = {**entry(1), "base_url": "https://user:secret@relay.example:8443/v1"}
    assert export_document([e])["entries"][0]["base_url"] == "https://relay.example:8443/v1"
    assert without_credentials("http://h/v1") == "http://h/v1"
    assert without_credentials("http://[::1:80/v1") == "http://[::1:80/v1"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe", "not UTF-8"),
        (b"{not json", "not JSON"),
        (b"[1, 2]", "expected an object"),
        (b'{"format": "other", "version": 1, "entries": []}', "not a history export"),
        (json.dumps({"format": FORMAT_NAME, "version": 2, "entries": []}).encode(), "version 2"),
        (json.dumps({"format": FORMAT_NAME, "version": 1}).encode(), "no 'entries' list"),
        (
            json.dumps({"format": FORMAT_NAME, "version": 1, "entries": [{"id": "x"}]}).encode(),
            "Entry 1 has no 'created_at'",
        ),
        (
            json.dumps(
                {"format": FORMAT_NAME, "version": 1, "entries": [{**entry(1), "status": "meh"}]}
            ).encode(),
            "status must be one of",
        ),
    ],
)
def test_bad_files_are_explained(data, message):
    entries, problems = parse_import(data)
    assert entries == []
    assert message in " ".join(p.text("en") for p in problems)


def test_too_large_file():
    entries, problems = parse_import(b"x" * 2048, limit=1024)
    assert entries == [] and "too large" in problems[0].text("en")


def test_many_problems_are_summarized():
    doc = {"format": FORMAT_NAME, "version": 1, "entries": [1] * 20}
    _, problems = parse_import(json.dumps(doc).encode())
    assert len(problems) == 6 and problems[-1].text("en") == "…and 15 more problems."


def test_merge_skips_known_ids_and_sorts():
    merged, added, skipped = merge([entry(3)], [entry(1), entry(3), entry(2)])
    assert [e["id"] for e in merged] == ["id1", "id2", "id3"]
    assert (added, skipped) == (2, 1)


def test_cap_keeps_newest():
    kept, dropped = cap([entry(i) for i in range(10)], limit=3)
    assert [e["id"] for e in kept] == ["id7", "id8", "id9"] and dropped == 7


def test_valid_entries_skips_garbage_from_storage():
    assert valid_entries([entry(1), {"id": 5}, "x", entry(2)]) == [entry(1), entry(2)]
    assert valid_entries({"not": "a list"}) == []


def test_filters():
    entries = [
        entry(1, model="a", prompt="Alpha", text="one"),
        entry(2, model="b", status="error", prompt="beta", text="TWO"),
        entry(3, model="a", status="stopped", prompt=[5, 6], text="three"),
    ]
    ids = lambda es: [e["id"] for e in es]  # noqa: E731
    assert ids(filter_entries(entries, "two")) == ["id2"]
    assert ids(filter_entries(entries, "ALPHA")) == ["id1"]
    assert ids(filter_entries(entries, "5, 6")) == ["id3"]
    assert ids(filter_entries(entries, models=["a"])) == ["id1", "id3"]
    assert ids(filter_entries(entries, statuses=["error", "stopped"])) == ["id2", "id3"]
    assert ids(filter_entries(entries, "t", ["a"], ["stopped"])) == ["id3"]


def test_pages_newest_first():
    entries = [entry(i) for i in range(45)]
    assert page_count(45, 20) == 3 and page_count(0, 20) == 1
    assert page_of(entries, 1, 20)[0]["id"] == "id44"
    assert [e["id"] for e in page_of(entries, 3, 20)] == [f"id{i}" for i in range(4, -1, -1)]


def test_lone_surrogates_in_an_import_are_replaced():
    doc = {"format": FORMAT_NAME, "version": 1, "entries": [entry(1, prompt="x\ud800")]}
    data = json.dumps(doc).encode()  # ensure_ascii writes the surrogate as \ud800
    entries, problems = parse_import(data)
    assert problems == [] and entries[0]["request"]["prompt"] == "x\ufffd"
