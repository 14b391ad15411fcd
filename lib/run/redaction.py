"""The key out of successful answers: what a server echoes is removed before anyone reads it.

An upstream that echoes its input (a test relay, a model told to repeat its headers) can put
the key into a completion; shown, it would reach the page, the browser's history and exports.
`ChunkRedactor` applies the error path's rule (lib.client.errors.redact: the key in any
case, or 8+ characters of its start) to every chunk a run takes in, so everything that reads
the run reads redacted text.

A key can arrive split over chunks ("...sk-te" then "am-SECRET..."). Each choice's text is
therefore released only up to where it is final: a tail that could still grow into the key is
held back (always shorter than the key) until the next chunk settles it, the choice finishes,
or the run ends. Echoes that touch are one "***" to `redact`, so an echo may go on past what
was released (copies of the key run together): the last key's length of released text is
kept, the echo is known by it when the rest arrives, and the rest adds nothing to the "***"
already shown. Streamed, the text reads exactly as `redact` makes the whole text, wherever
the chunks are cut. Each chunk costs the key's length plus the held tail plus the chunk,
however long the text already is. Logprob tokens spell the same text in smaller pieces: they
are redacted the same way, the tokens that held part of an echo become one token (none when
they only continue an echo shown before), so the tokens still spell the redacted text.
"""

from __future__ import annotations

from typing import Any

from lib.client.errors import (
    REDACTED,
    redact,
    replace_spans,
    secret_spans,
    unfinished_secret_at,
)

_HEAD_FIELDS = ("id", "model", "object", "system_fingerprint")
_LOGPROB_ARRAYS = ("tokens", "token_logprobs", "top_logprobs", "text_offset")
_ALIGNED = ("token_logprobs", "top_logprobs", "text_offset")

# A token: its text and, for each of _ALIGNED, its entry (None where the server sent none).
Token = tuple[str, tuple[Any, Any, Any]]


def redact_value(value: Any, secret: str) -> Any:
    """`value` (JSON: objects, arrays, strings) with `secret` removed from every string."""
    if isinstance(value, str):
        return redact(value, secret)
    if isinstance(value, dict):
        return {redact_value(k, secret): redact_value(v, secret) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_value(item, secret) for item in value]
    return value


def _shown(text: str, spans: list[list[int]], start: int, end: int) -> str:
    """`text[start:end]` redacted; an echo that began before `start` already showed its "***"."""
    inside = [
        [max(a, start) - start, min(b, end) - start] for a, b in spans if a < end and start < b
    ]
    out = replace_spans(text[start:end], inside)
    if any(a < start < b for a, b in spans):  # `redact` makes touching echoes one "***"
        out = out[len(REDACTED) :]
    return out


class _TextStream:
    """One choice's text, released as far as it is final."""

    def __init__(self, secret: str) -> None:
        self._secret = secret
        # The last key's length of what was released: an echo that reaches past the release
        # began in it, and is known by it (and not shown again) when the rest arrives.
        self._seen = ""
        self._held = ""

    def feed(self, piece: str, final: bool = False) -> str:
        start = len(self._seen)
        text = self._seen + self._held + piece
        # Every echo that starts before `cut` is complete: what precedes it reads as it will.
        cut = len(text) if final else unfinished_secret_at(text, self._secret)
        self._seen, self._held = text[:cut][-len(self._secret) :], text[cut:]
        return _shown(text, secret_spans(text, self._secret), start, cut)

    def flush(self) -> str:
        return self.feed("", final=True)


class _TokenStream:
    """One choice's logprob tokens, released as far as they are final, echoes merged."""

    def __init__(self, secret: str) -> None:
        self._secret = secret
        self._seen = ""  # as in _TextStream
        self._held: list[Token] = []
        self.names: list[str] = []  # the logprob arrays this choice's server sends

    def feed(self, tokens: list[Token], final: bool = False) -> list[Token]:
        held = self._held + tokens
        start = len(self._seen)
        text = self._seen + "".join(t[0] for t in held)
        bounds = [start]
        for token in held:
            bounds.append(bounds[-1] + len(token[0]))
        if final:
            count = len(held)
        else:  # tokens are cut only between them; zero-length ones at the cut wait with the rest
            cut = max(b for b in bounds if b <= unfinished_secret_at(text, self._secret))
            count = bounds.index(cut)
        self._seen = text[: bounds[count]][-len(self._secret) :]
        self._held = held[count:]
        return _merge(held[:count], text, bounds, secret_spans(text, self._secret))

    def flush(self) -> list[Token]:
        return self.feed([], final=True)


def _merge(
    tokens: list[Token], text: str, bounds: list[int], spans: list[list[int]]
) -> list[Token]:
    """`tokens` with every run of tokens that touches an echo made one redacted token.

    `bounds[i]` is where token i starts in `text`. A run that only continues an echo released
    before (its "***" already shown) is dropped: the tokens still spell the redacted text.
    """
    out: list[Token] = []
    group: list[int] = []  # indexes of the tokens being merged
    group_span = -1

    def close() -> None:
        merged = _shown(text, spans, bounds[group[0]], bounds[group[-1] + 1])
        if merged:
            out.append((merged, (None, None, tokens[group[0]][1][2])))

    for i, token in enumerate(tokens):
        start, end = bounds[i], bounds[i + 1]
        # (A token of no text inside an echo touches it too: a < start == end < b.)
        touched = [k for k, (a, b) in enumerate(spans) if a < end and start < b]
        if touched and (not group or touched[0] <= group_span):
            group.append(i)
            group_span = touched[-1]
            continue
        if group:
            close()
            group, group_span = [], -1
        if touched:
            group, group_span = [i], touched[-1]
        else:
            out.append(token)
    if group:
        close()
    return out


