"""Watching the playground's layout in the browser, frame by frame (issue #18: a second
toolbar and a document that dropped while a run streamed)."""

from __future__ import annotations

# Records, on every animation frame, how many Share menus and Undo buttons the page shows,
# where the document's top is (None while it is not on the page) and where the status line
# under it is, until `window.__layoutStop` is set.
LAYOUT_SAMPLER = """() => {
    const samples = (window.__layout = []);
    window.__layoutStop = false;
    const shown = (e) => e.getClientRects().length > 0;
    const count = (text) => [...document.querySelectorAll('button')]
        .filter((b) => shown(b) && b.innerText.includes(text)).length;
    const tick = () => {
        const editor = (window.__completionsPlaygroundDocument || {}).editor;
        const top = editor && editor.box.isConnected && shown(editor.box)
            ? Math.round(editor.box.getBoundingClientRect().top) : null;
        const line = [...document.querySelectorAll('[data-testid=stCaptionContainer]')]
            .find((e) => shown(e) && /^(Status: |running…)/.test(e.innerText));
        const status = line ? Math.round(line.getBoundingClientRect().top) : null;
        samples.push({share: count('Share · Export · Code'), undo: count('Undo'), top, status});
        if (!window.__layoutStop) requestAnimationFrame(tick);
    };
    tick();
}"""


# Resolves with the document's top once it has stayed put for 30 frames (the page has loaded).
SETTLED = """() => new Promise((resolve) => {
    let last = null, same = 0;
    const tick = () => {
        const editor = (window.__completionsPlaygroundDocument || {}).editor;
        const top = editor && editor.box.isConnected
            ? Math.round(editor.box.getBoundingClientRect().top) : null;
        same = top !== null && top === last ? same + 1 : 0;
        last = top;
        if (same >= 30) resolve(top); else requestAnimationFrame(tick);
    };
    tick();
})"""


def layout_samples(page) -> list[dict]:
    """Stop the sampler; what it recorded, one dict per frame."""
    return page.evaluate("() => { window.__layoutStop = true; return window.__layout; }")


def assert_steady(samples: list[dict], top: int) -> None:
    """From the frame the run's status line first shows: one Share menu and one Undo button in
    every frame, the document at `top` whenever it is shown, the status line never moving."""
    start = next(i for i, s in enumerate(samples) if s["status"] is not None)
    running = samples[start:]
    assert max(s["share"] for s in samples) == 1, samples[-1]
    assert max(s["undo"] for s in samples) == 1, samples[-1]
    tops = {s["top"] for s in running} - {None}
    assert tops == {top}, tops
    lines = {s["status"] for s in running} - {None}
    assert len(lines) == 1, lines
