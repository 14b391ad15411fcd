"""The key out of successful answers: streamed text and tokens, whole responses, the run."""

from __future__ import annotations

import itertools
import json
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from lib.client import Endpoint
from lib.client.chunks import normalize_chunk
from lib.client.errors import redact
from lib.history.entries import export_bytes
from lib.run.model import OK, STOPPED, Run
from lib.run.redaction import ChunkRedactor
from lib.run.worker import RequestWorker

KEY = "sk-team-SECRET-4242-abcdefghijklmnop"
ECHOES = [KEY, KEY.upper(), KEY[:8], KEY[:20].lower()]
# A key that repeats itself: its echoes overlap ("ab-ab-ab-ab" is two of its 8-character starts).
LOOPED = "ab-ab-ab-ab-ab-ab-ab"


def chunk(text: str, index: int = 0, finish: str | None = None, logprobs=None) -> dict:
    choice = {"index": index, "text": text, "finish_reason": finish, "logprobs": logprobs}
    return normalize_chunk({"choices": [choice]})


def leaks(text: str, key: str = KEY) -> bool:
    """Whether `text` holds the key, or 8+ characters of its start, in any case."""
    return redact(text, key) != text


def stream_text(pieces: list[str], key: str = KEY) -> tuple[str, list[str]]:
    """Feed `pieces` as one choice's chunks; the text released, and what was shown after each."""
    redactor = ChunkRedactor(key)
    shown, seen = "", []
    for piece in pieces:
        shown += redactor.chunk(chunk(piece))["choices"][0]["text"]
        seen.append(shown)
    tail = redactor.flush()
    if tail is not None:
        shown += tail["choices"][0]["text"]
    return shown, seen


def split(text: str, cuts: list[int]) -> list[str]:
    edges = sorted({0, len(text), *(c % (len(text) + 1) for c in cuts)})
    return [text[a:b] for a, b in itertools.pairwise(edges)]


def test_a_key_split_over_chunks_is_never_shown_not_even_its_start():
    text = f"Your key is {KEY} and again {KEY.upper()}!"
    pieces = [text[i : i + 3] for i in range(0, len(text), 3)]
    shown, seen = stream_text(pieces)
    assert shown == "Your key is *** and again ***!"
    for partial in seen:  # what the page could draw after each chunk
        assert shown.startswith(partial)
        assert "sk-" not in partial and "SK-" not in partial


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["a", " ", "s", "sk-", "sk-team", *ECHOES, "K-SEC"]), max_size=12),
    st.lists(st.integers(min_value=0, max_value=10_000), max_size=15),
)
def test_streamed_text_is_redacted_exactly_as_the_whole_text_would_be(parts, cuts):
    text = "".join(parts)
    shown, seen = stream_text(split(text, cuts))
    assert shown == redact(text, KEY)
    assert all(shown.startswith(partial) for partial in seen)  # nothing shown is taken back
    assert not leaks(shown)


def stream_tokens(chunks: list[list[str]], key: str = KEY) -> tuple[str, list[str], list[str]]:
    """Feed each list of tokens as one chunk; the text, the tokens and the tokens' text shown."""
    redactor = ChunkRedactor(key)
    text, tokens, seen = "", [], []
    outs = [
        redactor.chunk(chunk("".join(group), logprobs={"tokens": group,
                                                       "token_logprobs": [-0.5] * len(group)}))
        for group in chunks
    ]  # fmt: skip
    outs.append(redactor.flush() or {"choices": []})
    for out in outs:
        for choice in out["choices"]:
            text += choice["text"]
            tokens += (choice["logprobs"] or {}).get("tokens", [])
            seen.append("".join(tokens))
    return text, tokens, seen


# Copies of the key run together: one echo to `redact`, however the stream cuts it.
RUNS = [KEY * 6, KEY + KEY.upper() + KEY + KEY.upper() + KEY + KEY, f"a {KEY * 7}{KEY[:9]} b"]


