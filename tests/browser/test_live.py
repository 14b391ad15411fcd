"""The live region in real Chromium (#19): one mounted editor, run ends drawn without running
the whole page again, a huge document kept as a window, and a first paint in one script run."""

from __future__ import annotations

import json
import re
from collections import deque

import pytest
from playwright.sync_api import expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from lib.ui.run.state import REDRAW_SECONDS, redraw_seconds
from tests.support.browser import document_box, model_text, write_document

pytestmark = pytest.mark.browser

APP_ENV = {"RUN_IDLE_SECONDS": "5"}
WAIT_MS = 30_000
MOUNTS = "() => (window.__completionsPlaygroundDocument || {}).mounts"
LIVE_TEXT = (
    "() => { for (const h of document.querySelectorAll('*')) { const l = h.shadowRoot"
    " && h.shadowRoot.querySelector('.cp-live'); if (l) return l.textContent; } return ''; }"
)
HISTORY = "() => JSON.parse(localStorage.getItem('completions-playground.history.v1') || '[]')"
CONNECTION_KEY = "completions-playground.connection.v1"


class Runs:
    """Streamlit's script runs as the page's websocket reports them: whole-page and fragment."""

    def __init__(self, page) -> None:
        self.full = 0
        self.fragment = 0
        self.intervals: list[float] = []  # the frame lengths given to run_every fragments
        self.socket = None
        self._recent: deque = deque(maxlen=64)  # frames counted (a waiter sees them too)
        page.on("websocket", self._watch)

    def _watch(self, socket) -> None:
        self.socket = socket
        socket.on("framereceived", self._received)

    def _received(self, payload: bytes | str) -> None:
        if any(payload is seen for seen in self._recent):
            return
        self._recent.append(payload)
        msg = ForwardMsg.FromString(payload if isinstance(payload, bytes) else payload.encode())
        if msg.WhichOneof("type") == "auto_rerun":
            self.intervals.append(round(msg.auto_rerun.interval, 4))
        if msg.WhichOneof("type") != "script_finished":
            return
        if msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
            self.full += 1
        elif msg.script_finished == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
            self.fragment += 1

    def wait_until(self, condition) -> None:
        """Until `condition()` holds, reading the websocket's messages as they come."""
        if not condition():
            # The waiter may see a frame before the listener above does: it counts it itself.
            self.socket.wait_for_event(
                "framereceived", lambda p: self._received(p) or condition(), timeout=WAIT_MS
            )


@pytest.fixture
def watched(browser, app_url, relay):
    """A fresh session on the playground, its script runs counted from the first one."""
    contexts = []

    def open_(query: str = ""):
        context = browser.new_context(viewport={"width": 1400, "height": 1400})
        contexts.append(context)
        page = context.new_page()
        runs = Runs(page)
        page.goto(app_url + query)
        document_box(page).wait_for()
        return page, runs

    yield open_
    for context in contexts:
        context.close()


def status(page):
    return page.get_by_text(re.compile(r"^Status: ")).first


def send(page, relay, text: str) -> dict:
    sent = len(relay.received)
    write_document(page, text)
    page.keyboard.press("Control+Enter")
    assert relay.wait_for(lambda: len(relay.received) == sent + 1, timeout=30)
    return relay.last["body"]


def test_one_editor_mount_for_whole_streams_their_ends_and_stop(watched, relay):
    page, _ = watched()
    relay.options.update(token_delay=0.05, natural_length=30)
    body = send(page, relay, "Once")
    expect(document_box(page).locator(".cp-live")).to_have_text(re.compile(r"\S"), timeout=WAIT_MS)
    expect(status(page)).to_contain_text("Status: done", timeout=WAIT_MS)
    expect(model_text(page)).to_have_text([relay.expected_text(body)])
    # A second run, stopped half-way with Esc.
    relay.options.update(token_delay=0.1, natural_length=200)
    send(page, relay, "Twice")
    expect(document_box(page).locator(".cp-live")).to_have_text(re.compile(r"[\s\S]{40}"))
    page.keyboard.press("Escape")
    expect(status(page)).to_contain_text("Status: stopped", timeout=WAIT_MS)
    expect(document_box(page).locator(".cp-live")).to_have_count(0)
    # Every frame, both ends and the Stop were data changes of the one mounted editor.
    assert page.evaluate(MOUNTS) == 1


