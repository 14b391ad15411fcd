"""The document editor in real Chromium: the completion streams into the prompt (issue #11).

The editor lives in an open shadow root; Playwright's CSS and role locators pierce it.
"""

from __future__ import annotations

import re
from itertools import pairwise
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.support.browser import document_box, model_text, open_app

pytestmark = pytest.mark.browser

WAIT_MS = 30_000
EVIL = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><b>bold</b>'


APP_ENV = {"RUN_IDLE_SECONDS": "5"}


@pytest.fixture
def open_page(browser, app_url, relay):
    """Open the playground (with share-link query parameters) in a fresh browser context."""
    contexts = []

    def open_(query: dict | None = None):
        context, page = open_app(browser, app_url + ("/?" + urlencode(query) if query else "/"))
        contexts.append(context)
        expect(document_box(page)).to_be_visible(timeout=WAIT_MS)
        return page

    yield open_
    for context in contexts:
        context.close()


def document(page, name: str = "Document"):
    return page.get_by_role("textbox", name=name, exact=True)


def doc_text(page) -> str:
    return document_box(page).evaluate("e => e.textContent")


def button(page, label: str):
    # A button's accessible name includes its shortcut hint ("Submit Ctrl + Enter").
    return page.get_by_role("button", name=re.compile(rf"^{re.escape(label)}(\s|$)"))


def status(page):
    return page.get_by_text(re.compile(r"^Status: ")).first


def completions(relay) -> list[dict]:
    return [r for r in relay.received if r["path"].startswith("/v1/completions")]


def type_at_end(page, text: str) -> None:
    box = document(page)
    box.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def send(page, relay) -> dict:
    """Ctrl+Enter in the document; the body of the request the relay received for it."""
    sent = len(completions(relay))
    page.keyboard.press("Control+Enter")
    assert relay.wait_for(lambda: len(completions(relay)) > sent, timeout=30)
    return completions(relay)[sent]["body"]


def wait_done(page) -> None:
    expect(status(page)).to_contain_text("Status: done", timeout=WAIT_MS)


def write_and_send(page, relay, prompt: str) -> tuple[dict, str]:
    """Type `prompt` into the empty document, send it, wait for the whole completion."""
    type_at_end(page, prompt)
    body = send(page, relay)
    wait_done(page)
    expected = relay.expected_text(body)
    expect(model_text(page)).to_have_text([expected], timeout=WAIT_MS)
    return body, expected


def test_ctrl_enter_appends_a_tinted_completion_to_the_document(open_page, relay):
    page = open_page()
    body, expected = write_and_send(page, relay, "Once upon a time")
    assert body["prompt"] == "Once upon a time"
    assert doc_text(page) == "Once upon a time" + expected
    # The completion is inside the same editable element, and tinted.
    box = document_box(page)
    assert box.get_attribute("contenteditable") == "plaintext-only"
    background = model_text(page).first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert len(completions(relay)) == 1  # the page's own Ctrl+Enter shortcut did not fire too


def test_sending_again_sends_the_whole_edited_document(open_page, relay):
    page = open_page()
    relay.options["natural_length"] = 6
    _, expected = write_and_send(page, relay, "Dear diary,")
    type_at_end(page, " And then")
    whole = "Dear diary," + expected + " And then"
    expect(document(page)).to_have_text(whole)
    # What the person typed is theirs: not inside the model's tinted span.
    expect(model_text(page)).to_have_text([expected])
    body = send(page, relay)
    assert body["prompt"] == whole
    wait_done(page)
    second = relay.expected_text(body)
    expect(model_text(page)).to_have_text([expected, second], timeout=WAIT_MS)
    assert doc_text(page) == whole + second