def test_a_run_of_key_copies_cut_anywhere_shows_no_part_of_the_key():
    for text in RUNS:
        splits = [list(text)] + [split(text, [cut, cut + 29]) for cut in range(len(text) + 1)]
        for pieces in splits:
            shown, seen = stream_text(pieces)
            assert shown == redact(text, KEY), (text, pieces)
            assert all(not leaks(p) and shown.startswith(p) for p in seen)


def test_the_found_case_six_copies_cut_at_209():
    text = KEY * 6
    shown, seen = stream_text([text[:209], text[209:]])
    assert shown == "***" and seen == ["***", "***"]


def test_tokens_of_a_run_of_key_copies_spell_the_redacted_text_and_show_no_key():
    for text in RUNS:
        for size in (1, 3, 5, 7, 36, 37, 209):
            tokens = [text[i : i + size] for i in range(0, len(text), size)]
            for per_chunk in (1, 4, len(tokens)):
                chunks = [tokens[i : i + per_chunk] for i in range(0, len(tokens), per_chunk)]
                shown, got, seen = stream_tokens(chunks)
                assert shown == redact(text, KEY) == "".join(got), (text, size, per_chunk)
                assert all(not leaks(p) and shown.startswith(p) for p in seen)


def echoes_of(key: str) -> list[str]:
    """Pieces of text that echo `key`, with runs of touching copies longer than a few keys."""
    return [key, key.upper(), key[:8], key[:20].lower(), key * 3, key.upper() * 2 + key[:30]]


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from([KEY, LOOPED]).flatmap(
        lambda key: st.tuples(
            st.just(key),
            st.lists(st.sampled_from(["a", " ", "s", "sk-", "ab-", *echoes_of(key)]), max_size=12),
        )
    ),
    st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=8),
    st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=8),
)
def test_streamed_tokens_spell_the_text_redacted_as_a_whole(key_parts, sizes, per_chunk):
    key, parts = key_parts
    text = "".join(parts)
    tokens, pos = [], 0
    while pos < len(text):  # token lengths cycle through `sizes`
        tokens.append(text[pos : pos + sizes[len(tokens) % len(sizes)]])
        pos += len(tokens[-1])
    chunks, pos = [], 0
    while pos < len(tokens):
        chunks.append(tokens[pos : pos + per_chunk[len(chunks) % len(per_chunk)]])
        pos += len(chunks[-1])
    shown, got, seen = stream_tokens(chunks, key)
    assert shown == redact(text, key) == "".join(got)
    assert all(not leaks(p, key) and shown.startswith(p) for p in seen)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "-", "ab-", "ab-ab-ab", *echoes_of(LOOPED)]), max_size=14),
    st.lists(st.integers(min_value=0, max_value=10_000), max_size=15),
)
def test_a_key_that_repeats_itself_is_redacted_as_the_whole_text_would_be(parts, cuts):
    text = "".join(parts)
    shown, seen = stream_text(split(text, cuts), LOOPED)
    assert shown == redact(text, LOOPED)
    assert all(not leaks(p, LOOPED) and shown.startswith(p) for p in seen)


def test_held_text_stays_short_in_a_long_run_of_key_copies():
    for key, run in ((KEY, (KEY + KEY.upper()) * 40), (LOOPED, "ab-" * 400)):
        redactor, shown = ChunkRedactor(key), ""
        for i in range(0, len(run), 5):
            tokens = [run[i : i + 2], run[i + 2 : i + 5]]
            out = redactor.chunk(chunk(run[i : i + 5], logprobs={"tokens": tokens}))
            shown += out["choices"][0]["text"]
            # (Private state: inside an echo what is held cannot be seen from outside.)
            assert len(redactor._texts[0]._held) < len(key)
            assert sum(len(t[0]) for t in redactor._tokens[0]._held) < len(key) + 3
        tail = redactor.flush()
        assert shown + (tail["choices"][0]["text"] if tail else "") == "***"


