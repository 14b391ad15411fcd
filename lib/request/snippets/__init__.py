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
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
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
# Renderers, one per language. Each returns the program without a trailing newline.
# ---------------------------------------------------------------------------------------------


def _curl(r: _Request) -> str:
    lines = [f"curl {_sh_str(r.url)} \\"]
    if r.stream:
        lines.append("  --no-buffer \\")  # print each event as it arrives
    lines += [
        "  --header 'Content-Type: application/json' \\",
        '  --header "Authorization: Bearer $OPENAI_API_KEY" \\',
    ]
    if len(r.json.encode("utf-8")) <= SHELL_ARG_LIMIT:
        lines.append(f"  --data-raw {_sh_str(r.json)}")
    else:
        # A quoted here-document is literal too. No line of indented JSON is exactly "JSON".
        lines += ["  --data-binary @- <<'JSON'", r.json, "JSON"]
    return "\n".join(lines)


_PYTHON_STREAM = """\
with requests.post(url, headers=headers, json=body, stream=True, timeout=600) as response:
    if not response.ok:
        raise SystemExit(f"HTTP {response.status_code}: {response.text}")
    # Lines as bytes: decoded text would also be split at U+2028 inside the JSON.
    for line in response.iter_lines():
        if not line.startswith(b"data:"):
            continue  # blank lines between events, ": keep-alive" comments
        data = line[5:].strip()
        if data == b"[DONE]":
            break
        chunk = json.loads(data)
        if "error" in chunk:
            raise SystemExit(f"Error in the stream: {chunk['error']}")
        for choice in chunk.get("choices") or []:
            print(choice.get("text") or "", end="", flush=True)
print()"""

_PYTHON_ONCE = """\
response = requests.post(url, headers=headers, json=body, timeout=600)
if not response.ok:
    raise SystemExit(f"HTTP {response.status_code}: {response.text}")
print(json.dumps(response.json(), ensure_ascii=False, indent=2))"""


def _python(r: _Request) -> str:
    return "\n".join(
        [
            "import json",
            "import os",
            "",
            "import requests",
            "",
            f"url = {_py_str(r.url)}",
            'headers = {"Authorization": "Bearer " + os.environ["OPENAI_API_KEY"]}',
            f"body = {_literal(r.body, _PY)}",
            "",
            _PYTHON_STREAM if r.stream else _PYTHON_ONCE,
        ]
    )


def _python_openai(r: _Request) -> str:
    known = {k: v for k, v in r.body.items() if k in OPENAI_PY_PARAMS}
    extra = {k: v for k, v in r.body.items() if k not in OPENAI_PY_PARAMS}
    missing = [name for name in _OPENAI_PY_REQUIRED if name not in known]
    imports = "from openai import NOT_GIVEN, OpenAI" if missing else "from openai import OpenAI"
    lines = [
        "import os",
        "",
        imports,
        "",
        "client = OpenAI(",
        f"    base_url={_py_str(r.base_url)},",
        '    api_key=os.environ["OPENAI_API_KEY"],',
        ")",
        f"body = {_literal(known, _PY)}",
    ]
    args = ["**body"]
    if extra:
        lines += [
            "# create() has no parameters for these fields, so they go in extra_body.",
            f"extra_body = {_literal(extra, _PY)}",
        ]
        args.append("extra_body=extra_body")
    if missing:
        lines.append("# create() requires these; NOT_GIVEN leaves them out of the request.")
        args += [f"{name}=NOT_GIVEN" for name in missing]
    call = f"client.completions.create({', '.join(args)})"
    lines.append("")
    if r.stream:
        lines += [
            f"for chunk in {call}:",
            "    for choice in chunk.choices:",
            '        print(choice.text, end="", flush=True)',
            "print()",
        ]
    else:
        lines += [
            f"completion = {call}",
            "for choice in completion.choices:",
            "    print(choice.text)",
        ]
    return "\n".join(lines)


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


