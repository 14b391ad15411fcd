"""History in real Chromium: it survives a reload, and export → clear → import restores it."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from lib.history.entries import export_bytes
from tests.support.browser import document_box, model_text, send_prompt, write_document

pytestmark = pytest.mark.browser
KEY = "sk-browser-history-SECRET"


APP_ENV = {"OPENAI_API_KEY": KEY}


HISTORY_KEY = "completions-playground.history.v1"
STORED = f"() => JSON.parse(localStorage.getItem('{HISTORY_KEY}') || '[]')"


def run_prompt(page, relay, text: str) -> None:
    stored = page.evaluate(f"() => ({STORED})().length")
    send_prompt(page, relay, text)
    # Finished runs reach browser storage on the page's next update.
    page.wait_for_function(f"() => ({STORED})().length === {stored + 1}", timeout=20_000)


def go_to_history(page) -> None:
    page.get_by_role("link", name="History").click()
    page.get_by_role("heading", name="History").wait_for()


def entry_headers(page):
    # Entries are in the main area; the sidebar has expanders of its own on other pages.
    return page.locator("[data-testid='stMain'] [data-testid='stExpander'] summary")


def test_history_survives_reload_and_import_restores_it(page, relay, tmp_path):
    run_prompt(page, relay, "first prompt")
    run_prompt(page, relay, "second prompt")
    assert relay.last["headers"]["authorization"] == f"Bearer {KEY}"

    page.reload()
    page.wait_for_selector("[data-testid='stApp']")
    go_to_history(page)
    headers = entry_headers(page)
    expect(headers).to_have_count(2)
    assert "second prompt" in headers.nth(0).inner_text()
    assert "first prompt" in headers.nth(1).inner_text()

    with page.expect_download() as download:
        page.get_by_role("button", name="Download all").click()
    exported = tmp_path / "history.json"
    download.value.save_as(exported)
    data = exported.read_bytes()
    assert KEY.encode() not in data and b"Bearer" not in data
    assert len(json.loads(data)["entries"]) == 2

    page.get_by_role("button", name="Clear", exact=True).click()
    page.get_by_role("button", name="Clear everything").click()
    page.get_by_text("No runs yet").wait_for()
    page.reload()
    page.wait_for_selector("[data-testid='stApp']")
    page.get_by_text("No runs yet").wait_for()  # the clear reached browser storage too

    page.get_by_role("button", name=re.compile("^Import")).click()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(exported))
    page.get_by_text("Imported 2 entries").wait_for(timeout=10_000)
    expect(entry_headers(page)).to_have_count(2)
    page.reload()
    page.wait_for_selector("[data-testid='stApp']")
    expect(entry_headers(page)).to_have_count(2)


BLOCKED_STORAGE = {
    "unavailable": """Object.defineProperty(window, 'localStorage', {
        get() { throw new DOMException('denied', 'SecurityError'); }});""",
    "full": """Storage.prototype.setItem = function () {
        throw new DOMException('quota', 'QuotaExceededError'); };""",
}


@pytest.mark.parametrize(
    ("kind", "note"),
    [
        ("unavailable", "does not allow local storage"),
        ("full", "storage is full, so the history will not survive a reload"),
    ],
)
def test_without_browser_storage_history_still_works_and_says_so(
    browser,
    app_url,
    relay,
    kind,
    note,
):
    context = browser.new_context()
    context.add_init_script(BLOCKED_STORAGE[kind])
    page = context.new_page()
    page.goto(app_url)
    document_box(page).wait_for()
    send_prompt(page, relay, "no storage here")
    page.get_by_text("Status: done").wait_for(timeout=20_000)
    # The page has taken the finished run in: the completion is in the document. (A click on
    # History in the rerun that ends the run can be lost to that rerun's st.rerun().)
    expect(model_text(page)).to_have_text(relay.expected_text(relay.last["body"]))
    go_to_history(page)
    page.get_by_text(note).wait_for(timeout=10_000)
    expect(entry_headers(page).first).to_contain_text("no storage here")
    assert page.locator("[data-testid='stException']").count() == 0
    context.close()


class RunWatch:
    """Streamlit's own messages on the page's websocket: storage acknowledgements and runs.

    The storage mirror acknowledges a write by sending its component state ({"ack": n}) with a
    rerun; a run that finishes after such a message has drawn the page the reader is left with.
    """

    def __init__(self, page) -> None:
        self.socket = None
        self.acked = False
        self.finished_after_ack = False
        page.on("websocket", self._watch)

    def _watch(self, socket) -> None:
        self.socket = socket
        socket.on("framesent", self._sent)
        socket.on("framereceived", self._received)

    def _sent(self, payload: bytes | str) -> None:
        msg = BackMsg.FromString(payload if isinstance(payload, bytes) else payload.encode())
        if msg.WhichOneof("type") != "rerun_script":
            return
        for widget in msg.rerun_script.widget_states.widgets:
            mirror = widget.id.endswith("history_store") and widget.HasField("json_value")
            if mirror and json.loads(widget.json_value).get("ack"):
                self.acked, self.finished_after_ack = True, False

    def _finished_run(self, payload: bytes | str) -> bool:
        msg = ForwardMsg.FromString(payload if isinstance(payload, bytes) else payload.encode())
        return (
            msg.WhichOneof("type") == "script_finished"
            and msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY
        )

    def _received(self, payload: bytes | str) -> None:
        if self.acked and self._finished_run(payload):
            self.finished_after_ack = True

    def wait_for_acknowledged_run(self) -> None:
        """Until a run that received the storage's acknowledgement has finished."""
        if self.finished_after_ack:
            return
        self.socket.wait_for_event(
            "framereceived", lambda payload: self.acked and self._finished_run(payload)
        )