def test_a_run_end_draws_cards_and_details_without_running_the_page(watched, relay):
    page, runs = watched("/?n=3")
    relay.options.update(token_delay=0.03, natural_length=20)
    full_before = runs.full
    body = send(page, relay, "Three ways:")
    assert body["n"] == 3
    # The end: the other two choices as cards with Use this, the details, the status line.
    expect(page.get_by_role("button", name=re.compile("^Use this"))).to_have_count(
        2, timeout=WAIT_MS
    )
    expect(page.get_by_text("Details and raw JSON", exact=True)).to_be_visible()
    expect(status(page)).to_contain_text("Status: done")
    expect(model_text(page)).to_have_text([relay.expected_text(body)])
    # The history mirror got the entry in the same redraw.
    page.wait_for_function(f"() => ({HISTORY})().length === 1", timeout=WAIT_MS)
    assert runs.full == full_before, "the run's end ran the whole page again"
    assert runs.fragment > 0
    # The details are drawn when opened (the region alone runs again), and stay open for the
    # next run's end.
    page.get_by_text("Details and raw JSON", exact=True).click()
    expect(page.get_by_text("Request as sent", exact=True)).to_be_visible(timeout=WAIT_MS)
    send(page, relay, "Two more:")
    expect(status(page)).to_contain_text("Status: done", timeout=WAIT_MS)
    expect(page.get_by_text("Request as sent", exact=True)).to_be_visible(timeout=WAIT_MS)
    assert runs.full == full_before, "opening the details ran the whole page again"


FEED = "**/playground-feed/**"


def test_the_editor_reads_a_stream_from_its_feed_and_frames_draw_the_status(watched, relay):
    page, runs = watched()
    feeds = []
    page.on("request", lambda r: feeds.append(r.url) if "/playground-feed/" in r.url else None)
    relay.options.update(token_delay=0.05, natural_length=60)
    body = send(page, relay, "Fed")
    expect(status(page)).to_contain_text("Status: done", timeout=WAIT_MS)
    expect(model_text(page)).to_have_text([relay.expected_text(body)])
    # One feed for the run; the frames came at the status's pace, not the text's.
    assert len(feeds) == 1, feeds
    assert runs.intervals and set(runs.intervals) == {redraw_seconds(1, fed=True)}
    assert page.evaluate(MOUNTS) == 1


def test_without_its_feed_a_stream_comes_in_frames_at_their_full_rate(watched, relay):
    page, runs = watched()
    page.route(FEED, lambda route: route.abort())  # a network that drops the feed
    relay.options.update(token_delay=0.05, natural_length=80)
    body = send(page, relay, "Unfed")
    runs.wait_until(lambda: runs.intervals[-1:] == [REDRAW_SECONDS])
    expect(status(page)).to_contain_text("Status: done", timeout=WAIT_MS)
    expect(model_text(page)).to_have_text([relay.expected_text(body)])


def test_a_feed_held_back_by_a_proxy_gives_way_to_frames(watched, relay):
    page, runs = watched()
    # A proxy that buffers: the response reaches the page only once it is whole.
    page.route(FEED, lambda route: route.fulfill(response=route.fetch(timeout=0)))
    relay.options.update(token_delay=0.05, endless=True)
    send(page, relay, "Held")
    runs.wait_until(lambda: runs.intervals[-1:] == [REDRAW_SECONDS])
    page.wait_for_function(f"() => ({LIVE_TEXT})().length > 200", timeout=WAIT_MS)
    page.keyboard.press("Escape")
    expect(status(page)).to_contain_text("Status: stopped", timeout=WAIT_MS)


def test_a_stream_takes_longer_frames_while_more_streams_share_the_server(watched, relay):
    page, runs = watched()
    page.route(FEED, lambda route: route.abort())  # frames carry the text: their full rate
    relay.options.update(token_delay=0.05, endless=True)
    send(page, relay, "First")
    busy = redraw_seconds(5)
    runs.wait_until(lambda: runs.intervals[-1:] == [REDRAW_SECONDS])
    # Four more streams on the same server: the first page's frames get longer, mid-run.
    others = [watched()[0] for _ in range(4)]
    for other in others:
        send(other, relay, "More")
    runs.wait_until(lambda: runs.intervals[-1] >= busy)
    grown = len(page.evaluate(LIVE_TEXT))
    # They stop: shorter frames again, and the text kept growing all along.
    for other in others:
        other.keyboard.press("Escape")
        expect(status(other)).to_contain_text("Status: stopped", timeout=WAIT_MS)
    runs.wait_until(lambda: runs.intervals[-1] < busy)
    page.wait_for_function(f"() => ({LIVE_TEXT})().length > {grown}", timeout=WAIT_MS)
    page.keyboard.press("Escape")
    expect(status(page)).to_contain_text("Status: stopped", timeout=WAIT_MS)
    assert page.evaluate(MOUNTS) == 1


