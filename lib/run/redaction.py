"""The key out of successful answers: what a server echoes is removed before anyone reads it.

An upstream that echoes its input (a test relay, a model told to repeat its headers) can put
the key into a completion; shown, it would reach the page, the browser's history and exports.
`ChunkRedactor` applies the error path's rule (lib.client.errors.redact: the key in any
case, or 8+ characters of its start) to every chunk a run takes in, so everything that reads
the run reads redacted text.

A key can arrive split over chunks ("...sk-te" then "am-SECRET..."). Each choice's text is
therefore released only up to where it is final: a tail that could still grow into the key is
held back (never more than the key's length, unless the key repeats itself) until the next
chunk settles it, the choice finishes, or the run ends. Each chunk costs the held tail plus
the chunk, however long the text already is. Logprob tokens spell the same text in smaller
pieces: they are redacted the same way, and the tokens that held part of the key become one
token, so the tokens still spell the redacted text.
"""

from __future__ import annotations

from typing import Any

from lib.client.errors import redact, replace_spans, secret_spans, unfinished_secret_at

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


def _held_limit(secret: str) -> int:
    # Only a key that repeats itself (and text repeating it) can hold more than the key's
    # length back; past this much, what is held is let go, redacted as far as it is known.
    return 4 * len(secret) + 64


def _final_end(text: str, spans: list[list[int]], secret: str, bounds: list[int] | None) -> int:
    """How much of `text` is final: no echo that more text could change starts before it.

    `bounds` (token edges) when the text can only be cut between pieces.
    """
    cut = unfinished_secret_at(text, secret)
    moved = True
    while moved:
        moved = False
        for start, end in spans:
            if start < cut <= end:  # an echo reaching the cut could still grow or merge
                cut, moved = start, True
        if bounds is not None and cut not in bounds:
            cut, moved = max(b for b in bounds if b <= cut), True
    return cut


class _TextStream:
    """One choice's text, released as far as it is final."""

    def __init__(self, secret: str) -> None:
        self._secret = secret
        self._held = ""

    def feed(self, piece: str) -> str:
        text = self._held + piece
        if not text:
            return ""
        spans = secret_spans(text, self._secret)
        cut = _final_end(text, spans, self._secret, None)
        if len(text) - cut > _held_limit(self._secret):
            cut = len(text)
        self._held = text[cut:]
        return replace_spans(text[:cut], [s for s in spans if s[1] <= cut])

    def flush(self) -> str:
        text, self._held = self._held, ""
        return redact(text, self._secret)


class _TokenStream:
    """One choice's logprob tokens, released as far as they are final, echoes merged."""

    def __init__(self, secret: str) -> None:
        self._secret = secret
        self._held: list[Token] = []
        self.names: list[str] = []  # the logprob arrays this choice's server sends

    def feed(self, tokens: list[Token], final: bool = False) -> list[Token]:
        held = self._held + tokens
        text = "".join(t[0] for t in held)
        bounds = [0]
        for token in held:
            bounds.append(bounds[-1] + len(token[0]))
        spans = secret_spans(text, self._secret)
        cut = len(text) if final else _final_end(text, spans, self._secret, bounds)
        if len(text) - cut > _held_limit(self._secret):
            cut = len(text)
        count = bounds.index(cut)
        # Zero-length tokens at the cut stay with what follows them.
        self._held = held[count:]
        return _merge(held[:count], bounds, [s for s in spans if s[0] < cut])

    def flush(self) -> list[Token]:
        return self.feed([], final=True)


def _merge(tokens: list[Token], bounds: list[int], spans: list[list[int]]) -> list[Token]:
    """`tokens` with every run of tokens that touches an echo made one redacted token."""
    out: list[Token] = []
    group: list[int] = []  # indexes of the tokens being merged
    group_span = -1
    for i, token in enumerate(tokens):
        start, end = bounds[i], bounds[i + 1]
        # (A token of no text inside an echo touches it too: a < start == end < b.)
        touched = [k for k, (a, b) in enumerate(spans) if a < end and start < b]
        if touched and (not group or touched[0] <= group_span):
            group.append(i)
            group_span = touched[-1]
            continue
        if group:
            out.append(_merged(tokens, bounds, spans, group))
            group, group_span = [], -1
        if touched:
            group, group_span = [i], touched[-1]
        else:
            out.append(token)
    if group:
        out.append(_merged(tokens, bounds, spans, group))
    return out


def _merged(
    tokens: list[Token], bounds: list[int], spans: list[list[int]], group: list[int]
) -> Token:
    start, end = bounds[group[0]], bounds[group[-1] + 1]
    text = "".join(tokens[i][0] for i in group)
    inside = [
        [max(a, start) - start, min(b, end) - start] for a, b in spans if a < end and start < b
    ]
    offset = tokens[group[0]][1][2]
    return (replace_spans(text, inside), (None, None, offset))


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
