"""The playground's document: the prompt a person writes and the completions the model added.

A document is a list of segments, each a dict that travels as JSON to the editor component and
back: `{"text": str, "kind": USER | MODEL | INJECT, "run": run id or None}`, and for model text
with probabilities `"tokens": [[token, probability, [[alternative, probability], ...]], ...]`.
The prompt sent is the segments' texts joined. Model and injected segments carry the id of the
run that added them, so that run's text can be removed again (Undo, Regenerate) or swapped for
another choice (Use this) while the person's own edits stay.
"""

from __future__ import annotations

from typing import Any

from lib.run.model import alternatives, probability

USER, MODEL, INJECT = "user", "model", "inject"
KINDS = (USER, MODEL, INJECT)
# What the browser may hand back: more segments or text than this is not a document we made.
MAX_SEGMENTS = 20_000
MAX_TEXT = 5_000_000
MAX_ALTERNATIVES = 20

Segment = dict[str, Any]
Token = list  # [text, probability or None, [[alternative, probability or None], ...]]


def text_of(segments: list[Segment]) -> str:
    return "".join(segment["text"] for segment in segments)


def from_prompt(prompt: str) -> list[Segment]:
    return [user(prompt)] if prompt else []


def user(text: str) -> Segment:
    return {"text": text, "kind": USER, "run": None}


def merged(segments: list[Segment]) -> list[Segment]:
    """Empty segments dropped; neighbouring plain segments of one owner joined into one."""
    out: list[Segment] = []
    for segment in segments:
        if not segment["text"]:
            continue
        last = out[-1] if out else None
        if (
            last is not None
            and last["kind"] == segment["kind"] != MODEL
            and last.get("run") == segment.get("run")
        ):
            out[-1] = {**last, "text": last["text"] + segment["text"]}
        else:
            out.append(segment)
    return out


def runs_in(segments: list[Segment]) -> list[str]:
    """Ids of the runs whose text is in the document, in order of appearance."""
    return list(dict.fromkeys(s["run"] for s in segments if s.get("run")))


def has_run(segments: list[Segment], run_id: str | None) -> bool:
    return run_id is not None and any(s.get("run") == run_id for s in segments)


def without_run(segments: list[Segment], run_id: str) -> list[Segment]:
    """The document with everything run `run_id` added taken out (its model and injected text)."""
    return merged([s for s in segments if s.get("run") != run_id])


def with_completion(
    segments: list[Segment],
    run_id: str,
    completion: str,
    tokens: list[Token] | None,
    start: str = "",
    restart: str = "",
) -> list[Segment]:
    """The document after a run: the start text it sent, the completion, then the restart text.

    The restart text only follows text the model wrote: it is where the person goes on typing.
    """
    added: list[Segment] = []
    if start:
        added.append({"text": start, "kind": INJECT, "run": run_id})
    if completion:
        model: Segment = {"text": completion, "kind": MODEL, "run": run_id}
        if tokens is not None:
            model["tokens"] = tokens
        added.append(model)
        if restart:
            added.append({"text": restart, "kind": INJECT, "run": run_id})
    return merged([*segments, *added])


def with_choice(
    segments: list[Segment], run_id: str, completion: str, tokens: list[Token] | None
) -> list[Segment]:
    """The document with run `run_id`'s model text replaced by another choice's text.

    A run whose text was empty left only its start text: the choice goes right after it.
    """
    model: Segment = {"text": completion, "kind": MODEL, "run": run_id}
    if tokens is not None:
        model["tokens"] = tokens
    out: list[Segment] = []
    placed = False
    for segment in segments:
        if segment.get("run") == run_id and segment["kind"] == MODEL:
            if not placed:
                out.append(model)
            placed = True
            continue
        out.append(segment)
    if not placed:
        ends = [i for i, s in enumerate(out) if s.get("run") == run_id]
        out.insert(ends[-1] + 1 if ends else len(out), model)
    return merged(out)


def branched(
    segments: list[Segment], index: int, token: int, alternative: str
) -> list[Segment] | None:
    """The document cut right before token `token` of segment `index`, with `alternative` there.

    None when the place does not exist (the document changed since the browser drew it).
    """
    if not 0 <= index < len(segments):
        return None
    segment = segments[index]
    tokens = segment.get("tokens")
    if segment["kind"] != MODEL or not tokens or not 0 <= token < len(tokens):
        return None
    chosen = [a for a in tokens[token][2] if a[0] == alternative]
    if not alternative or not chosen:
        return None
    kept = tokens[:token]
    head: Segment = {**segment, "text": "".join(t[0] for t in kept), "tokens": kept}
    picked: Segment = {
        "text": alternative,
        "kind": MODEL,
        "run": segment["run"],
        "tokens": [[alternative, chosen[0][1], tokens[token][2]]],
        "picked": True,
    }
    return merged([*segments[:index], head, picked])