def test_typed_text_survives_reruns_and_a_stream_goes_on_while_the_sidebar_changes(
    open_page, relay
):
    page = open_page()
    type_at_end(page, "Typed, then")
    # A sidebar change reruns the page: the document keeps what was typed.
    page.get_by_text("Advanced").click()
    echo = page.locator(".st-key-echo input")
    page.locator(".st-key-echo label").first.click()
    expect(echo).to_be_checked()
    expect(document(page)).to_have_text("Typed, then")
    type_at_end(page, " more")
    relay.options["token_delay"] = 0.05
    body = send(page, relay)
    assert body["prompt"] == "Typed, then more" and body["echo"] is True
    # Changing a widget while the completion streams does not stop it.
    expect(model_text(page)).not_to_have_text([""], timeout=WAIT_MS)
    page.locator(".st-key-echo label").first.click()
    expect(echo).not_to_be_checked()
    wait_done(page)
    expected = relay.expected_text(body)[len("Typed, then more") :]  # echoed prompt left out
    expect(model_text(page)).to_have_text([expected], timeout=WAIT_MS)
    assert doc_text(page) == "Typed, then more" + expected


def test_escape_stops_the_stream_and_keeps_the_partial_text(open_page, relay):
    page = open_page()
    relay.options["token_delay"] = 0.1
    type_at_end(page, "A long story")
    body = send(page, relay)
    live = document_box(page).locator(".cp-live")
    expect(live).to_have_text(re.compile(r"[\s\S]{20,}"), timeout=WAIT_MS)
    page.keyboard.press("Escape")
    expect(status(page)).to_contain_text("Status: stopped", timeout=WAIT_MS)
    full = relay.expected_text(body)
    expect(model_text(page)).to_have_count(1, timeout=WAIT_MS)
    partial = model_text(page).first.evaluate("e => e.textContent")
    assert partial and full.startswith(partial) and len(partial) < len(full)
    assert doc_text(page) == "A long story" + partial
    assert relay.wait_for(lambda: relay.disconnects >= 1, timeout=10)


def test_regenerate_replaces_the_last_completion(open_page, relay):
    page = open_page()
    relay.options["natural_length"] = 5
    write_and_send(page, relay, "Tell me")
    relay.options["text"] = " something else entirely"
    sent = len(completions(relay))
    button(page, "Regenerate").click()
    assert relay.wait_for(lambda: len(completions(relay)) > sent, timeout=30)
    assert completions(relay)[sent]["body"]["prompt"] == "Tell me"
    expect(model_text(page)).to_have_text([" something else entirely"], timeout=WAIT_MS)
    wait_done(page)
    assert doc_text(page) == "Tell me something else entirely"


def test_undo_button_and_ctrl_z_restore_the_document(open_page, relay):
    page = open_page()
    relay.options["natural_length"] = 5
    write_and_send(page, relay, "Before")
    button(page, "Undo").click()
    expect(model_text(page)).to_have_count(0, timeout=WAIT_MS)
    expect(document(page)).to_have_text("Before")
    expect(button(page, "Undo")).to_be_disabled(timeout=WAIT_MS)
    # Again, and this time the editor's own Ctrl+Z takes the completion out.
    body = send_from_document(page, relay)
    assert body["prompt"] == "Before"
    wait_done(page)
    expect(model_text(page)).to_have_count(1, timeout=WAIT_MS)
    document(page).click()
    page.keyboard.press("Control+z")
    expect(model_text(page)).to_have_count(0, timeout=WAIT_MS)
    expect(document(page)).to_have_text("Before")
    # Python took the undone document: the Undo button has nothing left to undo, and the
    # next send is the document as shown.
    expect(button(page, "Undo")).to_be_disabled(timeout=WAIT_MS)
    body = send_from_document(page, relay)
    assert body["prompt"] == "Before"


def send_from_document(page, relay) -> dict:
    document(page).click()
    return send(page, relay)


def show_probabilities(page, label: str = "Show probabilities") -> None:
    toggle = page.get_by_role("switch", name=label)
    expect(toggle).to_be_enabled(timeout=WAIT_MS)
    page.get_by_text(label, exact=True).click()
    expect(toggle).to_be_checked()
    expect(document_box(page).locator(".cp-tok").first).to_be_visible(timeout=WAIT_MS)


