"""Compare (#20) in Chromium against the fake relay: two models with known, different tokens
and probabilities stream side by side; Stop per column; the Diff's divergences; branching
from one; Use this; the link in a fresh browser; History's groups."""

from __future__ import annotations

import math
import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import document_box, model_text, open_app

pytestmark = pytest.mark.browser

APP_ENV = {"RUN_IDLE_SECONDS": "10"}
WAIT_MS = 30_000
A, B = "model-a", "model-b"
# Model A says " The cat sat on the mat.", model B " The cat lay on a mat.": they part at the
# third token, and again at the fifth. At the first, A gave " lay" 20.2 % (e^-1.6) and B did
# not have " sat" among its alternatives; at the second each had the other's token.
TOKENS = {
    A: [
        [" The", -0.1, {}],
        [" cat", -0.1, {}],
        [" sat", -0.2, {" lay": -1.6}],
        [" on", -0.1, {}],
        [" the", -0.1, {" a": -2.3}],
        [" mat", -0.1, {}],
        [".", -0.1, {}],
    ],
    B: [
        [" The", -0.1, {}],
        [" cat", -0.1, {}],
        [" lay", -0.3, {}],
        [" on", -0.1, {}],
        [" a", -0.5, {" the": -0.9}],
        [" mat", -0.1, {}],
        [".", -0.1, {}],
    ],
}
TEXT = {model: "".join(t[0] for t in tokens) for model, tokens in TOKENS.items()}
LINK = f"/?prompt=Say%3A&logprobs=2&c1.model={A}&c2.model={B}"
HISTORY = "() => JSON.parse(localStorage.getItem('completions-playground.history.v1') || '[]')"
# The streaming columns' Stop buttons and texts, in the live cards component's shadow root.
CARDS = """() => { for (const h of [...document.querySelectorAll('*')].filter(e => e.shadowRoot)) {
    const g = h.shadowRoot.querySelector('.cp-cards');
    if (g) return [...g.querySelectorAll('.cp-card')].map(c => ({
        label: c.querySelector('.cp-card-label').textContent,
        text: c.querySelector('.cp-card-text').textContent,
        stop: !c.querySelector('.cp-card-stop').hidden})); }
    return null; }"""
STOP_FIRST = """() => {
    for (const h of [...document.querySelectorAll('*')].filter(e => e.shadowRoot)) {
    const b = h.shadowRoot.querySelector('.cp-card[data-index="0"] .cp-card-stop');
    if (b) { b.click(); return true; } } return false; }"""


@pytest.fixture
def open_page(browser, app_url, relay):
    contexts = []

    def open_(query: str = LINK):
        context, page = open_app(browser, app_url + query)
        contexts.append(context)
        return page

    yield open_
    for context in contexts:
        context.close()


def send(page) -> None:
    document_box(page).click()
    page.keyboard.press("Control+Enter")


def statuses(page):
    """The finished columns' status lines (elements; a streaming card's line is in the live
    cards component, which a finished comparison may leave hidden on the page)."""
    captions = page.locator("[data-testid='stCaptionContainer']")
    return captions.filter(has_text=re.compile(r"^Status: ")).filter(visible=True)


def test_columns_stream_together_and_the_diff_shows_where_and_how_sure(open_page, relay):
    relay.options.update(model_tokens=TOKENS, token_delay=0.25)
    page = open_page()
    expect(page.get_by_role("switch", name="Compare")).to_be_checked()
    send(page)
    # Both requests are open at once: the columns stream in parallel.
    assert relay.wait_for(lambda: relay.open_streams == 2, timeout=20)
    page.wait_for_function(
        f"() => {{ const c = ({CARDS})(); return c && c.length === 2 && c.every(x => x.stop)"
        " && c.every(x => x.text.length > 0); }",
        timeout=WAIT_MS,
    )
    assert sorted(r["body"]["model"] for r in relay.received) == [A, B]
    # Both ended: a status line per column, then the Diff.
    expect(statuses(page)).to_have_count(2, timeout=WAIT_MS)
    expect(statuses(page).first).to_contain_text("done")
    diff = page.locator(".cp-diff")
    expect(diff).to_be_visible()
    marked = diff.locator(".cp-diff-at")
    expect(marked).to_have_count(2)
    first = diff.locator(".cp-first")
    expect(first).to_have_count(1)
    expect(first.locator("del")).to_have_text(" sat", use_inner_text=False)
    expect(first.locator("ins")).to_have_text(" lay", use_inner_text=False)
    expect(marked.nth(1).locator("del")).to_have_text(" the", use_inner_text=False)
    expect(marked.nth(1).locator("ins")).to_have_text(" a", use_inner_text=False)
    expect(
        page.get_by_text("They part ways at character 8 (token 3); 2 differences")
    ).to_be_visible()
    lay = f"{math.exp(-1.6):.1%}"
    rows = page.get_by_text(re.compile(r"^Difference \d, at character"))
    expect(rows.first).to_contain_text(f"Column 1 gave Column 2's token {lay}")
    expect(rows.first).to_contain_text("Column 2 gave Column 1's not in top 1")
    expect(rows.nth(1)).to_contain_text(f"{math.exp(-2.3):.1%}")
    expect(rows.nth(1)).to_contain_text(f"{math.exp(-0.9):.1%}")
    # Branch at the first divergence with column 2's token: the document continues from it.
    page.get_by_role("button", name="Branch: Column 2").first.click()
    expect(model_text(page)).to_have_text(["The cat", "lay"])  # lay: picked, as a branch marks
    expect(document_box(page).locator(".cp-picked")).to_have_text("lay")
    expect(document_box(page)).to_contain_text("Say: The cat lay")
    # History holds both columns as one comparison.
    page.wait_for_function(f"() => ({HISTORY})().length === 2", timeout=WAIT_MS)
    tags = page.evaluate(f"() => ({HISTORY})().map(e => e.comparison)")
    assert len({t["group"] for t in tags}) == 1
    assert sorted(t["column"] for t in tags) == [1, 2]