def _alternatives(top: Any) -> list[list]:
    return [[text, p] for text, p in alternatives(top)[:MAX_ALTERNATIVES]]


def completion_tokens(logprobs: Any, completion: str, skip: int = 0) -> list[Token] | None:
    """One completion's tokens with their probabilities and alternatives, for the document.

    `skip` characters at the start belong to an echoed prompt. None when the tokens do not
    spell the completion exactly (a server that sends bytes or partial tokens): shading
    tokens that do not line up with the text would point at the wrong words.
    """
    if not isinstance(logprobs, dict) or not isinstance(logprobs.get("tokens"), list):
        return None
    texts, lps, tops = (logprobs.get(name) for name in ("tokens", "token_logprobs", "top_logprobs"))
    lps = lps if isinstance(lps, list) else []
    tops = tops if isinstance(tops, list) else []
    tokens: list[Token] = []
    position = 0
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            return None
        start, position = position, position + len(text)
        if start < skip:
            continue
        lp = lps[i] if i < len(lps) else None
        top = tops[i] if i < len(tops) else None
        tokens.append([text, probability(lp), _alternatives(top)])
    if "".join(t[0] for t in tokens) != completion:
        return None
    return tokens


def echo_skip(request: dict, text: str) -> int:
    """How many leading characters of a choice's text are the echoed prompt."""
    prompt = request.get("prompt")
    if request.get("echo") is True and isinstance(prompt, str) and text.startswith(prompt):
        return len(prompt)
    return 0


def _entry_choice(entry: dict) -> tuple[str, dict, int] | None:
    """An entry's text prompt, its first choice with text beyond the echoed prompt, and how
    many characters of that text are the echo; None when there is no such pair."""
    request, response = entry.get("request"), entry.get("response")
    prompt = request.get("prompt") if isinstance(request, dict) else None
    choices = response.get("choices") if isinstance(response, dict) else None
    if not isinstance(prompt, str) or not isinstance(choices, list):
        return None
    first = next(
        (c for c in choices if isinstance(c, dict) and isinstance(c.get("text"), str)), None
    )
    if first is None:
        return None
    skip = echo_skip(request, first["text"])
    return (prompt, first, skip) if first["text"][skip:] else None


def opens_as_document(entry: dict) -> bool:
    """The entry has a text prompt and a completion to open as a document."""
    return _entry_choice(entry) is not None


def from_entry(entry: dict) -> list[Segment] | None:
    """A history entry as a document: its text prompt, then its first choice as model text.

    None when the entry has no text prompt or no text came back.
    """
    found = _entry_choice(entry)
    if found is None:
        return None
    prompt, first, skip = found
    completion = first["text"][skip:]
    tokens = completion_tokens(first.get("logprobs"), completion, skip=skip)
    run = str(entry.get("id") or "history")[:64]
    return with_completion(from_prompt(prompt), run, completion, tokens)


def from_browser(value: Any, previous: list[Segment]) -> list[Segment] | None:
    """The segments the editor sent, checked; None if they are not a document.

    The browser sends text, kind and run only; probabilities come from our own copy, kept for
    every model segment whose text is unchanged (or a prefix that ends on a token boundary).
    """
    if not isinstance(value, list) or len(value) > MAX_SEGMENTS:
        return None
    known = {}
    for segment in previous:
        if segment["kind"] == MODEL and segment.get("tokens"):
            known.setdefault(segment.get("run"), []).append(segment)
    out: list[Segment] = []
    total = 0
    for item in value:
        if not isinstance(item, dict):
            return None
        text, kind, run = item.get("text"), item.get("kind"), item.get("run")
        if not isinstance(text, str) or kind not in KINDS:
            return None
        if run is not None and not (isinstance(run, str) and len(run) <= 64):
            return None
        total += len(text)
        if total > MAX_TEXT:
            return None
        segment: Segment = {"text": text, "kind": kind, "run": run}
        if kind == MODEL:
            tokens = _tokens_for(text, known.get(run, []))
            if tokens is not None:
                segment["tokens"] = tokens
        out.append(segment)
    return merged(out)


def _tokens_for(text: str, candidates: list[Segment]) -> list[Token] | None:
    for segment in candidates:
        if segment["text"] == text:
            return segment["tokens"]
    for segment in candidates:
        tokens = segment["tokens"]
        if segment["text"].startswith(text):
            count, length = 0, 0
            while count < len(tokens) and length < len(text):
                length += len(tokens[count][0])
                count += 1
            if length == len(text):
                return tokens[:count]
    return None


def without_tokens(segments: list[Segment]) -> list[Segment]:
    """The segments as the editor gets them when probabilities are not shown."""
    return [{k: v for k, v in s.items() if k != "tokens"} for s in segments]
