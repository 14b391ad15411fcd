"""ApiError construction from what servers send back."""

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from lib.client import ApiError
from lib.client.errors import error_from_body, error_from_http, parse_retry_after, redact
from lib.ui.describe import describe


def test_openai_error_shape():
    body = b'{"error": {"message": "Rate limit", "type": "rate_limit_error", "code": "rl"}}'
    err = error_from_http(429, {"retry-after": "7"}, body)
    assert (err.status, err.message, err.type, err.code, err.retry_after) == (
        429,
        "Rate limit",
        "rate_limit_error",
        "rl",
        7.0,
    )
    assert str(err) == "HTTP 429 [rl]: Rate limit (retry after 7 s)"


def test_html_gateway_page_is_not_shown():
    page = b"<!DOCTYPE html><html><head><title>502</title></head><body>" + b"x" * 5000 + b"</body>"
    err = error_from_http(502, {"content-type": "text/html"}, page)
    assert "<" not in str(err) and "502" in str(err) and "Bad Gateway" in str(err)
    assert len(str(err)) < 200


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"error": "plain text error"}, "plain text error"),
        ({"object": "error", "message": "vllm says no", "code": 400}, "vllm says no"),
        ({"detail": "Not Found"}, "Not Found"),
    ],
)
def test_other_error_shapes(body, message):
    err = error_from_body(body, status=404)
    assert err is not None and err.message == message


def test_not_an_error():
    assert error_from_body({"choices": []}) is None
    assert error_from_body([1]) is None


def test_plain_text_and_empty_bodies():
    assert (
        str(error_from_http(503, {}, b"")) == "HTTP 503: Service Unavailable (empty response body)"
    )
    assert str(error_from_http(500, {}, b"oops")) == "HTTP 500: Internal Server Error: oops"


def test_message_is_one_line_and_bounded():
    err = ApiError("line one\nline two\u2028three " + "x" * 2000)
    assert "\n" not in str(err) and "\u2028" not in str(err)
    assert len(err.message) <= 500


def test_redacts_echoed_key():
    err = ApiError("Incorrect API key provided: sk-live-123").redacted("sk-live-123")
    assert "sk-live-123" not in str(err) and "***" in str(err)


def test_retry_after_forms():
    assert parse_retry_after({"retry-after-ms": "1500"}) == 1.5
    assert parse_retry_after({"retry-after": "2.5"}) == 2.5
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({}) is None
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= parse_retry_after({"retry-after": later}) <= 31


SECRET = "sk-live-0123456789abcdef"


@pytest.mark.parametrize(
    "echoed",
    [
        SECRET,
        SECRET.upper(),  # some gateways upper-case what they quote
        "Sk-LiVe-0123456789ABCDEF",
        SECRET[:8],  # the shortest prefix taken for the key
        SECRET[:13] + "…",  # cut short by the server
        SECRET[:16] + "****",  # masked after a prefix
    ],
)
def test_redacts_the_key_in_any_case_and_its_prefixes(echoed):
    err = ApiError(f"Incorrect API key provided: {echoed}. Check it.", code=echoed, type=echoed)
    err.params = {"text": f"key={echoed}", "n": 3}
    err.redacted(SECRET)
    for text in (err.message, str(err), repr(err), err.code, err.type, err.params["text"]):
        assert SECRET[:8].lower() not in text.lower(), text
        assert "***" in text
    assert err.message.startswith("Incorrect API key provided: ***")
    assert err.params["n"] == 3 and err.args == (err.message,)


def test_redaction_leaves_short_prefixes_and_other_text():
    # Seven characters ("sk-live") are not the key: every key of that provider starts so.
    assert redact("use an sk-live key", SECRET) == "use an sk-live key"
    assert redact("nothing here", SECRET) == "nothing here"
    assert redact("", SECRET) == "" and redact("text", None) == "text"


def test_redaction_covers_overlapping_and_repeated_echoes():
    assert redact(f"{SECRET}{SECRET} and {SECRET[:10]}", SECRET) == "*** and ***"
    key = "aaaaaaaaX"
    assert redact("aaaaaaaaaX!", key) == "***!"  # the match starting one later is the key
    assert redact("pw AbC! end", "abc!") == "pw *** end"  # short keys: the whole key, any case


def test_a_deeply_nested_error_body_is_not_parsed():
    err = error_from_http(500, {}, b"[" * 100_000)
    assert err.status == 500 and "Internal Server Error" in str(err)


def test_an_error_body_with_a_huge_number_is_still_explained():
    body = b'{"error": {"message": "too big", "code": ' + b"7" * 5000 + b"}}"
    err = error_from_http(400, {}, body)
    assert err.status == 400 and len(str(err)) <= 600


# ---------------------------------------------------------------------------------------------
# The record a run keeps, and describing it for people (lib.ui.describe)
# ---------------------------------------------------------------------------------------------

RECORD_KEYS = ["status", "message", "type", "code", "retry_after", "text", "key", "params"]


def test_record_keeps_the_keys_history_files_hold():
    err = ApiError.client("client.dns", type="connection_error", host="api.example")
    assert err.record() == {
        "status": None,
        "message": "Could not find the host api.example (DNS lookup failed).",
        "type": "connection_error",
        "code": None,
        "retry_after": None,
        "text": "Could not find the host api.example (DNS lookup failed).",
        "key": "client.dns",
        "params": {"host": "api.example"},
    }
    served = error_from_body({"error": {"message": "Rate limit", "code": "rl"}}, status=429)
    assert list(served.record()) == RECORD_KEYS
    assert served.record()["text"] == "HTTP 429 [rl]: Rate limit"
    assert (served.record()["key"], served.record()["params"]) == (None, {})


def test_describe_takes_an_error_or_its_record_read_back():
    dns = ApiError.client("client.dns", type="connection_error", host="api.example")
    limited = error_from_http(429, {"retry-after": "7"}, b'{"error": {"message": "Slow down"}}')
    for err in (dns, limited):
        for lang in ("en", "zh"):
            read_back = json.loads(json.dumps(err.record()))
            assert describe(err, lang) == describe(err.record(), lang) == describe(read_back, lang)
    assert (
        describe(dns, "en")
        == "Could not connect. Could not find the host api.example (DNS lookup failed)."
    )
    # The client's own message is translated; a server's passes through as sent.
    assert describe(dns, "zh") == "无法连接。找不到主机 api.example（DNS 解析失败）。"
    assert describe(limited, "zh") == "请求过于频繁或额度不足。HTTP 429: Slow down （7 秒后重试）"


def test_describe_keeps_the_english_text_of_a_record_it_cannot_translate():
    record = ApiError.client("client.dns", type="connection_error", host="h").record()
    record["params"] = {"wrong": 1}  # an edited file
    assert describe(record, "zh") == "无法连接。Could not find the host h (DNS lookup failed)."
    assert describe({"message": "odd", "status": True, "type": 5}, "en") == (
        "The server reported an error. odd"
    )
