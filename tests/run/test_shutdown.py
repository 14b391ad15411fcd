"""Graceful shutdown against the fake relay: runs finish within the grace, or are stopped."""

from __future__ import annotations

import os
import signal
import threading
import time

from lib.client import Endpoint
from lib.history.entries import interrupted
from lib.run.model import BY_INTERRUPT, OK, STOPPED, Run
from lib.run.shutdown import Shutdown
from lib.run.worker import RequestWorker

BODY = {"model": "fake-instruct", "prompt": "Once upon a time", "max_tokens": 10, "stream": True}


def start(relay, shutdown: Shutdown, **body) -> RequestWorker:
    body = {**BODY, **body}
    run = Run(request=body, base_url=relay.base_url)
    worker = RequestWorker(Endpoint(relay.base_url), body, run)
    shutdown.track(worker)  # what RequestWorker.start does with the process's one
    return worker.start()


def test_a_run_that_finishes_within_the_grace_ends_ok_and_the_drain_ends_then(relay):
    relay.options["token_delay"] = 0.1
    shutdown, exits = Shutdown(), []
    shutdown.on_exit(lambda: exits.append("local model stopped"))
    worker = start(relay, shutdown)
    assert relay.wait_for(lambda: relay.open_streams == 1)
    t0 = time.monotonic()
    stopped = shutdown.drain(grace=30, record_seconds=0)
    assert time.monotonic() - t0 < 10  # it did not wait out the grace
    assert stopped == [] and worker.run.status == OK
    assert worker.run.text(0) == relay.expected_text(relay.last["body"])
    assert exits == ["local model stopped"] and shutdown.draining()
    assert relay.open_streams == 0 and relay.disconnects == 0


def test_a_run_still_going_at_the_end_of_the_grace_is_stopped_and_its_stream_closed(relay):
    relay.options.update(endless=True, token_delay=0.05)
    shutdown = Shutdown()
    worker = start(relay, shutdown)
    assert relay.wait_for(lambda: relay.open_streams == 1)
    assert shutdown.drain(grace=0.5, record_seconds=0) == [worker]
    run = worker.run
    assert (run.status, run.stopped_by) == (STOPPED, BY_INTERRUPT)
    assert run.text(0).startswith("lorem ipsum")  # what had arrived is kept
    assert interrupted(run.record())  # and History says so
    assert relay.wait_for(lambda: relay.open_streams == 0 and relay.disconnects == 1)


def test_the_drain_waits_a_moment_for_the_browser_to_store_the_stopped_runs(relay):
    relay.options.update(endless=True, token_delay=0.05)
    shutdown = Shutdown()
    worker = start(relay, shutdown)
    assert relay.wait_for(lambda: relay.open_streams == 1)

    def page_records_it():  # a page's next frame, then the browser's answer to the mirror
        while worker.run.status != STOPPED:
            time.sleep(0.01)
        time.sleep(0.2)
        shutdown.delivered(worker.run.id)
        stored.append(time.monotonic())

    stored: list[float] = []
    threading.Thread(target=page_records_it, daemon=True).start()
    shutdown.drain(grace=0.2, record_seconds=10)
    assert stored and time.monotonic() - stored[0] < 1  # it went on once the entry was stored


def test_sigterm_drains_then_hands_the_signal_to_the_handler_that_was_there(relay):
    relay.options.update(endless=True, token_delay=0.05)
    handed_on = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: handed_on.set())
    try:
        shutdown = Shutdown()
        assert shutdown.install(grace=0.5)
        assert not shutdown.install(grace=0.5)  # once per process
        worker = start(relay, shutdown)
        assert relay.wait_for(lambda: relay.open_streams == 1)
        os.kill(os.getpid(), signal.SIGTERM)
        assert relay.wait_for(shutdown.draining)
        assert not handed_on.is_set()  # Streamlit's stop waits for the runs
        assert handed_on.wait(10)
        assert worker.run.stopped_by == BY_INTERRUPT and relay.open_streams == 0
    finally:
        signal.signal(signal.SIGTERM, previous)
