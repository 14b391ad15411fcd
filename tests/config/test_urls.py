"""Base URLs typed by people: parts, the host to show, and exports without credentials."""

import pytest

from lib.config.urls import host_of, parse_url, without_credentials


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://u:p@[::1]:8080/v1", "http://[::1]:8080/v1"),
        ("http://u@[::1]/v1", "http://[::1]/v1"),
        ("https://u:p@[2001:db8::7]/v1?x=1#top", "https://[2001:db8::7]/v1?x=1#top"),
        ("https://user:secret@relay.example:8443/v1", "https://relay.example:8443/v1"),
        ("http://u:p@ss@host/v1", "http://host/v1"),  # the host follows the last "@"
        ("http://@host/v1", "http://host/v1"),
        ("http://u:p@[::1:80/v1", "http://[::1:80/v1"),  # unparseable: still no credentials
    ],
)
def test_credentials_are_removed_and_the_host_kept_as_written(url, expected):
    assert without_credentials(url) == expected
    stripped = parse_url(expected)
    assert stripped is None or not stripped.has_credentials


@pytest.mark.parametrize("url", ["http://h/v1", "http://[::1]:8080/v1", "http://[::1:80/v1", ""])
def test_urls_without_credentials_are_unchanged(url):
    assert without_credentials(url) == url


def test_ipv6_parts_and_host():
    parts = parse_url("http://u:p@[::1]:8080/v1")
    assert parts is not None
    assert (parts.host, parts.port, parts.has_credentials) == ("::1", 8080, True)
    assert host_of("http://u:p@[::1]:8080/v1") == "::1"


def test_unparseable_urls_do_not_raise():
    assert parse_url("http://[::1:80/v1") is None
    assert parse_url("http://h:99999/v1") is None
    assert host_of("http://[::1:80/v1") == "the server"