# The streaming cards' element, marked so that a later frame can tell it is the same one.
CARDS = """mark => { const hosts = [...document.querySelectorAll('*')].filter(e => e.shadowRoot);
    for (const h of hosts) { const g = h.shadowRoot.querySelector('.cp-cards');
        if (g) { if (mark) g.__marked = true; return {marked: !!g.__marked,
            texts: [...g.querySelectorAll('.cp-card-text')].map(e => e.textContent),
            labels: [...g.querySelectorAll('.cp-card-label')].map(e => e.textContent),
            markup: g.querySelectorAll('.cp-card-text *').length}; } }
    return null; }"""


def test_streaming_cards_are_one_element_updated_in_place_with_text_only(watched, relay):
    page, _ = watched("/?n=3")
    hostile = "<img src=x onerror=window.__owned=1><b>bold</b> " * 4
    relay.options.update(token_delay=0.05, text=hostile + "and on " * 40)
    send(page, relay, "Three ways:")
    page.wait_for_function(
        f"() => {{ const c = ({CARDS})(false); return c && c.texts.length === 2"
        " && c.texts.every(t => t.length > 10); }",
        timeout=WAIT_MS,
    )
    first = page.evaluate(CARDS, True)
    assert first["labels"] == ["Choice 1", "Choice 2"]
    # More frames: the same element, with more text, and the model's markup as text.
    page.wait_for_function(
        f"n => {{ const c = ({CARDS})(false); return c && c.texts[0].length > n; }}",
        arg=len(first["texts"][0]) + 40,
        timeout=WAIT_MS,
    )
    later = page.evaluate(CARDS, False)
    assert later["marked"], "a frame mounted the cards again"
    assert later["markup"] == 0 and "<img src=x" in later["texts"][0]
    assert page.evaluate("() => window.__owned") is None
    # The end: the finished cards with Use this, drawn by the live region.
    expect(page.get_by_role("button", name=re.compile("^Use this"))).to_have_count(
        2, timeout=WAIT_MS
    )


def test_a_long_stream_keeps_only_its_end_on_the_page_while_it_streams(watched, relay):
    page, _ = watched()
    relay.options.update(endless=True, token_delay=0.0005)
    send(page, relay, "On and on:")
    live = document_box(page).locator(".cp-live")
    # The span counts every character that arrived, and holds only the last ones.
    page.wait_for_function(
        "() => { const hosts = [...document.querySelectorAll('*')].filter(e => e.shadowRoot);"
        " return hosts.some(h => { const l = h.shadowRoot.querySelector('.cp-live');"
        " return l && Number(l.dataset.chars) > 120000; }); }",
        timeout=60_000,
    )
    held = live.evaluate("e => e.textContent.length")
    assert 0 < held <= 80_000, held
    left_out = document_box(page).locator(".cp-elided")
    expect(left_out).to_have_text(re.compile(r"^… [\d,]+ characters before this; the end"))
    page.keyboard.press("Escape")
    expect(status(page)).to_contain_text("Status: stopped", timeout=WAIT_MS)


# Drops the editor's streaming frames until it lacks `behind` characters, as a busy browser
# skips frames: more than a frame's margin (4,000 at this speed), well below a restart (16,000).
SKIP_FRAMES = """behind => {
    const editor = window.__completionsPlaygroundDocument.editor;
    const stream = editor.stream.bind(editor);
    window.__skipping = true;
    editor.stream = (live) => {
        if (window.__skipping) {
            const end = (live.offset || 0) + (live.text || "").length;
            if (end - (editor.live ? editor.live.length : 0) >= behind) window.__skipping = false;
            return;
        }
        stream(live);
    };
}"""