def test_held_text_stays_short_however_long_the_stream():
    redactor = ChunkRedactor(KEY)
    rng = random.Random(7)
    fed = released = 0
    for _ in range(5000):
        piece = "".join(rng.choice("sk-tea ") for _ in range(rng.randint(1, 6)))
        fed += len(piece)
        released += len(redactor.chunk(chunk(piece))["choices"][0]["text"])
        assert fed - released < len(KEY)


def test_a_finished_choice_lets_its_held_text_go():
    redactor = ChunkRedactor(KEY)
    assert redactor.chunk(chunk("ends with sk"))["choices"][0]["text"] == "ends with "
    done = redactor.chunk(chunk("-", finish="stop"))["choices"][0]
    assert (done["text"], done["finish_reason"]) == ("sk-", "stop")
    assert redactor.flush() is None


def test_tokens_that_spell_the_key_become_one_token_and_still_spell_the_text():
    text = f"a {KEY} b"
    tokens = [text[i : i + 3] for i in range(0, len(text), 3)]
    redactor = ChunkRedactor(KEY)
    got_text, got_tokens, got_lps = "", [], []
    for i, token in enumerate(tokens):
        logprobs = {"tokens": [token], "token_logprobs": [-0.5], "top_logprobs": [{token: -0.5}],
                    "text_offset": [i * 3]}  # fmt: skip
        last = i == len(tokens) - 1
        out = redactor.chunk(chunk(token, finish="stop" if last else None, logprobs=logprobs))
        choice = out["choices"][0]
        got_text += choice["text"]
        if choice["logprobs"]:
            got_tokens += choice["logprobs"]["tokens"]
            got_lps += choice["logprobs"]["token_logprobs"]
            assert not leaks(json.dumps(choice["logprobs"]))
    assert got_text == "a *** b" == "".join(got_tokens)
    assert got_tokens[0] == "a s" or got_tokens[0].startswith("a ")
    assert None in got_lps and -0.5 in got_lps  # the key's tokens lost their numbers only


def test_a_whole_response_is_redacted_everywhere():
    response = {
        "id": f"cmpl-{KEY}",
        "choices": [
            {"index": 0, "text": f"x {KEY.upper()} y", "finish_reason": "stop",
             "logprobs": {"tokens": ["x ", KEY[:10], KEY[10:], " y"],
                          "token_logprobs": [-1, -1, -1, -1],
                          "top_logprobs": [None, {KEY: -1}, None, None]}},
        ],
        "usage": {"note": KEY[:9]},
    }  # fmt: skip
    out = ChunkRedactor(KEY).response(response)
    assert not leaks(json.dumps(out))
    choice = out["choices"][0]
    assert choice["text"] == "x *** y" == "".join(choice["logprobs"]["tokens"])


def test_a_run_keeps_no_key_in_its_text_response_or_record():
    run = Run(request={"prompt": "p", "stream": True}, base_url="http://relay/v1")
    run.redact(KEY)
    for piece in ("here: ", KEY[:5], KEY[5:14], KEY[14:], " and sk"):
        run.add_chunk(chunk(piece))
    assert run.text(0) == "here: *** and "  # "sk" could still begin the key
    run.finish(STOPPED, stopped_by="user")  # stopped: what was held is part of what arrived
    assert run.text(0) == "here: *** and sk"
    assert not leaks(json.dumps(run.record())) and not leaks(export_bytes([run.record()]).decode())


def test_an_echoing_upstream_never_reaches_the_run(relay):
    relay.options["echo_key_text"] = True
    for stream in (True, False):
        body = {"model": "fake-instruct", "prompt": "Repeat", "max_tokens": 50, "stream": stream,
                "logprobs": 2}  # fmt: skip
        run = Run(request=body, base_url=relay.base_url)
        worker = RequestWorker(Endpoint(relay.base_url, api_key=KEY), body, run).start()
        assert worker.done.wait(20)
        assert relay.last["headers"]["authorization"] == f"Bearer {KEY}"
        assert run.status == OK
        assert run.text(0) == "echo *** upper *** start *** end"
        assert not leaks(json.dumps(run.record()))