_JS_STREAM = """\
// Server-sent events: handle complete lines only, as a read can end in the middle of one.
const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
let buffer = "";
let finished = false;
while (!finished) {
  const { value, done } = await reader.read();
  if (done) break;
  buffer += value;
  const lines = buffer.split("\\n");
  buffer = lines.pop();
  for (const line of lines) {
    if (!line.startsWith("data:")) continue; // blank lines, ": keep-alive" comments
    const data = line.slice(5).trim();
    if (data === "[DONE]") {
      finished = true;
      break;
    }
    const chunk = JSON.parse(data);
    if (chunk.error) throw new Error(`Error in the stream: ${JSON.stringify(chunk.error)}`);
    for (const choice of chunk.choices ?? []) {
      process.stdout.write(choice.text ?? "");
    }
  }
}
await reader.cancel();
process.stdout.write("\\n");"""

_JS_ONCE = "console.log(JSON.stringify(await response.json(), null, 2));"


def _javascript(r: _Request) -> str:
    # "<\/" as in _js_str: valid JSON for "</", and safe inside an inline <script>.
    body = _js_template(r.json.replace("</", "<\\/"))
    return "\n".join(
        [
            "// Node 18+: save as completions.mjs and run `node completions.mjs`. In a browser",
            "// (a module script), ask the user for the key and print with console.log: a key",
            "// written into a page is a leaked key.",
            f"const url = {_js_str(r.url)};",
            "// The body exactly as the playground sends it, as JSON text.",
            f"const body = {body};",
            "",
            "const response = await fetch(url, {",
            '  method: "POST",',
            "  headers: {",
            '    "Content-Type": "application/json",',
            "    Authorization: `Bearer ${process.env.OPENAI_API_KEY}`,",
            "  },",
            "  body,",
            "});",
            "if (!response.ok) {",
            "  throw new Error(`HTTP ${response.status}: ${await response.text()}`);",
            "}",
            _JS_STREAM if r.stream else _JS_ONCE,
        ]
    )


def _node_openai(r: _Request) -> str:
    lines = [
        "// Node 18+: `npm install openai`, save as completions.mjs, run `node completions.mjs`.",
        'import OpenAI from "openai";',
        "",
        "const client = new OpenAI({",
        f"  baseURL: {_js_str(r.base_url)},",
        "  apiKey: process.env.OPENAI_API_KEY,",
        "});",
        "",
        f"const body = {_literal(r.body, _JS)};",
        "",
    ]
    if r.stream:
        lines += [
            "const stream = await client.completions.create(body);",
            "for await (const chunk of stream) {",
            "  for (const choice of chunk.choices) {",
            "    process.stdout.write(choice.text);",
            "  }",
            "}",
            'process.stdout.write("\\n");',
        ]
    else:
        lines += [
            "const completion = await client.completions.create(body);",
            "for (const choice of completion.choices) {",
            "  console.log(choice.text);",
            "}",
        ]
    return "\n".join(lines)


_GO_STREAM = """\
	scanner := bufio.NewScanner(resp.Body)
	// A chunk with logprobs or echo can be longer than the scanner's default 64 KiB line.
	scanner.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for scanner.Scan() {
		line := scanner.Text()
		if !strings.HasPrefix(line, "data:") {
			continue // blank lines between events, ": keep-alive" comments
		}
		data := strings.TrimSpace(strings.TrimPrefix(line, "data:"))
		if data == "[DONE]" {
			break
		}
		var chunk struct {
			Choices []struct {
				Text string `json:"text"`
			} `json:"choices"`
		}
		if err := json.Unmarshal([]byte(data), &chunk); err != nil {
			panic(err)
		}
		for _, choice := range chunk.Choices {
			fmt.Print(choice.Text)
		}
	}
	if err := scanner.Err(); err != nil {
		panic(err)
	}
	fmt.Println()"""

_GO_ONCE = """\
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(out))"""


