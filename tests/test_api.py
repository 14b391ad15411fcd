"""lib/api.py, the client's front door, against the fake relay: text in order, errors readable."""

from __future__ import annotations

import contextlib
import io
import re
import time

import pytest

import lib.api
import lib.client
from lib.api import ApiError, stream_text
from tests.support.fake_relay import FakeRelay
from tests.support.paths import ROOT

KEY = "sk-api-SECRET-0123456789abcdef"
ASKED = {"model": "fake-instruct", "prompt": "Say this is a test", "max_tokens": 12}


def test_text_arrives_piece_by_piece_in_order(relay: FakeRelay) -> None:
    pieces = list(
        stream_text(
            ASKED["prompt"],
            base_url=relay.base_url,
            model="fake-instruct",
            max_tokens=12,
            api_key=KEY,
        )
    )
    expected = {**ASKED, "stream": True}
    assert pieces == relay.expected_pieces(expected) and len(pieces) > 3
    assert "".join(pieces) == relay.expected_text(expected)
    assert relay.last["body"] == expected  # what the server received
    assert relay.last["headers"]["authorization"] == f"Bearer {KEY}"


def test_the_first_piece_comes_before_the_server_has_finished(relay: FakeRelay) -> None:
    relay.scenario = "hang_midstream"  # one chunk, then 30 s of nothing
    relay.options["drop_after"] = 1
    started = time.monotonic()
    texts = stream_text(base_url=relay.base_url, body=ASKED)
    try:
        assert next(texts) == relay.expected_pieces({**ASKED, "stream": True})[0]
        assert time.monotonic() - started < 10
    finally:
        texts.close()


def test_a_body_fields_and_prompt_make_the_request(relay: FakeRelay) -> None:
    body = {**ASKED, "temperature": 0.5, "stream": False}
    text = "".join(stream_text("Another prompt", base_url=relay.base_url, body=body, max_tokens=4))
    sent = {**body, "prompt": "Another prompt", "max_tokens": 4, "stream": True}
    assert relay.last["body"] == sent and text == relay.expected_text(sent)


def test_a_choice_other_than_the_first(relay: FakeRelay) -> None:
    text = "".join(stream_text(base_url=relay.base_url, body={**ASKED, "n": 2}, choice=1))
    sent = {**ASKED, "n": 2, "stream": True}
    assert text == relay.expected_text(sent, 1) != relay.expected_text(sent, 0)


@pytest.mark.parametrize(
    ("scenario", "status", "words"),
    [("http_429", 429, "retry after"), ("http_502_html", 502, "Bad Gateway")],
)
def test_a_failure_is_an_api_error_a_person_can_read(
    relay: FakeRelay, scenario: str, status: int, words: str
) -> None:
    relay.scenario = scenario
    with pytest.raises(ApiError) as info:
        list(stream_text(base_url=relay.base_url, body=ASKED))
    assert info.value.status == status and words in str(info.value) and "<" not in str(info.value)


def test_text_before_an_error_in_the_stream_still_arrives(relay: FakeRelay) -> None:
    relay.scenario = "stream_error_object"
    relay.options["error_after"] = 2
    got = []
    with pytest.raises(ApiError) as info:
        for piece in stream_text(base_url=relay.base_url, body=ASKED):
            got.append(piece)
    assert got == relay.expected_pieces({**ASKED, "stream": True})[:2]
    assert info.value.type and info.value.message


def test_the_key_never_appears_in_an_error(relay: FakeRelay) -> None:
    # A relay that quotes the rejected key verbatim, and a stream that echoes it.
    relay.options.update(require_key="sk-the-right-one", echo_key=True)
    with pytest.raises(ApiError) as info:
        list(stream_text(base_url=relay.base_url, api_key=KEY, body=ASKED))
    err = info.value
    assert err.status == 401 and "Incorrect API key" in str(err)
    for shown in (str(err), repr(err), err.message, str(err.record())):
        assert KEY not in shown and KEY[:12] not in shown


def test_the_front_door_re_exports_the_public_client() -> None:
    for name in lib.client.__all__:
        assert getattr(lib.api, name) is getattr(lib.client, name)
    assert set(lib.client.__all__) | {"stream_text", "DEFAULT_BASE_URL", "Canceller"} == set(
        lib.api.__all__
    )


def test_the_readme_example_prints_the_streamed_text(relay: FakeRelay) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The client", 1)[1]
    example = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert "from lib.api import" in example and "stream_text(" in example
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(example.replace("https://api.gptnb.me/v1", relay.base_url), {})
    sent = relay.last["body"]
    assert sent["stream"] is True and printed.getvalue() == relay.expected_text(sent)
