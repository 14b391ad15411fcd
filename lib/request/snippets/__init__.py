"""Ready-to-run code for a completions request ("View code"): curl, Python, JavaScript, Go, ...

`snippet(language, base_url, body)` renders the request the playground would send as a program
in one of `LANGUAGES`. Every snippet sends exactly `body` (the same JSON value; the same key order
too, except through the Python SDK, which orders parameters itself, and the Node SDK's object,
which puts integer-like keys first) to `{base_url}/completions`, streams the text as it arrives when
`body["stream"]` is true, and reads the key from the `OPENAI_API_KEY` environment variable (raw
HTTP shows `{{YOUR_API_KEY}}`): the real key is never an input, so it can never leak into code.

Strings from the body and the URL are escaped for each language. Characters that are invisible or
break lines in editors and old JavaScript engines (control and format characters, U+2028/U+2029,
lone surrogates) are always written as escapes, so what the code shows is what it sends.

The program text lives in templates/, one file per language and per part (`go.go.tmpl`, and
`go.stream.go.tmpl` or `go.once.go.tmpl` for reading the response), with `@name` placeholders
(string.Template). This module writes what fills them: each value as a literal of its language.
"""

from __future__ import annotations

import json
import math
import string
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from lib.config.urls import without_credentials

# id -> label, in display order.
LANGUAGES: dict[str, str] = {
    "curl": "curl",
    "python": "Python · requests",
    "python_openai": "Python · openai SDK",
    "javascript": "JavaScript · fetch, browser/Node 18+",
    "node_openai": "Node · openai SDK",
    "go": "Go · net/http",
    "java": "Java · java.net.http, Java 11+",
    "php": "PHP · curl",
    "http": "raw HTTP",
}

# Keyword parameters of the Python SDK's `completions.create`; any other key would be a
# TypeError there, so those travel in `extra_body`.
OPENAI_PY_PARAMS = frozenset(
    {
        "model",
        "prompt",
        "best_of",
        "echo",
        "frequency_penalty",
        "logit_bias",
        "logprobs",
        "max_tokens",
        "n",
        "presence_penalty",
        "seed",
        "stop",
        "stream",
        "stream_options",
        "suffix",
        "temperature",
        "top_p",
        "user",
    }
)
# Parameters the Python SDK requires although the API does not.
_OPENAI_PY_REQUIRED = ("model", "prompt")

# Linux refuses a single command-line argument over 128 KiB (MAX_ARG_STRLEN); larger bodies go
# to curl on stdin through a here-document instead of --data-raw.
SHELL_ARG_LIMIT = 100_000
# javac rejects a string constant over 65,535 bytes (modified UTF-8, up to 6 bytes a character
# here), and a method over 64 KiB of bytecode (about 8 bytes per literal in a varargs call).
JAVA_PIECE_CHARS = 8_000
JAVA_MAX_PIECES = 2_000

# Invisible, line-breaking or unencodable characters: control (Cc), format (Cf: zero-width,
# bidi overrides, BOM), lone surrogates (Cs), U+2028 (Zl), U+2029 (Zp).
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})

_INDENT = "    "


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) in _ESCAPED_CATEGORIES


def _utf16_escapes(ch: str) -> str:
    """`\\uXXXX`, as a surrogate pair above U+FFFF (JSON, JavaScript and Java read it so)."""
    cp = ord(ch)
    if cp < 0x10000:
        return f"\\u{cp:04x}"
    cp -= 0x10000
    return f"\\u{0xD800 + (cp >> 10):04x}\\u{0xDC00 + (cp & 0x3FF):04x}"


def _python_escape(ch: str) -> str:
    cp = ord(ch)
    if cp < 0x100:
        return f"\\x{cp:02x}"
    return f"\\u{cp:04x}" if cp < 0x10000 else f"\\U{cp:08x}"


def _go_escape(ch: str) -> str:
    cp = ord(ch)
    if 0xD800 <= cp < 0xE000:
        return "\\ufffd"  # Go strings are UTF-8: a lone surrogate has no encoding
    return f"\\u{cp:04x}" if cp < 0x10000 else f"\\U{cp:08x}"


def _java_escape(ch: str) -> str:
    cp = ord(ch)
    if cp < 0x80:
        # Never \u00XX for ASCII: javac decodes \u escapes before parsing, so \u000a would be
        # a line break and \u0022 a closing quote.
        return f"\\{cp:03o}"
    return _utf16_escapes(ch)