def alternatives_of(relay, body: dict, position: int) -> tuple[str, list[str]]:
    """The token at `position` of choice 0 and its alternatives, most likely first."""
    piece = relay.generate(body).choices[0].pieces[position]
    top = piece.top_logprobs[0]
    return piece.tokens[0], [t for t, _ in sorted(top.items(), key=lambda kv: -kv[1])]


def shown(token: str) -> str:
    """A token as the popover shows it (document.js `visible`)."""
    text = token.replace("\n", "↵").replace("\t", "⇥")
    return text if token.strip() else text.replace(" ", "␣")


def test_clicking_a_token_shows_alternatives_and_choosing_one_branches(open_page, relay):
    page = open_page({"logprobs": "3"})
    relay.options["natural_length"] = 8
    body, expected = write_and_send(page, relay, "Branch here:")
    assert body["logprobs"] == 3
    show_probabilities(page)
    tokens = document_box(page).locator(".cp-tok")
    expect(tokens).to_have_count(8)
    position = 3
    token, alternatives = alternatives_of(relay, body, position)
    tokens.nth(position).click()
    pop = page.get_by_role("dialog")
    expect(pop).to_be_visible()
    assert pop.evaluate("e => e.classList.contains('cp-pop')")
    expect(pop.locator(".cp-pop-token")).to_have_text(shown(token))
    alts = pop.locator("button.cp-alt .cp-alt-text")
    expect(alts).to_have_text([shown(a) for a in alternatives])
    assert pop.locator("button.cp-alt:disabled").count() == 1  # the chosen token itself
    # Choosing an alternative cuts the document before the token and continues from there.
    choice = next(a for a in alternatives if a != token)
    sent = len(completions(relay))
    pop.locator("button.cp-alt:not([disabled])").first.click()
    assert relay.wait_for(lambda: len(completions(relay)) > sent, timeout=30)
    branch = completions(relay)[sent]["body"]
    head = "".join(relay.expected_pieces(body)[:position])
    assert branch["prompt"] == "Branch here:" + head + choice
    wait_done(page)
    expect(document(page)).to_have_text(
        "Branch here:" + head + choice + relay.expected_text(branch), timeout=WAIT_MS
    )
    assert expected.startswith(head)


def keyboard_on_tokens(open_page, relay, prompt: str):
    """`prompt` completed with probabilities shown, the first token focused with Tab."""
    page = open_page({"logprobs": "2"})
    relay.options["natural_length"] = 5
    body, _ = write_and_send(page, relay, prompt)
    show_probabilities(page)
    tokens = document_box(page).locator(".cp-tok")
    document(page).focus()
    page.keyboard.press("Tab")
    expect(tokens.nth(0)).to_be_focused()
    return page, body, tokens


def test_probability_popover_works_from_the_keyboard(open_page, relay):
    page, body, tokens = keyboard_on_tokens(open_page, relay, "Keys:")
    page.keyboard.press("ArrowRight")
    expect(tokens.nth(1)).to_be_focused()
    page.keyboard.press("Enter")
    pop = page.get_by_role("dialog")
    expect(pop).to_be_visible()
    first_alt = pop.locator("button.cp-alt:not([disabled])").first
    expect(first_alt).to_be_focused()
    page.keyboard.press("Escape")
    expect(pop).to_be_hidden()
    expect(tokens.nth(1)).to_be_focused()
    # Open it again and branch with Enter on the first alternative.
    page.keyboard.press("Enter")
    expect(first_alt).to_be_focused()
    token, alternatives = alternatives_of(relay, body, 1)
    choice = next(a for a in alternatives if a != token)
    sent = len(completions(relay))
    page.keyboard.press("Enter")
    assert relay.wait_for(lambda: len(completions(relay)) > sent, timeout=30)
    head = relay.expected_pieces(body)[0]
    assert completions(relay)[sent]["body"]["prompt"] == "Keys:" + head + choice