def test_use_this_takes_a_columns_text_into_the_document(open_page, relay):
    relay.options.update(model_tokens=TOKENS)
    page = open_page()
    send(page)
    expect(statuses(page)).to_have_count(2, timeout=WAIT_MS)
    use = page.get_by_role("button", name="Use this")
    use.nth(1).click()
    expect(model_text(page)).to_have_text(re.compile(r"^\s*The cat lay on a mat\.\s*$"))
    use.nth(0).click()  # another column's text replaces it
    expect(model_text(page)).to_have_text(re.compile(r"^\s*The cat sat on the mat\.\s*$"))
    expect(document_box(page)).to_contain_text("Say: The cat sat on the mat.")


def send_long(open_page, relay):
    """A comparison whose columns stream for about eight seconds, both streams open."""
    long = {m: tokens * 6 for m, tokens in TOKENS.items()}
    relay.options.update(model_tokens=long, token_delay=0.2)
    page = open_page()
    send(page)
    assert relay.wait_for(lambda: relay.open_streams == 2, timeout=20)
    return page


def test_stop_on_one_column_closes_only_its_connection(open_page, relay):
    page = send_long(open_page, relay)
    page.wait_for_function(f"() => {{ const c = ({CARDS})(); return c && c.length === 2; }}")
    assert page.evaluate(STOP_FIRST)
    assert relay.wait_for(lambda: relay.disconnects == 1, timeout=10)
    assert relay.open_streams == 1  # column 2 goes on
    expect(statuses(page)).to_have_count(2, timeout=WAIT_MS)
    expect(statuses(page).nth(0)).to_contain_text("stopped")
    expect(statuses(page).nth(1)).to_contain_text("done")
    assert relay.disconnects == 1


def test_esc_stops_every_column(open_page, relay):
    page = send_long(open_page, relay)
    # Esc is the toolbar's Stop (Stop all) once the page shows the comparison running.
    expect(page.get_by_role("button", name=re.compile("^Stop"))).to_be_enabled()
    page.keyboard.press("Escape")
    assert relay.wait_for(lambda: relay.disconnects == 2, timeout=10)
    expect(statuses(page)).to_have_count(2, timeout=WAIT_MS)
    expect(statuses(page).nth(1)).to_contain_text("stopped")


def test_the_link_opens_the_same_comparison_in_a_fresh_browser_without_keys(open_page, relay):
    relay.options.update(model_tokens=TOKENS)
    page = open_page(LINK + "&c2.temperature=1.5")
    model_box = page.get_by_role("textbox", name="Model")
    expect(model_box).to_have_count(2)
    expect(page).to_have_url(re.compile(r"c2\.temperature=1\.5"))
    url = page.url
    assert "key" not in url.lower() and "127.0.0.1:" + str(relay.port) not in url
    fresh = open_page(url[url.index("/?") :])
    expect(fresh.get_by_role("switch", name="Compare")).to_be_checked()
    boxes = fresh.get_by_role("textbox", name="Model")
    expect(boxes.nth(0)).to_have_value(A)
    expect(boxes.nth(1)).to_have_value(B)
    expect(fresh.get_by_text("temperature = 1.5")).to_be_visible()
    send(fresh)
    expect(statuses(fresh)).to_have_count(2, timeout=WAIT_MS)
    by_model = {r["body"]["model"]: r["body"] for r in relay.received}
    assert by_model[B]["temperature"] == 1.5 and by_model[A].get("temperature") != 1.5


def test_history_shows_the_comparison_as_one_group(open_page, relay):
    relay.options.update(model_tokens=TOKENS)
    page = open_page()
    send(page)
    expect(statuses(page)).to_have_count(2, timeout=WAIT_MS)
    page.wait_for_function(f"() => ({HISTORY})().length === 2", timeout=WAIT_MS)
    page.get_by_role("link", name="History").click()
    page.get_by_text("Only comparisons, grouped", exact=True).click()
    expect(page.get_by_role("switch", name="Only comparisons, grouped")).to_be_checked()
    group = page.get_by_text(f"Comparison of 2 columns: {A} · {B}")
    expect(group).to_have_count(1)
    group.click()
    expect(page.get_by_role("button", name="Reopen comparison")).to_be_visible()
    expect(page.get_by_text(TEXT[A].strip())).to_be_visible()
    expect(page.get_by_text(TEXT[B].strip())).to_be_visible()


def test_model_markup_stays_text_in_columns_and_diff(open_page, relay):
    hostile = "<img src=x onerror=window.__owned=1>"
    tokens = {**TOKENS, A: [*TOKENS[A], [hostile, -0.1, {}]]}
    relay.options.update(model_tokens=tokens, token_delay=0.1)
    page = open_page()
    send(page)
    expect(statuses(page)).to_have_count(2, timeout=WAIT_MS)
    expect(page.locator(".cp-diff ins, .cp-diff del").last).to_have_text(hostile)
    assert page.locator(".cp-diff img").count() == 0
    # Column 1's finished text, as text (the hidden live cards hold it too).
    expect(page.get_by_text(TEXT[A] + hostile).filter(visible=True)).to_be_visible()
    assert page.evaluate("() => window.__owned") is None
