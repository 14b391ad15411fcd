"""Compare (#20) against the real local model: two columns of one comparison, temperature 0
and 1.5, sent at once the way the playground sends them (a RequestWorker per column); the diff
of their answers starts exactly where their texts stop being equal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lib.client import Endpoint
from lib.compare.columns import Column, column_body
from lib.compare.diff import TOKENS, diff, side_of_entry
from lib.local import MODEL_ALIAS, LocalServer
from lib.run.model import OK, Run, RunLimits
from lib.run.worker import RequestWorker
from tests.support.local import NEEDS_LOCAL_MODEL
from tests.support.waiting import wait_until

pytestmark = NEEDS_LOCAL_MODEL

FORM = {"model": MODEL_ALIAS, "prompt": "Once upon a time, in a small village,",
        "max_tokens": 40, "stream": True, "logprobs": 3, "seed": 2}  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LocalServer]:
    log = Path(tmp_path_factory.mktemp("local")) / "server.log"
    local = LocalServer(log=log)
    local.ensure_started()
    wait_until(local.ready, 240, "the local model did not answer /v1/models")
    yield local
    local.stop()


def test_two_columns_share_an_exact_prefix_up_to_the_first_divergence(server):
    columns = [Column(overrides={"temperature": 0.0}), Column(overrides={"temperature": 1.5})]
    endpoint = Endpoint(server.base_url, None)
    runs = []
    for column in columns:
        body = column_body(FORM, column)
        run = Run(request=body, base_url=server.base_url, limits=RunLimits(100_000, 10_000))
        # Nobody looks at these runs: they must not be abandoned as a closed page's are.
        run.worker = RequestWorker(endpoint, body, run, abandon_seconds=600)
        runs.append(run)
    for run in runs:
        run.worker.start()
    for run in runs:
        assert run.worker.done.wait(240)
        assert run.status == OK, run.error
        # Whole answers: one column's request must not cut the other's short (the server
        # interrupts a running request for a new one unless told not to).
        assert run.finish_reason(0) == "length", run.text(0)
    assert [r.request["temperature"] for r in runs] == [0.0, 1.5]
    left, right = (side_of_entry(run.record()) for run in runs)
    assert left.text.strip() and right.text.strip()
    found = diff(left, right)
    assert found.mode == TOKENS  # the server's own tokens, with their probabilities
    if found.first is None:  # the same answer twice: nothing parted
        assert left.text == right.text
        return
    cut = found.first.chars
    # Exactly equal up to the divergence, and different right there.
    assert left.text[:cut] == right.text[:cut]
    assert left.text[cut:] != right.text[cut:]
    first = next(s for s in found.stretches if s.kind != "equal")
    assert first.kind == "differ"  # both went on, each with another token
    assert first.left.char_start == first.right.char_start == cut
    assert "".join(t[0] for t in left.tokens[: found.first.left_token]) == left.text[:cut]
    assert "".join(t[0] for t in right.tokens[: found.first.right_token]) == right.text[:cut]
