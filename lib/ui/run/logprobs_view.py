"""Token probabilities as HTML: each token shaded by its probability, alternatives on hover.

Tokens are model output and therefore untrusted: every token and alternative goes through
`html.escape(quote=True)` before it reaches markup, in text and in attributes alike.
"""

from __future__ import annotations

import html
import re
from typing import Any

from lib.client.chunks import LOGPROB_ARRAYS
from lib.i18n import t
from lib.run.model import alternatives, as_logprob, probability

STYLE = """<style>
.lp-text{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;white-space:pre-wrap;
word-break:break-word;line-height:1.9;font-size:.9rem}
.lp-tok{border-radius:3px;padding:1px 0;cursor:help;unicode-bidi:isolate}
.lp-bidi{unicode-bidi:isolate}
.lp-bidi::before{content:attr(data-name);font-size:.65em;border:1px solid currentColor;
border-radius:3px;padding:0 2px;opacity:.7}
.lp-legend{font-size:.75rem;opacity:.75;margin-top:.4rem}
</style>"""


# Bidirectional controls in a token would reorder what follows them: each is shown as a named
# mark in an isolate of its own (as in the document), and every token is an isolate too.
BIDI_NAMES = {
    "\u061c": "ALM", "\u200e": "LRM", "\u200f": "RLM", "\u202a": "LRE", "\u202b": "RLE",
    "\u202c": "PDF", "\u202d": "LRO", "\u202e": "RLO", "\u2066": "LRI", "\u2067": "RLI",
    "\u2068": "FSI", "\u2069": "PDI",
}  # fmt: skip
_BIDI = re.compile(f"[{''.join(BIDI_NAMES)}]")


def _marked(token: str) -> str:
    """The token as HTML text, each bidirectional control in a named, isolated mark."""
    return _BIDI.sub(
        lambda m: f'<span class="lp-bidi" data-name="{BIDI_NAMES[m[0]]}">{m[0]}</span>',
        html.escape(token, quote=True),
    )


def _list(logprobs: dict, name: str) -> list:
    value = logprobs.get(name)
    return value if isinstance(value, list) else []


def shade(p: float | None) -> str:
    """Background colour: red for unlikely tokens through amber to green for likely ones."""
    if p is None:
        return "transparent"
    return f"hsla({round(120 * p)},75%,45%,0.35)"


def percent(p: float | None, lang: str = "en") -> str:
    return t(lang, "run.na") if p is None else f"{100 * p:.2f}%"


def _visible(token: str) -> str:
    # Show whitespace-only tokens in tooltips, where they would otherwise be invisible.
    shown = token.replace("\n", "↵").replace("\t", "⇥")
    return shown if token.strip() else shown.replace(" ", "␣")


def tooltip(token: str, p: float | None, top: Any, lang: str = "en") -> str:
    lines = [f"{_visible(token)}  {percent(p, lang)}"]
    alts = alternatives(top)
    if alts:
        lines.append(f"─ {t(lang, 'run.top_alternatives')} ─")
        lines += [f"{_visible(alt)}  {percent(ap, lang)}" for alt, ap in alts]
    return "\n".join(lines)


def render_tokens(logprobs: dict, lang: str = "en") -> str:
    """The HTML for one choice's tokens; safe to pass to st.html."""
    tokens, token_lps, tops = (_list(logprobs, n) for n in LOGPROB_ARRAYS[:3])
    spans = []
    for i, token in enumerate(tokens):
        token = str(token)
        p = probability(token_lps[i]) if i < len(token_lps) else None
        top = tops[i] if i < len(tops) else None
        tip = html.escape(tooltip(token, p, top, lang), quote=True)
        spans.append(
            f'<span class="lp-tok" style="background:{shade(p)}" title="{tip}">'
            f"{_marked(token)}</span>"
        )
    legend = f'<div class="lp-legend">{html.escape(t(lang, "run.legend"))}</div>'
    return f'{STYLE}<div class="lp-text">{"".join(spans)}</div>{legend}'


def token_rows(logprobs: dict, lang: str = "en") -> list[dict]:
    """One row per token, for a table view that works without hovering."""
    tokens, token_lps, tops = (_list(logprobs, n) for n in LOGPROB_ARRAYS[:3])
    rows = []
    for i, token in enumerate(tokens):
        lp = token_lps[i] if i < len(token_lps) else None
        alts = alternatives(tops[i] if i < len(tops) else None)
        rows.append(
            {
                t(lang, "run.col.token"): str(token),
                t(lang, "run.col.probability"): percent(probability(lp), lang),
                t(lang, "run.col.logprob"): as_logprob(lp),
                t(lang, "run.col.alternatives"): ", ".join(
                    f"{a!r} {percent(p, lang)}" for a, p in alts
                ),
            }
        )
    return rows