def history_file(tmp_path, entries: list[dict]):
    path = tmp_path / "history.json"
    path.write_bytes(export_bytes(entries))
    return path


def file_entry(i: int, **fields) -> dict:
    return {
        "id": f"file-{i}",
        "created_at": f"2026-01-01T{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}+00:00",
        "base_url": "http://relay.example/v1",
        "request": {"model": "file-model", "prompt": f"prompt {i}"},
        "response": {"choices": [{"index": 0, "text": f"text {i}"}]},
        "status": "ok",
        "timings": {"total_s": 0.5},
        **fields,
    }


def upload(page, path) -> None:
    page.get_by_role("button", name=re.compile("^Import")).click()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(path))


def test_an_import_into_an_empty_history_stays_confirmed(browser, app_url, relay, tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    runs = RunWatch(page)
    page.goto(app_url)
    go_to_history(page)
    page.get_by_text("No runs yet").wait_for()
    upload(page, history_file(tmp_path, [file_entry(1), file_entry(2)]))
    expect(page.get_by_text("Imported 2 entries.")).to_be_visible()
    page.wait_for_function(f"() => ({STORED})().length === 2")
    # The storage mirror acknowledges the write with a rerun: after that run the confirmation
    # must still be on the page (it used to vanish within half a second).
    runs.wait_for_acknowledged_run()
    expect(page.get_by_text("Imported 2 entries.")).to_be_visible(timeout=1_000)
    expect(entry_headers(page)).to_have_count(2)
    expect(entry_headers(page).first).to_contain_text("Imported")
    page.get_by_role("textbox", name="Search prompt and output").fill("prompt 1")
    page.keyboard.press("Enter")  # the next action ends the confirmation
    expect(page.get_by_text("Imported 2 entries.")).to_have_count(0)
    context.close()


def test_a_large_import_reaches_browser_storage_capped(page, relay, tmp_path):
    go_to_history(page)
    upload(page, history_file(tmp_path, [file_entry(i) for i in range(1_200)]))
    expect(page.get_by_text("kept the newest 500 of 1,200 new entries")).to_be_visible()
    page.wait_for_function(f"() => ({STORED})().length === 500")
    stored = page.evaluate(STORED)
    assert [e["id"] for e in stored] == [f"file-{i}" for i in range(700, 1_200)]
    assert all(e["imported"] is True for e in stored)
    expect(entry_headers(page).first).to_contain_text("prompt 1199")


def test_untrusted_text_from_a_file_is_never_a_link(page, relay, tmp_path):
    hostile = file_entry(
        1,
        base_url="https://evil.example/v1",
        request={"model": "www.evil.example", "prompt": "see https://evil.example/p"},
        status="error",
        error={"status": 401, "message": "API key rejected. Log in at https://evil.example/login "
               "or www.evil.example, or mail help@evil.example"},
    )  # fmt: skip
    go_to_history(page)
    upload(page, history_file(tmp_path, [hostile]))
    expect(page.get_by_text("Imported 1 entry.")).to_be_visible()
    header = entry_headers(page).first
    expect(header).to_contain_text("Imported")
    header.click()
    entry = page.locator("[data-testid='stMain'] [data-testid='stExpander']").first
    alert = entry.locator("[data-testid='stAlert']")
    expect(alert).to_contain_text("evil.example/login")
    expect(entry.get_by_text("From an imported file")).to_be_visible()
    expect(entry.get_by_text("https://evil.example/v1", exact=False)).to_be_visible()
    expect(page.locator("[data-testid='stMain'] [data-testid='stExpander'] a")).to_have_count(0)


def test_a_history_too_big_to_upload_is_pasted_instead(browser, app_url, relay, tmp_path):
    # Issue #18: uploads stay small (server.maxUploadSize); a bigger file goes in as pasted text.
    big = file_entry(1, request={"model": "file-model", "prompt": "big " + "x" * 3_000_000})
    path = history_file(tmp_path, [big, file_entry(2)])
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(app_url)
    go_to_history(page)
    upload(page, path)
    expect(page.get_by_text(re.compile(r"File must be .*MB or smaller"))).to_be_visible()
    expect(entry_headers(page)).to_have_count(0)
    box = page.get_by_role("textbox", name=re.compile("^…or paste or drop"))
    box.click()
    page.evaluate("text => navigator.clipboard.writeText(text)", path.read_text())
    page.keyboard.press("ControlOrMeta+V")
    page.get_by_role("button", name="Import pasted text").click()
    expect(page.get_by_text("Imported 2 entries.")).to_be_visible(timeout=30_000)
    expect(entry_headers(page)).to_have_count(2)
    page.wait_for_function(f"() => ({STORED})().length === 2")
    if not box.is_visible():
        page.get_by_role("button", name=re.compile("^Import$")).click()
    expect(box).to_have_value("")  # imported, so the text is gone from the box
    context.close()


class HeldSocket:
    """The app's websocket through a gate: from the storage reader's drawing on, what the server
    sends waits until the test lets it through, in order.

    Used to replay, every time, what a busy machine does now and then: the page's last drawing
    (the reader, drawn last) reaches the browser only after a page link was clicked.
    """

    def __init__(self, page, hold: bool = True, drop_answers: int = 0) -> None:
        self.drop_answers = drop_answers  # lose this many of the reader's answers on the way
        self.dropped = 0
        self.holding = False
        self.armed = hold  # holds from the first drawing of the reader only
        self.held: list[bytes | str] = []
        self.page_requests: list[str] = []  # the page each rerun the browser asked for names
        self.client = None
        page.route_web_socket(re.compile(r".*/_stcore/stream$"), self._route)

    def _route(self, client) -> None:
        self.client = client
        server = client.connect_to_server()
        client.on_message(lambda message: self._from_browser(server, message))
        server.on_message(self._from_server)

    def _from_browser(self, server, message: bytes | str) -> None:
        if isinstance(message, bytes):
            msg = BackMsg.FromString(message)
            if msg.WhichOneof("type") == "rerun_script":
                self.page_requests.append(msg.rerun_script.page_script_hash)
                widgets = msg.rerun_script.widget_states.widgets
                answer = any("storage_reader" in w.id and "loaded" in str(w) for w in widgets)
                if answer and self.dropped < self.drop_answers:
                    self.dropped += 1
                    return
        server.send(message)

    def _from_server(self, message: bytes | str) -> None:
        if self.armed and isinstance(message, bytes) and self._draws_reader(message):
            self.holding, self.armed = True, False
        if self.holding:
            self.held.append(message)
        else:
            self.client.send(message)

    @staticmethod
    def _draws_reader(message: bytes) -> bool:
        msg = ForwardMsg.FromString(message)
        if msg.WhichOneof("type") != "delta" or not msg.delta.HasField("new_element"):
            return False
        element = msg.delta.new_element
        return element.HasField("bidi_component") and (
            "storage_reader" in element.bidi_component.component_name
        )

    def wait(self, page, condition, frames: int = 400, required: bool = True) -> None:
        """Until `condition()` holds, for at most `frames` of the page's animation frames; the
        page's events (and these handlers) run meanwhile."""
        for _ in range(frames):
            if condition():
                return
            page.evaluate("() => new Promise((resolve) => requestAnimationFrame(resolve))")
        if required:
            raise AssertionError("the websocket never reached the awaited state")

    def release_up_to_next_session(self) -> None:
        """What the old page's run still sent, not the new page's first message."""
        while self.held:
            message = self.held[0]
            if isinstance(message, bytes) and ForwardMsg.FromString(message).HasField(
                "new_session"
            ):
                return
            self.client.send(self.held.pop(0))

    def release_all(self) -> None:
        self.holding = False
        while self.held:
            self.client.send(self.held.pop(0))


def test_a_page_link_clicked_before_the_page_finished_drawing_opens_that_page(
    browser, app_url, relay
):
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    socket = HeldSocket(page)
    page.goto(app_url + "/history")
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    socket.wait(page, lambda: socket.held)  # the reader's drawing has not reached the page
    requests_before = len(socket.page_requests)
    page.get_by_role("link", name="Playground").click()
    socket.wait(page, lambda: len(socket.page_requests) > requests_before)
    # History's last drawing arrives after the request for the playground: its reader, drawn
    # now, must not ask the server for History again (the playground would go blank).
    requests_before = len(socket.page_requests)
    socket.release_up_to_next_session()
    expect(page.locator(".st-key-storage_reader_box .stBidiComponent")).to_be_attached()
    # A reader that answers now does so within a few frames; one that waits sends nothing.
    socket.wait(page, lambda: len(socket.page_requests) > requests_before, 20, required=False)
    socket.release_all()
    document_box(page).wait_for()
    write_document(page, "after the page change")
    page.keyboard.press("Control+Enter")
    # Waits through Playwright only: the test's socket passes messages on while Playwright runs.
    expect(model_text(page)).to_be_visible()
    assert relay.last["body"]["prompt"] == "after the page change"
    expect(model_text(page)).to_have_text(relay.expected_text(relay.last["body"]))
    context.close()


def test_what_the_browser_kept_reaches_the_next_page_when_an_answer_was_lost(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    kept = json.dumps([file_entry(1)])
    context.add_init_script(  # the app's pages only (blank pages may not use storage)
        f"if (location.protocol === 'http:' && !localStorage.getItem('{HISTORY_KEY}'))"
        f" localStorage.setItem('{HISTORY_KEY}', {kept!r});"
    )
    page = context.new_page()
    socket = HeldSocket(page, hold=False, drop_answers=1)  # as a page change can lose it
    page.goto(app_url)
    socket.wait(page, lambda: socket.dropped)
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    expect(entry_headers(page)).to_have_count(1)
    expect(entry_headers(page).first).to_contain_text("prompt 1")
    context.close()