def _go(r: _Request) -> str:
    # Go refuses unused imports, so each variant lists exactly what it uses.
    imports = ["fmt", "io", "net/http", "os", "strings"]
    if r.stream:
        imports += ["bufio", "encoding/json"]
    import_lines = [f'\t"{name}"' for name in sorted(imports)]
    # A raw string keeps the JSON as it is; only a backtick cannot be inside one.
    body = "`" + r.json.replace("`", '` + "`" + `') + "`"
    return "\n".join(
        [
            "// Go 1.16+: save as main.go and run `go run main.go`.",
            "package main",
            "",
            "import (",
            *import_lines,
            ")",
            "",
            "// body is the request exactly as the playground sends it.",
            f"const body = {body}",
            "",
            "func main() {",
            f'\treq, err := http.NewRequest("POST", {_go_str(r.url)}, strings.NewReader(body))',
            "\tif err != nil {",
            "\t\tpanic(err)",
            "\t}",
            '\treq.Header.Set("Content-Type", "application/json")',
            '\treq.Header.Set("Authorization", "Bearer "+os.Getenv("OPENAI_API_KEY"))',
            "\tresp, err := http.DefaultClient.Do(req)",
            "\tif err != nil {",
            "\t\tpanic(err)",
            "\t}",
            "\tdefer resp.Body.Close()",
            "\tif resp.StatusCode != http.StatusOK {",
            "\t\tmessage, _ := io.ReadAll(resp.Body)",
            '\t\tfmt.Fprintf(os.Stderr, "HTTP %d: %s\\n", resp.StatusCode, message)',
            "\t\tos.Exit(1)",
            "\t}",
            _GO_STREAM if r.stream else _GO_ONCE,
            "}",
        ]
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


_JAVA_STREAM = """\
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.startsWith("data:")) {
                    continue; // blank lines between events, ": keep-alive" comments
                }
                String data = line.substring(5).trim();
                if (data.equals("[DONE]")) {
                    break;
                }
                System.out.print(texts(data));
                System.out.flush();
            }
        }
        System.out.println();
    }

    // The JDK has no JSON parser: this collects the string values of the "text" keys of one
    // chunk (in a completions chunk only choices have them).
    static String texts(String json) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while ((at = json.indexOf("\\"text\\"", at)) >= 0) {
            at += 6;
            while (at < json.length() && Character.isWhitespace(json.charAt(at))) {
                at++;
            }
            if (at >= json.length() || json.charAt(at) != ':') {
                continue;
            }
            at++;
            while (at < json.length() && Character.isWhitespace(json.charAt(at))) {
                at++;
            }
            if (at >= json.length() || json.charAt(at) != '"') {
                continue;
            }
            for (at++; at < json.length() && json.charAt(at) != '"'; at++) {
                char c = json.charAt(at);
                if (c != '\\\\') {
                    out.append(c);
                    continue;
                }
                char e = json.charAt(++at);
                switch (e) {
                    case 'b': out.append('\\b'); break;
                    case 'f': out.append('\\f'); break;
                    case 'n': out.append('\\n'); break;
                    case 'r': out.append('\\r'); break;
                    case 't': out.append('\\t'); break;
                    case 'u':
                        out.append((char) Integer.parseInt(json.substring(at + 1, at + 5), 16));
                        at += 4;
                        break;
                    default: out.append(e); // the quote, backslash or slash itself
                }
            }
        }
        return out.toString();
    }
}"""

_JAVA_ONCE = """\
        System.out.println(new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
    }
}"""


def _java(r: _Request) -> str:
    pieces = ",\n".join(f"{_INDENT * 4}{_java_str(p)}" for p in _java_pieces(r.json))
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
    return "\n".join(
        [
            "// Java 11+: save as Completions.java and run `java Completions.java`.",
            *[f"import {name};" for name in sorted(imports)],
            "",
            "public class Completions {",
            "    public static void main(String[] args) throws Exception {",
            "        // The body exactly as the playground sends it, joined at run time because",
            "        // javac refuses string constants over 64 KiB.",
            '        String body = String.join("",',
            f"{pieces});",
            "        HttpRequest request = HttpRequest.newBuilder(",
            f"                URI.create({_java_str(r.url)}))",
            '            .header("Content-Type", "application/json")',
            '            .header("Authorization", "Bearer " + System.getenv("OPENAI_API_KEY"))',
            "            .POST(HttpRequest.BodyPublishers.ofString(body))",
            "            .build();",
            "        HttpResponse<InputStream> response = HttpClient.newHttpClient()",
            "            .send(request, HttpResponse.BodyHandlers.ofInputStream());",
            "        if (response.statusCode() != 200) {",
            "            String message = new String(response.body().readAllBytes(),",
            "                StandardCharsets.UTF_8);",
            '            System.err.println("HTTP " + response.statusCode() + ": " + message);',
            "            System.exit(1);",
            "        }",
            _JAVA_STREAM if r.stream else _JAVA_ONCE,
        ]
    )


_PHP_STREAM = """\
$buffer = '';
$done = false;
curl_setopt($ch, CURLOPT_WRITEFUNCTION, function ($ch, $data) use (&$buffer, &$done) {
    if (curl_getinfo($ch, CURLINFO_RESPONSE_CODE) !== 200) {
        fwrite(STDERR, $data); // an error body, not events
        return strlen($data);
    }
    $buffer .= $data;
    // Complete lines only: a read can end in the middle of one.
    while (!$done && ($end = strpos($buffer, "\\n")) !== false) {
        $line = trim(substr($buffer, 0, $end));
        $buffer = substr($buffer, $end + 1);
        if (strncmp($line, 'data:', 5) !== 0) {
            continue; // blank lines between events, ": keep-alive" comments
        }
        $payload = trim(substr($line, 5));
        if ($payload === '[DONE]') {
            $done = true;
            break;
        }
        $chunk = json_decode($payload, true);
        foreach ($chunk['choices'] ?? [] as $choice) {
            echo $choice['text'] ?? '';
        }
        flush();
    }
    return strlen($data);
});
if (curl_exec($ch) === false) {
    fwrite(STDERR, curl_error($ch) . PHP_EOL);
    exit(1);
}
if (curl_getinfo($ch, CURLINFO_RESPONSE_CODE) !== 200) {
    exit(1);
}
echo PHP_EOL;"""

_PHP_ONCE = """\
curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
$response = curl_exec($ch);
if ($response === false) {
    fwrite(STDERR, curl_error($ch) . PHP_EOL);
    exit(1);
}
$status = curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
if ($status !== 200) {
    fwrite(STDERR, 'HTTP ' . $status . ': ' . $response . PHP_EOL);
    exit(1);
}
echo $response, PHP_EOL;"""


def _php(r: _Request) -> str:
    # PHP 7.3+ ends a nowdoc at the first line that starts, after indentation, with the marker;
    # a line of indented JSON starts with a quote, bracket, digit, "-", true, false or null.
    return "\n".join(
        [
            "<?php",
            "// PHP 7.3+ with the curl extension: save as completions.php and run",
            "// `php completions.php`.",
            "",
            "// The body exactly as the playground sends it; nothing in a nowdoc (<<<'JSON') is",
            "// interpreted.",
            "$body = <<<'JSON'",
            r.json,
            "JSON;",
            "",
            f"$ch = curl_init({_php_str(r.url)});",
            "curl_setopt_array($ch, [",
            "    CURLOPT_POST => true,",
            "    CURLOPT_POSTFIELDS => $body,",
            "    CURLOPT_HTTPHEADER => [",
            "        'Content-Type: application/json',",
            "        'Authorization: Bearer ' . getenv('OPENAI_API_KEY'),",
            "    ],",
            "]);",
            _PHP_STREAM if r.stream else _PHP_ONCE,
        ]
    )


def _http(r: _Request) -> str:
    lines = [
        f"POST {r.target} HTTP/1.1",
        f"Host: {r.host}",
        "Authorization: Bearer {{YOUR_API_KEY}}",
        "Content-Type: application/json",
    ]
    if r.stream:
        lines.append("Accept: text/event-stream")
    return "\n".join([*lines, "", r.json])


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