class ChunkRedactor:
    """Redacts a run's normalized chunks as they come (see the module docstring)."""

    def __init__(self, secret: str) -> None:
        self._secret = secret
        self._texts: dict[int, _TextStream] = {}
        self._tokens: dict[int, _TokenStream] = {}

    def chunk(self, chunk: dict) -> dict:
        """A normalized chunk with the key removed; its text only as far as it is final."""
        secret = self._secret
        out = {**chunk}
        for name in _HEAD_FIELDS:
            if isinstance(out.get(name), str):
                out[name] = redact(out[name], secret)
        if "usage" in out:
            out["usage"] = redact_value(out["usage"], secret)
        out["choices"] = [self._choice(choice) for choice in chunk["choices"]]
        return out

    def flush(self) -> dict | None:
        """A chunk with every choice's held tail (None when nothing is held)."""
        choices = []
        for index in sorted(self._texts):
            text = self._texts.pop(index).flush()
            logprobs = _with_tail(None, self._tokens.pop(index))
            if text or logprobs:
                choices.append(
                    {"index": index, "text": text, "logprobs": logprobs, "finish_reason": None}
                )
        return {"choices": choices} if choices else None

    def response(self, response: dict) -> dict:
        """A whole (non-streamed) response, every string of it redacted."""
        out = redact_value({k: v for k, v in response.items() if k != "choices"}, self._secret)
        choices = response.get("choices")
        if isinstance(choices, list):
            out["choices"] = [self._whole_choice(c) for c in choices]
        elif "choices" in response:
            out["choices"] = redact_value(choices, self._secret)
        return out

    # -- choices ---------------------------------------------------------------------------

    def _choice(self, choice: dict) -> dict:
        index = choice["index"]
        text_stream = self._texts.get(index)
        if text_stream is None:
            text_stream = self._texts[index] = _TextStream(self._secret)
            self._tokens[index] = _TokenStream(self._secret)
        token_stream = self._tokens[index]
        text = text_stream.feed(choice["text"])
        logprobs = self._logprobs(choice["logprobs"], token_stream, final=False)
        finish = choice["finish_reason"]
        if finish is not None:  # the server adds nothing more to this choice: let all go
            text += text_stream.flush()
            logprobs = _with_tail(logprobs, token_stream)
            del self._texts[index], self._tokens[index]
            finish = redact(finish, self._secret)
        return {**choice, "text": text, "logprobs": logprobs, "finish_reason": finish}

    def _whole_choice(self, choice: Any) -> Any:
        if not isinstance(choice, dict):
            return redact_value(choice, self._secret)
        out = redact_value({k: v for k, v in choice.items() if k != "logprobs"}, self._secret)
        if "logprobs" in choice:
            stream = _TokenStream(self._secret)
            out["logprobs"] = self._logprobs(choice["logprobs"], stream, final=True)
        return out

    def _logprobs(self, logprobs: Any, stream: _TokenStream, final: bool) -> Any:
        if not isinstance(logprobs, dict):
            return redact_value(logprobs, self._secret)
        tokens = logprobs.get("tokens")
        out = redact_value(
            {k: v for k, v in logprobs.items() if k not in _LOGPROB_ARRAYS}, self._secret
        )
        present = [name for name in _LOGPROB_ARRAYS if isinstance(logprobs.get(name), list)]
        if not isinstance(tokens, list):
            for name in present:
                out[name] = redact_value(logprobs[name], self._secret)
            return out
        stream.names = [n for n in _LOGPROB_ARRAYS if n in present or n in stream.names]
        lps, tops, offsets = (logprobs.get(name) for name in _ALIGNED)
        pieces: list[Token] = []
        for i, token in enumerate(tokens):
            lp = lps[i] if isinstance(lps, list) and i < len(lps) else None
            top = tops[i] if isinstance(tops, list) and i < len(tops) else None
            offset = offsets[i] if isinstance(offsets, list) and i < len(offsets) else None
            # A token that is not text (bytes as numbers) could spell the key unseen: dropped.
            text = token if isinstance(token, str) else ""
            pieces.append((text, (lp, redact_value(top, self._secret), offset)))
        released = stream.feed(pieces, final=final)
        out.update(_arrays(released, present))
        return out


def _with_tail(logprobs: Any, stream: _TokenStream) -> Any:
    """`logprobs` (a chunk's, or None) with the tokens `stream` still held appended."""
    tail = stream.flush()
    if not tail:
        return logprobs
    arrays = _arrays(tail, stream.names)
    if not isinstance(logprobs, dict):
        return arrays
    return {**logprobs, **{n: list(logprobs.get(n) or []) + v for n, v in arrays.items()}}


def _arrays(tokens: list[Token], names: Any) -> dict[str, list]:
    """The logprob arrays named in `names`, built from tokens."""
    arrays: dict[str, list] = {name: [] for name in _LOGPROB_ARRAYS if name in names}
    for text, (logprob, top, offset) in tokens:
        values = {"tokens": text, "token_logprobs": logprob, "top_logprobs": top}
        values["text_offset"] = offset
        for name, column in arrays.items():
            column.append(values[name])
    return arrays