def test_use_this_swaps_another_choice_into_the_document(open_page, relay):
    page = open_page({"n": "3"})
    relay.options["natural_length"] = 6
    body, first = write_and_send(page, relay, "Pick one:")
    assert body["n"] == 3
    use = button(page, "Use this")
    expect(use).to_have_count(2, timeout=WAIT_MS)
    others = [relay.expected_text(body, i) for i in (1, 2)]
    cards = page.locator("[data-testid=stColumn]").filter(has=use)
    card = cards.filter(has=page.get_by_text(others[1], exact=True))
    expect(card).to_have_count(1)
    card.get_by_role("button", name=re.compile("^Use this")).click()
    expect(model_text(page)).to_have_text([others[1]], timeout=WAIT_MS)
    expect(document(page)).to_have_text("Pick one:" + others[1])
    # The card for choice 0 can now swap it back.
    expect(page.get_by_text(first, exact=True)).to_be_visible(timeout=WAIT_MS)


def test_model_html_stays_inert_in_document_and_popover(open_page, relay):
    page = open_page({"logprobs": "2"})
    relay.options["text"] = EVIL
    write_and_send(page, relay, "html please")
    root = document_box(page)
    expect(model_text(page)).to_have_text([EVIL])
    assert root.locator("img, script, b").count() == 0
    show_probabilities(page)
    tokens = document_box(page).locator(".cp-tok")
    expect(tokens.first).to_have_text("<im")
    tokens.first.click()
    pop = page.get_by_role("dialog")
    expect(pop).to_be_visible()
    expect(pop.locator(".cp-pop-token")).to_have_text("<im")
    assert pop.locator("img, script, b").count() == 0
    # A token with a whole tag-like run of characters, shown literally.
    expect(tokens).to_have_text([EVIL[i : i + 3] for i in range(0, len(EVIL), 3)])
    assert page.locator("[data-testid=document] img, .cp-pop img").count() == 0
    assert page.evaluate("() => window.__xss === undefined")


def test_document_and_three_completion_lines_fit_a_1280x720_screen(open_page, relay):
    page = open_page()
    page.set_viewport_size({"width": 1280, "height": 720})
    expect(page.locator("[data-testid=stSidebar]")).to_have_attribute("data-collapsed", "false")
    relay.options["text"] = "".join(f"line {i} of the poem\n" for i in range(1, 31))
    write_and_send(page, relay, "A poem:")
    visible_lines = document_box(page).evaluate(
        """box => {
            const clip = box.getBoundingClientRect();
            const top = Math.max(0, clip.top), bottom = Math.min(innerHeight, clip.bottom);
            const span = box.querySelector('.cp-model');
            const range = document.createRange();
            range.selectNodeContents(span);
            const lines = new Set();
            for (const r of range.getClientRects()) {
                if (r.height > 0 && r.top >= top - 1 && r.bottom <= bottom + 1) lines.add(r.top);
            }
            let scrolled = window.scrollY;
            for (let e = box.getRootNode().host; e; e = e.parentElement) scrolled += e.scrollTop;
            return {lines: lines.size, top: clip.top, scrolled, height: innerHeight};
        }"""
    )
    assert visible_lines["scrolled"] == 0, visible_lines  # nothing was scrolled to get there
    assert visible_lines["top"] >= 0, visible_lines
    assert visible_lines["lines"] >= 3, visible_lines


def test_chinese_labels(open_page, relay):
    page = open_page({"lang": "zh"})
    expect(document(page, "文档")).to_be_visible()
    for label in ("提交", "停止", "重新生成", "撤销"):
        expect(button(page, label)).to_be_visible()
    expect(page.get_by_role("switch", name="显示概率")).to_be_attached()
    expect(page.get_by_text("显示概率", exact=True)).to_be_visible()


def test_a_long_stream_arrives_whole_though_frames_carry_only_its_end(open_page, relay):
    # Frames carry the last 32,000 characters; the browser appends what is new to what it has.
    relay.options["token_delay"] = 0.0005
    relay.options["natural_length"] = 20_000
    page = open_page({"max_tokens": 20_000})
    type_at_end(page, "Long:")
    body = send(page, relay)
    live = document_box(page).locator(".cp-live")
    page.wait_for_function(
        "() => { const hosts = [...document.querySelectorAll('*')].filter(e => e.shadowRoot);"
        " return hosts.some(h => { const l = h.shadowRoot.querySelector('.cp-live');"
        " return l && l.textContent.length > 40000; }); }",
        timeout=60_000,
    )
    shown = live.evaluate("e => e.textContent")
    expected = relay.expected_text(body)
    assert len(shown) > 40_000 and expected.startswith(shown)
    page.keyboard.press("Escape")
    expect(status(page)).to_contain_text("Status: stopped", timeout=WAIT_MS)


