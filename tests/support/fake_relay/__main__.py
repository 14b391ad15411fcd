"""Serve the fake relay until interrupted (browser tests start the app against it)::

    python -m tests.support.fake_relay --port 8765 [--scenario NAME] [--token-delay 0.05]
        [--option KEY=JSON ...] [--require-key sk-...] [--verbose]

It prints one line, "fake relay serving on <base URL> ...", once it accepts connections.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from tests.support.fake_relay.generator import is_known_scenario, iter_scenarios
from tests.support.fake_relay.server import FakeRelay


def _parse_option(text: str) -> tuple[str, Any]:
    key, sep, value = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    try:
        return key, json.loads(value)
    except ValueError:
        return key, value  # bare strings need no JSON quoting


def _scenario_arg(text: str) -> str:
    if not is_known_scenario(text):
        raise argparse.ArgumentTypeError(
            f"unknown scenario {text!r}; known: {', '.join(iter_scenarios())} or http_NNN"
        )
    return text


def main(argv: list[str] | None = None) -> int:
    """Standalone entry point: serve until interrupted."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.support.fake_relay",
        description="Fake completions relay (test infrastructure)",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--scenario", default="normal", type=_scenario_arg)
    parser.add_argument("--token-delay", type=float, default=None)
    parser.add_argument("--require-key", default=None)
    parser.add_argument(
        "--option", action="append", type=_parse_option, default=[], metavar="KEY=JSON"
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    options: dict[str, Any] = dict(args.option)
    if args.token_delay is not None:
        options["token_delay"] = args.token_delay
    if args.require_key:
        options["require_key"] = args.require_key
    relay = FakeRelay(args.host, args.port, args.scenario, options, quiet=not args.verbose)
    relay.start()
    # Browser tests wait for this line (and may parse the port from it when --port 0).
    print(f"fake relay serving on {relay.base_url} (scenario {args.scenario})", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        relay.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
