"""ApiError construction from what servers send back."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from lib.errors import ApiError, error_from_body, error_from_http, parse_retry_after


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