def test_the_suffix_shows_greyed_after_the_insertion_point(open_page, relay):
    page = open_page({"suffix": " THE END"})
    suffix = document_box(page).locator(".cp-suffix")
    expect(suffix).to_have_text(" THE END")
    body, expected = write_and_send(page, relay, "Begin:")
    assert body["suffix"] == " THE END" and body["prompt"] == "Begin:"
    # The completion streams in between: prompt, completion, then the suffix, never sent twice.
    assert doc_text(page) == "Begin:" + expected + " THE END"
    assert suffix.evaluate("e => getComputedStyle(e).opacity") != "1"
    assert suffix.get_attribute("contenteditable") == "false"
    type_at_end(page, " more")
    assert send(page, relay)["prompt"] == "Begin:" + expected + " more"


def test_the_popover_closes_when_the_focus_leaves_it_and_on_escape_anywhere(open_page, relay):
    page, _, tokens = keyboard_on_tokens(open_page, relay, "Focus:")
    page.keyboard.press("Enter")
    pop = page.get_by_role("dialog")
    expect(pop).to_be_visible()
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(pop).to_be_hidden()
    # Open again, then Esc from elsewhere in the page (the focus stays where it was).
    tokens.nth(2).click()
    expect(pop).to_be_visible()
    page.evaluate(
        "() => document.body.dispatchEvent("
        "new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}))"
    )
    expect(pop).to_be_hidden()


# The left edge of each visible character in `selector` (the whole box when null), in text
# order, leaving out the bidi marks; the test texts fit on one line.
EDGES = """(root, selector) => {
    const out = [];
    for (const part of selector ? root.querySelectorAll(selector) : [root]) {
        const walker = document.createTreeWalker(part, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (node.parentElement.closest('.cp-bidi, .lp-bidi')) continue;
            for (let i = 0; i < node.data.length; i++) {
                if (!node.data[i].trim()) continue;
                const range = document.createRange();
                range.setStart(node, i);
                range.setEnd(node, i + 1);
                out.push(range.getBoundingClientRect().left);
            }
        }
    }
    return out;
}"""
RLO, PDF = "\u202e", "\u202c"


def left_to_right(edges: list[float]) -> bool:
    return len(edges) > 1 and all(a < b for a, b in pairwise(edges))


def test_bidi_controls_are_shown_as_marks_and_reorder_nothing(open_page, relay):
    page = open_page({"logprobs": "2", "suffix": f"end{RLO}fin"})
    relay.options["text"] = f" one {RLO}two three{PDF} four"
    _, expected = write_and_send(page, relay, f"Start {RLO}here")
    root = document_box(page)
    # The text is the one sent and received; it is shown in that order, left to right.
    assert doc_text(page) == f"Start {RLO}here" + expected + f"end{RLO}fin"
    for selector in (".cp-model", ".cp-suffix", None):
        edges = root.evaluate(EDGES, selector)
        assert left_to_right(edges), (selector, edges)
    marks = root.locator(".cp-bidi")
    # Each control is a visible, named mark: the prompt's, two in the completion, the suffix's.
    assert [m.get_attribute("data-name") for m in marks.all()] == ["RLO", "RLO", "PDF", "RLO"]
    assert all(m.evaluate("e => e.getBoundingClientRect().width") > 5 for m in marks.all())
    # Sent again as it is: the controls stay in the text, only shown as marks.
    type_at_end(page, ".")
    assert send(page, relay)["prompt"] == f"Start {RLO}here" + expected + "."
    wait_done(page)
    # Token by token too, and the popover names the control.
    show_probabilities(page)
    assert left_to_right(root.evaluate(EDGES, ".cp-model"))
    tokens = root.locator(".cp-tok")
    with_rlo = tokens.evaluate_all(f"ts => ts.findIndex(t => t.textContent.includes('{RLO}'))")
    tokens.nth(with_rlo).click()
    expect(page.get_by_role("dialog").locator(".cp-pop-token")).to_contain_text("⟨RLO⟩")