def test_frames_the_browser_skipped_are_asked_for_again_and_the_text_stays_whole(watched, relay):
    page, _ = watched("/?max_tokens=8000")
    relay.options.update(token_delay=0.002, natural_length=8_000)
    body = send(page, relay, "Skip:")
    live = document_box(page).locator(".cp-live")
    expect(live).to_have_text(re.compile(r"[\s\S]{3000}"), timeout=WAIT_MS)
    page.evaluate(SKIP_FRAMES, 6_000)
    page.wait_for_function("() => window.__skipping === false", timeout=WAIT_MS)
    expected = relay.expected_text(body)
    page.wait_for_function(
        "n => { const hosts = [...document.querySelectorAll('*')].filter(e => e.shadowRoot);"
        " return hosts.some(h => { const l = h.shadowRoot.querySelector('.cp-live');"
        " return l && l.textContent.length > n; }); }",
        arg=14_000,
        timeout=WAIT_MS,
    )
    shown = live.evaluate("e => e.textContent")
    assert expected.startswith(shown), shown[:80]


HUGE = "".join(f"line {i:06d}\n" for i in range(17_500))  # 210,000 characters


def test_a_huge_completion_is_kept_as_a_window_with_a_download_and_show_all(
    watched, relay, tmp_path
):
    page, _ = watched("/?stream=false")
    relay.options["text"] = HUGE
    send(page, relay, "Huge:")
    expect(status(page)).to_contain_text("Status: done", timeout=WAIT_MS)
    box = document_box(page)
    whole = "Huge:" + HUGE
    # The editor holds the end of the document and says what it leaves out; it is read-only.
    hidden = box.locator(".cp-elided")
    expect(hidden).to_have_text(re.compile(r"^… 10,005 characters before this are not shown"))
    assert box.locator(".cp-model").evaluate("e => e.textContent") == whole[-200_000:]
    assert box.get_attribute("contenteditable") == "false"
    expect(
        page.get_by_text(re.compile(r"shows its last 200,000 of 210,005 characters"))
    ).to_be_visible()
    # The whole document is a download away.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the document").click()
    path = tmp_path / "document.txt"
    download.value.save_as(path)
    assert path.read_text(encoding="utf-8") == whole
    # Ctrl+Enter in the window sends the whole document.
    relay.options["text"] = " and more"
    box.click()
    page.keyboard.press("Control+Enter")
    assert relay.wait_for(lambda: len(relay.received) == 2, timeout=30)
    assert relay.last["body"]["prompt"] == whole
    expect(status(page)).to_contain_text("Status: done", timeout=WAIT_MS)
    expect(box.locator(".cp-model").last).to_have_text(" and more")
    # Show all loads the whole of it into the editor, editable again.
    page.get_by_role("button", name="Show all").click()
    expect(hidden).to_have_count(0, timeout=WAIT_MS)
    expect(box).to_have_attribute("contenteditable", "plaintext-only")
    assert box.evaluate("e => e.textContent") == whole + " and more"


def test_first_paint_is_one_script_run_and_a_restored_connection_reruns_only_fragments(
    watched, relay
):
    page, runs = watched()
    # The storage components answer after the first paint: only their fragments rerun.
    runs.wait_until(lambda: runs.fragment >= 1 or runs.full >= 2)
    assert (runs.full, runs.fragment >= 1) == (1, True)
    # A browser that remembers another model: the sidebar and the live region show it, and
    # the page is not run again.
    record = {"base_url": None, "model": "remembered-model", "saved": [], "local": False}
    # Written with the app closed (a page of the same origin that runs no app): the open app
    # mirrors its own connection into localStorage and would overwrite it.
    url = page.url
    page.goto(url.split("?")[0].rstrip("/") + "/_stcore/health")
    page.evaluate(
        f"r => localStorage.setItem({json.dumps(CONNECTION_KEY)}, JSON.stringify(r))", record
    )
    full_before, fragment_before = runs.full, runs.fragment
    page.goto(url)
    expect(page.get_by_role("combobox", name="model")).to_have_value(
        "remembered-model", timeout=WAIT_MS
    )
    runs.wait_until(lambda: runs.full - full_before >= 1)
    runs.wait_until(lambda: runs.fragment - fragment_before >= 1)
    # What is shown is what is sent: the restored model goes out with the next request.
    body = send(page, relay, "Remembered")
    assert body["model"] == "remembered-model"
    assert runs.full - full_before == 1