_C_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_JAVA_ESCAPES = {**_C_ESCAPES, "\b": "\\b", "\f": "\\f"}


def _quote(
    text: str,
    escapes: dict[str, str],
    escape: Callable[[str], str],
    must_escape: Callable[[str], bool] = _invisible,
) -> str:
    """`text` as a double-quoted literal: `escapes` first, then `escape` where `must_escape`."""
    if text.isprintable() and '"' not in text and "\\" not in text and text.isascii():
        return f'"{text}"'  # the common case, without a loop in Python
    out = []
    for ch in text:
        if ch in escapes:
            out.append(escapes[ch])
        elif must_escape(ch):
            out.append(escape(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _py_str(text: str) -> str:
    return _quote(text, _C_ESCAPES, _python_escape)


def _js_str(text: str) -> str:
    # "<\/" keeps a "</script>" in a string from closing an inline <script> element.
    return _quote(text, _C_ESCAPES, _utf16_escapes).replace("</", "<\\/")


def _go_str(text: str) -> str:
    return _quote(text, _C_ESCAPES, _go_escape)


def _java_str(text: str) -> str:
    # Everything outside ASCII is escaped: Java 11 reads sources in the platform encoding.
    return _quote(text, _JAVA_ESCAPES, _java_escape, lambda ch: _invisible(ch) or ord(ch) > 0x7E)


def _sh_str(text: str) -> str:
    """A single-quoted shell word: nothing inside is expanded; a quote becomes '\\''."""
    return "'" + text.replace("'", "'\\''") + "'"


def _php_str(text: str) -> str:
    """A single-quoted PHP string: no $variables or escapes except \\\\ and \\'."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def json_text(body: dict[str, Any]) -> str:
    """`body` as pretty JSON (indent 2, raw UTF-8), invisible characters written as escapes.

    Those characters only occur inside JSON strings, where `\\uXXXX` means the same character,
    so the JSON value is unchanged.
    """
    text = json.dumps(body, ensure_ascii=False, indent=2)
    return "\n".join(
        line
        if line.isprintable()
        else "".join(_utf16_escapes(ch) if _invisible(ch) else ch for ch in line)
        for line in text.split("\n")
    )


@dataclass(frozen=True)
class _Style:
    """How a language writes JSON values as native literals."""

    indent: str
    string: Callable[[str], str]
    key: Callable[[str], str]
    number: Callable[[Any], str]
    true: str
    false: str
    null: str
    trailing_comma: bool


def _literal(value: Any, style: _Style, level: int = 0) -> str:
    """A JSON value as a native literal: one item a line, like json.dumps(indent=...)."""
    if isinstance(value, dict | list):
        if not value:
            return "{}" if isinstance(value, dict) else "[]"
        inner = style.indent * (level + 1)
        if isinstance(value, dict):
            items = [
                f"{inner}{style.key(k)}: {_literal(v, style, level + 1)}" for k, v in value.items()
            ]
            open_, close = "{", "}"
        else:
            items = [inner + _literal(v, style, level + 1) for v in value]
            open_, close = "[", "]"
        tail = "," if style.trailing_comma else ""
        return f"{open_}\n" + ",\n".join(items) + f"{tail}\n{style.indent * level}{close}"
    if isinstance(value, str):
        return style.string(value)
    if value is None:
        return style.null
    if isinstance(value, bool):
        return style.true if value else style.false
    return style.number(value)


def _py_number(value: int | float) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return f'float("{value}")'  # nan, inf, -inf have no literal
    return repr(value)


def _js_key(name: str) -> str:
    # In an object literal "__proto__": x sets the prototype; a computed key makes a property.
    return '["__proto__"]' if name == "__proto__" else _js_str(name)


_PY = _Style(_INDENT, _py_str, _py_str, _py_number, "True", "False", "None", True)
# json.dumps writes numbers as JavaScript reads them, NaN and Infinity included.
_JS = _Style("  ", _js_str, _js_key, json.dumps, "true", "false", "null", False)


@dataclass(frozen=True)
class _Request:
    base_url: str  # without credentials or a trailing slash
    url: str  # base_url + /completions
    host: str  # host[:port] for the raw HTTP Host header
    target: str  # path?query for the raw HTTP request line
    body: dict[str, Any]
    json: str
    stream: bool


def _request(base_url: str, body: dict[str, Any]) -> _Request:
    # user:password@ in a base URL is a credential too; the snippet never carries one.
    base = without_credentials(base_url.strip()).rstrip("/")
    try:
        parts = urlsplit(base)
        path = parts.path.rstrip("/") + "/completions"
        url = urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))
        host = parts.netloc
        target = path + (f"?{parts.query}" if parts.query else "")
    except ValueError:  # e.g. "http://[::1:80/v1": show it as typed
        url, host, target = base + "/completions", "", "/completions"
    # A JSON round trip gives exactly what json.dumps sends: string keys, lists for tuples.
    body = json.loads(json.dumps(body))
    return _Request(base, url, host, target, body, json_text(body), body.get("stream") is True)


# ---------------------------------------------------------------------------------------------
# Templates: the program text, in templates/<language>[.<part>].<ext>.tmpl, read once.
# ---------------------------------------------------------------------------------------------


class _Template(string.Template):
    """`@name` placeholders, as `$` and `{` belong to the languages; `@@` is a literal `@`."""

    delimiter = "@"
    idpattern = r"[a-z_]+"
    flags = 0  # not IGNORECASE: an `@` before anything but a name is an error, not a name


def _load_templates() -> dict[str, _Template]:
    """Every template beside this module, by name: "go" for go.go.tmpl, "go.stream" for
    go.stream.go.tmpl. The files end with a newline; the snippets do not."""
    templates = {}
    for entry in (resources.files(__name__) / "templates").iterdir():
        if entry.name.endswith(".tmpl"):
            name = entry.name.removesuffix(".tmpl").rsplit(".", 1)[0]
            templates[name] = _Template(entry.read_text(encoding="utf-8").removesuffix("\n"))
    return templates


_TEMPLATES = _load_templates()


def _fill(name: str, **values: str) -> str:
    """Template `name` with exactly its placeholders filled. A line that is only a placeholder
    whose value is "" is left out, line break included: that is how a part is optional."""
    template = _TEMPLATES[name]
    if set(values) != set(template.get_identifiers()):
        raise ValueError(f"template {name!r} takes {template.get_identifiers()}, not {[*values]}")
    lines = template.template.split("\n")
    kept = [line for line in lines if not (line[:1] == "@" and values.get(line[1:]) == "")]
    return _Template("\n".join(kept)).substitute(values)


def _mode(language: str, r: _Request, **values: str) -> str:
    """The `<language>.stream` or `<language>.once` part, as `body["stream"]` says; a part
    without a template is empty."""
    name = f"{language}.{'stream' if r.stream else 'once'}"
    return _fill(name, **values) if name in _TEMPLATES else ""


# ---------------------------------------------------------------------------------------------
# Renderers, one per language: literals written for the language, filled into its template.
# Each returns the program without a trailing newline.
# ---------------------------------------------------------------------------------------------


def _curl_data(text: str) -> str:
    """curl's option that sends `text` as it is: one quoted word, or a here-document on stdin."""
    if len(text.encode("utf-8")) <= SHELL_ARG_LIMIT:
        return f"--data-raw {_sh_str(text)}"
    # A quoted here-document is literal too. No line of indented JSON is exactly "JSON".
    return f"--data-binary @- <<'JSON'\n{text}\nJSON"


def _curl(r: _Request) -> str:
    # curl.stream adds --no-buffer: print each event as it arrives.
    return _fill("curl", url=_sh_str(r.url), mode=_mode("curl", r), data=_curl_data(r.json))


def _python(r: _Request) -> str:
    return _fill("python", url=_py_str(r.url), body=_literal(r.body, _PY), mode=_mode("python", r))


def _python_openai(r: _Request) -> str:
    known = {k: v for k, v in r.body.items() if k in OPENAI_PY_PARAMS}
    extra = {k: v for k, v in r.body.items() if k not in OPENAI_PY_PARAMS}
    missing = [name for name in _OPENAI_PY_REQUIRED if name not in known]
    args = ["**body"]
    if extra:
        args.append("extra_body=extra_body")
    args += [f"{name}=NOT_GIVEN" for name in missing]
    call = f"client.completions.create({', '.join(args)})"
    return _fill(
        "python_openai",
        imports="NOT_GIVEN, OpenAI" if missing else "OpenAI",
        base_url=_py_str(r.base_url),
        body=_literal(known, _PY),
        extra_body=_fill("python_openai.extra_body", extra=_literal(extra, _PY)) if extra else "",
        not_given=_fill("python_openai.not_given") if missing else "",
        mode=_mode("python_openai", r, call=call),
    )


def _js_template(text: str) -> str:
    """`text` as a String.raw template: backslashes stay as typed, so JSON escapes still read
    as JSON. A backtick or "${" cannot be escaped there; they become separate strings."""
    pieces = text.replace("`", "\0`\0").replace("${", "$\0{").split("\0")
    out = []
    for piece in pieces:
        if piece == "`":
            out.append('"`"')
        elif piece:
            out.append(f"String.raw`{piece}`")
    return " + ".join(out) or '""'


def _javascript(r: _Request) -> str:
    # "<\/" as in _js_str: valid JSON for "</", and safe inside an inline <script>.
    body = _js_template(r.json.replace("</", "<\\/"))
    return _fill("javascript", url=_js_str(r.url), body=body, mode=_mode("javascript", r))


def _node_openai(r: _Request) -> str:
    return _fill(
        "node_openai",
        base_url=_js_str(r.base_url),
        body=_literal(r.body, _JS),
        mode=_mode("node_openai", r),
    )


def _go_raw(text: str) -> str:
    """`text` as a Go raw string: kept as it is; only a backtick cannot be inside one."""
    return "`" + text.replace("`", '` + "`" + `') + "`"


def _go(r: _Request) -> str:
    # Go refuses unused imports, so each variant lists exactly what it uses.
    imports = ["fmt", "io", "net/http", "os", "strings"]
    if r.stream:
        imports += ["bufio", "encoding/json"]
    return _fill(
        "go",
        imports="\n".join(f'\t"{name}"' for name in sorted(imports)),
        body=_go_raw(r.json),
        url=_go_str(r.url),
        mode=_mode("go", r),
    )


def _java_pieces(text: str) -> list[str]:
    """`text` cut into string literals small enough for javac (see JAVA_PIECE_CHARS)."""
    lines = text.split("\n")
    pieces = []
    for i, line in enumerate(lines):
        line += "\n" if i < len(lines) - 1 else ""
        pieces += [line[j : j + JAVA_PIECE_CHARS] for j in range(0, len(line), JAVA_PIECE_CHARS)]
    if len(pieces) > JAVA_MAX_PIECES:
        # Many short lines (a prompt of token ids): several lines to a literal.
        packed = [""]
        for piece in pieces:
            if packed[-1] and len(packed[-1]) + len(piece) > JAVA_PIECE_CHARS:
                packed.append("")
            packed[-1] += piece
        pieces = packed
    return pieces


def _java(r: _Request) -> str:
    imports = [
        "java.io.InputStream",
        "java.net.URI",
        "java.net.http.HttpClient",
        "java.net.http.HttpRequest",
        "java.net.http.HttpResponse",
        "java.nio.charset.StandardCharsets",
    ]
    if r.stream:
        imports += ["java.io.BufferedReader", "java.io.InputStreamReader"]
    return _fill(
        "java",
        imports="\n".join(f"import {name};" for name in sorted(imports)),
        pieces=",\n".join(f"{_INDENT * 4}{_java_str(p)}" for p in _java_pieces(r.json)),
        url=_java_str(r.url),
        mode=_mode("java", r),
        texts=_fill("java.texts") if r.stream else "",  # the reader of streamed chunks
    )


def _php(r: _Request) -> str:
    # PHP 7.3+ ends a nowdoc at the first line that starts, after indentation, with the marker;
    # a line of indented JSON starts with a quote, bracket, digit, "-", true, false or null.
    return _fill("php", json=r.json, url=_php_str(r.url), mode=_mode("php", r))


def _http(r: _Request) -> str:
    return _fill("http", target=r.target, host=r.host, mode=_mode("http", r), json=r.json)


_RENDERERS: dict[str, Callable[[_Request], str]] = {
    "curl": _curl,
    "python": _python,
    "python_openai": _python_openai,
    "javascript": _javascript,
    "node_openai": _node_openai,
    "go": _go,
    "java": _java,
    "php": _php,
    "http": _http,
}
assert set(_RENDERERS) == set(LANGUAGES)


def snippet(language: str, base_url: str, body: dict[str, Any]) -> str:
    """`body` as a program in `language` (a key of LANGUAGES) that POSTs it to
    `{base_url}/completions`; the key comes from OPENAI_API_KEY. No trailing newline.

    Raises ValueError for an unknown language.
    """
    renderer = _RENDERERS.get(language)
    if renderer is None:
        raise ValueError(f"unknown snippet language {language!r}; known: {', '.join(LANGUAGES)}")
    return renderer(_request(base_url, body))
