"""The history format: export, import validation, merge, cap, filter, pages."""

import json
import random
from datetime import UTC, datetime

import pytest

from lib.config.urls import without_credentials
from lib.history.entries import (
    ENTRY_KEYS,
    FORMAT_NAME,
    FORMAT_VERSION,
    HISTORY_LIMIT,
    cap,
    entry_problems,
    export_bytes,
    export_document,
    filter_entries,
    import_entries,
    merge,
    page_count,
    page_of,
    parse_import,
    valid_entries,
)


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
    ipv6 = {**entry(1), "base_url": "http://u:p@[::1]:8080/v1"}
    assert export_document([ipv6])["entries"][0]["base_url"] == "http://[::1]:8080/v1"


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


def doc(entries) -> bytes:
    return json.dumps({"format": FORMAT_NAME, "version": 1, "entries": entries}).encode()


def test_the_module_docstring_documents_the_format():
    import lib.history.entries

    text = lib.history.entries.__doc__
    assert f'"format": "{FORMAT_NAME}"' in text and f'"version": {FORMAT_VERSION}' in text
    for key in ENTRY_KEYS:
        assert f'"{key}":' in text, key


@pytest.mark.parametrize("bad_at", [0, 1])
def test_one_bad_entry_and_nothing_is_imported(bad_at):
    good, bad = entry(1), {**entry(2), "timings": {"total_s": "slow"}}
    entries, problems = parse_import(doc([good, bad] if bad_at else [bad, good]))
    assert entries == []
    assert [p.text("en") for p in problems] == [
        f"Entry {bad_at + 1}: 'timings' has the wrong type."
    ]


@pytest.mark.parametrize(
    "broken",
    [
        {"id": ""},
        {"created_at": "yesterday"},
        {"status": "done"},
        {"timings": {"total_s": float("inf")}},
        {"timings": {"total_s": True}},
        {"request": []},
        {"response": "text"},
        {"stats": None},
        {"imported": "yes"},
    ],
)
def test_every_broken_field_is_a_problem(broken):
    assert entry_problems({**entry(1), **broken}, 0) != []
    assert entry_problems(entry(1), 0) == []


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"format": ' + "1" * 5000 + "}", "line 1, column 12: a number has more than 4300 digits"),
        ("[" * 100_000, "nested too deeply"),
    ],
)
def test_unreadable_json_is_explained(text, reason):
    entries, problems = parse_import(text.encode())
    assert entries == [] and reason in " ".join(p.text("en") for p in problems)


def test_import_keeps_only_the_newest_the_history_can_hold():
    existing = [entry(50), entry(58)]
    incoming = [entry(i) for i in range(60)]  # ids 50 and 58 are already present
    result = import_entries(existing, incoming, limit=5)
    assert [e["id"] for e in result.entries] == ["id55", "id56", "id57", "id58", "id59"]
    assert [e["id"] for e in result.added] == ["id55", "id56", "id57", "id59"]
    assert (result.skipped, result.new, result.dropped) == (2, 58, 1)  # id50 made room
    assert all(e["imported"] is True for e in result.added)
    assert "imported" not in result.entries[3]  # id58 was this browser's own run


def test_import_marks_entries_whatever_the_file_says_and_copies_them():
    incoming = [{**entry(1), "imported": False}, entry(1), entry(2)]  # id1 twice
    result = import_entries([], incoming)
    assert [e["id"] for e in result.added] == ["id1", "id2"] and result.skipped == 1
    assert all(e["imported"] is True for e in result.entries)
    assert incoming[0]["imported"] is False  # the parsed file is not changed


def test_a_hundred_thousand_entries_import_as_the_newest_500():
    # Shuffled, so "newest" cannot mean "last in the file".
    order = random.Random(5).sample(range(100_000), 100_000)
    many = [entry(i % 60) | {"id": f"n{i}", "created_at": f"2026-01-01T00:00:00.{i:06d}+00:00"}
            for i in order]  # fmt: skip
    entries, problems = parse_import(doc(many), limit=100 * 1024 * 1024)
    assert problems == [] and len(entries) == 100_000
    result = import_entries([], entries)
    assert len(result.entries) == len(result.added) == HISTORY_LIMIT
    assert result.entries[0]["id"] == f"n{100_000 - HISTORY_LIMIT}"
    assert result.entries[-1]["id"] == "n99999"
    assert result.new == 100_000


def test_exported_imported_marker_round_trips():
    marked = {**entry(1), "imported": True}
    entries, problems = parse_import(export_bytes([marked, entry(2)]))
    assert problems == [] and entries == [marked, entry(2)]


def test_entries_filter_and_sort_by_cost():
    from lib.history.entries import filter_entries, page_of, sorted_entries

    def entry(id_: str, amount: float | None) -> dict:
        cost = None if amount is None else {"amount": amount, "currency": "USD"}
        return {"id": id_, "request": {"prompt": "p"}, "status": "ok", "cost": cost}

    entries = [entry("a", 0.2), entry("b", None), entry("c", 0.5), entry("d", 0.1)]
    assert [e["id"] for e in filter_entries(entries, priced=True)] == ["a", "c", "d"]
    by_cost = page_of(sorted_entries(entries, "cost"), 1, 10)  # the page shows last-first
    assert [e["id"] for e in by_cost] == ["c", "a", "d", "b"]
    assert [e["id"] for e in page_of(sorted_entries(entries), 1, 10)] == ["d", "c", "b", "a"]