def test_bidi_controls_reorder_nothing_in_another_choices_tokens(open_page, relay):
    page = open_page({"logprobs": "2", "n": "2"})
    relay.options["text"] = f" one {RLO}two three{PDF} four"
    write_and_send(page, relay, "Two:")
    # Choice 1 is a card below the document, its tokens shaded by probability.
    card = page.locator(".lp-text").first
    expect(card.locator(".lp-bidi")).to_have_count(2)
    assert left_to_right(card.evaluate(EDGES, None))


# The index of the token lowest in the document's visible part.
LOWEST_TOKEN = """box => {
    const clip = box.getBoundingClientRect();
    let best = -1, bottom = -Infinity;
    box.querySelectorAll('.cp-tok').forEach((t, i) => {
        const r = t.getBoundingClientRect();
        if (r.top >= clip.top && r.bottom <= clip.bottom && r.bottom > bottom) {
            best = i;
            bottom = r.bottom;
        }
    });
    return best;
}"""


def test_at_1280x720_the_document_fills_the_window_and_its_popover_keeps_off_the_status(
    open_page, relay
):
    page = open_page({"logprobs": "3"})
    page.set_viewport_size({"width": 1280, "height": 720})
    relay.options["text"] = "".join(f"line {i} of the poem\n" for i in range(1, 31))
    write_and_send(page, relay, "A poem:")
    box = document_box(page).bounding_box()
    assert box["height"] >= 0.6 * 720, box
    # The status line shows right under it, on screen.
    line = status(page).bounding_box()
    assert box["y"] + box["height"] <= line["y"] and line["y"] + line["height"] <= 720, line
    # Fitted again with the page scrolled down (a window resize), it keeps its height.
    page.mouse.move(640, 700)
    page.mouse.wheel(0, 300)
    page.wait_for_function("() => document.querySelector('[data-testid=stMain]').scrollTop > 0")
    page.evaluate("() => window.dispatchEvent(new Event('resize'))")
    assert document_box(page).bounding_box()["height"] == box["height"]
    page.mouse.wheel(0, -300)
    page.wait_for_function("() => document.querySelector('[data-testid=stMain]').scrollTop == 0")
    show_probabilities(page)
    # The lowest token on screen: there is no room for its popover below it.
    lowest = document_box(page).evaluate(LOWEST_TOKEN)
    document_box(page).locator(".cp-tok").nth(lowest).click()
    pop = page.get_by_role("dialog")
    expect(pop).to_be_visible()
    shown = pop.bounding_box()
    assert shown["y"] >= box["y"] and shown["y"] + shown["height"] <= box["y"] + box["height"]
    assert shown["y"] + shown["height"] <= line["y"], (shown, line)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_at_1280x720_sidebar_buttons_show_their_whole_labels(open_page, relay, lang):
    from lib.i18n.catalog import CATALOG

    def text(key: str) -> str:
        return CATALOG[key][lang]

    page = open_page({"lang": lang})
    page.set_viewport_size({"width": 1280, "height": 720})
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text(text("conn.title"), exact=True).click()
    sidebar.get_by_label(text("conn.base_url"), exact=True).fill(relay.base_url)
    sidebar.get_by_label(text("conn.save_name"), exact=True).fill("relay A")
    sidebar.get_by_role("button", name=text("conn.save")).click()
    delete = sidebar.get_by_role("button", name=text("conn.delete"))
    expect(delete).to_be_visible(timeout=WAIT_MS)
    labels = sidebar.locator("[data-testid=stButton] [data-testid=stMarkdownContainer]")
    cut = labels.evaluate_all(
        "ls => ls.filter(l => l.getClientRects().length && l.scrollWidth > l.clientWidth)"
        ".map(l => l.textContent)"
    )
    assert cut == [], cut
