"""The message catalog is complete in both languages, and every page speaks the chosen one."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from streamlit.testing.v1 import AppTest

from lib.i18n import (
    COUNT,
    LANGUAGES,
    PLURAL_FORMS,
    Message,
    forms,
    language_for_locale,
    placeholders,
    t,
)
from lib.i18n.catalog import CATALOG
from lib.request.fields import KEY_ORDER
from tests.support.app import APP, open_sections, prompt_box, shown, submit
from tests.support.paths import ROOT

SOURCES = [p for p in (ROOT / "lib").rglob("*.py") if p.name != "catalog.py"] + [
    *(ROOT / "pages").glob("*.py"),
    ROOT / "streamlit_app.py",
]
# Keys built at run time from a prefix and a value (f"help.{name}", f"error.{status}", …).
DYNAMIC_PREFIXES = (
    "help.", "problem.", "error.", "run.status.", "conn.source.", "form.mode.", "hist.storage_",
    "json.", "form.example_", "code.lang.",
)  # fmt: skip


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_message_exists_in_both_languages_with_the_same_placeholders(key):
    entry = CATALOG[key]
    assert set(entry) == set(LANGUAGES), f"{key}: languages {sorted(entry)}"
    every_form = [form for lang in LANGUAGES for form in forms(entry[lang])]
    assert all(isinstance(form, str) and form.strip() for form in every_form), key
    # Every form of every language (a plural's "one" too) expects the same parameters.
    expected = placeholders(every_form[0])
    assert all(placeholders(form) == expected for form in every_form), key
    for lang in LANGUAGES:
        if isinstance(entry[lang], dict):
            assert tuple(entry[lang]) == PLURAL_FORMS.get(lang), f"{key}: {lang} plural forms"
            assert COUNT in expected, f"{key}: a plural is chosen by {{{COUNT}}}"
    # Literal braces are doubled: formatting with dummy values must work in every form.
    for count in (0, 1, 2):
        dummy = {name: count for name in expected}
        for lang in LANGUAGES:
            t(lang, key, **dummy)


PLURALS = sorted(k for k in CATALOG if any(isinstance(v, dict) for v in CATALOG[k].values()))


def test_counted_messages_have_plural_forms():
    # A number followed by "(s)" or by a plural noun whatever the number: "1 entries".
    english = {k: forms(v["en"]) for k, v in CATALOG.items()}
    bad = [
        k for k, texts in english.items() for text in texts if re.search(r"(?<!http)\(s\)", text)
    ]
    assert bad == []
    for key in ("conn.ok", "hist.caption", "hist.imported", "hist.skipped", "hist.tokens",
                "hist.dropped", "histfile.more", "hist.clear_body", "hist.showing"):  # fmt: skip
        assert key in PLURALS, key


@pytest.mark.parametrize(
    ("key", "params", "one", "other"),
    [
        ("conn.ok", {}, "Connected: 1 model available.", "Connected: 2 models available."),
        ("hist.imported", {}, "Imported 1 entry.", "Imported 2 entries."),
        ("hist.skipped", {}, "1 already present was skipped.", "2 already present were skipped."),
        ("histfile.more", {}, "…and 1 more problem.", "…and 2 more problems."),
        ("hist.tokens", {}, "1 token", "2 tokens"),
        ("hist.showing", {"shown": 1}, "Showing 1 of 1 matching run.",
         "Showing 1 of 2 matching runs."),
    ],
)  # fmt: skip
def test_english_picks_the_plural_form_by_count(key, params, one, other):
    assert t("en", key, count=1, **params) == one
    assert t("en", key, count=2, **params) == other
    assert t("en", key, count=0, **params) == other.replace("2", "0")
    assert Message(key, {"count": 1, **params}).text("en") == one


def test_chinese_has_one_form_for_any_count():
    assert t("zh", "hist.imported", count=1) == "已导入 1 条记录。"
    assert t("zh", "hist.imported", count=5) == "已导入 5 条记录。"
    assert t("zh", "conn.ok", count=1) == "连接成功：可用模型 1 个。"


def _source() -> str:
    return "\n".join(path.read_text() for path in SOURCES)


KEY_IN_CALL = re.compile(
    r"(?:\btr|\bt|Message|ApiError\.client)\(\s*(?:lang,\s*|current\(\),\s*)?"
    r"[\"']([a-z_]+\.[a-z0-9_.]+)[\"']"
)


def test_every_key_the_code_names_is_in_the_catalog():
    named = set(KEY_IN_CALL.findall(_source()))
    assert len(named) > 100, "the pattern found few keys; has the lookup function changed?"
    assert named <= set(CATALOG), sorted(named - set(CATALOG))


def test_every_catalog_key_is_used():
    source = _source()
    unused = [
        key
        for key in CATALOG
        if f'"{key}"' not in source
        and f"'{key}'" not in source
        and not key.startswith(DYNAMIC_PREFIXES)
    ]
    assert unused == []


def test_language_follows_the_browser_locale():
    assert language_for_locale("zh-CN") == "zh" and language_for_locale("zh-TW") == "zh"
    assert language_for_locale("en-US") == "en" and language_for_locale(None) == "en"
    assert language_for_locale("fr-FR") == "en"


def test_messages_render_in_either_language():
    note = Message("share.bad_value", {"name": "temperature", "value": "9"})
    assert note.text("en") == "temperature=9 is not a valid value; it was reset to the default."
    assert note.text("zh") == "temperature=9 不是有效值，已重置为默认值。"


# -- every page, in Chinese ----------------------------------------------------------------
ENGLISH_ONLY = {
    form
    for k in CATALOG
    if CATALOG[k]["en"] != CATALOG[k]["zh"]
    for form in forms(CATALOG[k]["en"])
}
# Text that stays English on purpose: API field names, JSON, ids, model output, server messages.
ALLOWED_ENGLISH = re.compile(
    r"\b(?:" + "|".join(KEY_ORDER) + r"|logprob)\b|"
    r"gpt-3\.5-turbo-instruct|fake-instruct|stream_options\.include_usage|OPENAI_API_KEY"
    r"|Hello world|This is a test|Incorrect API key|finish_reason|HTTP \d+|"
    r"completions-playground|cmpl-fake"
)


TEXT_KINDS = ("markdown", "caption", "title", "subheader", "header", "info", "warning",
              "success")  # fmt: skip
WIDGET_KINDS = ("button", "toggle", "checkbox", "text_input", "text_area", "number_input",
                "slider", "selectbox", "multiselect", "button_group")  # fmt: skip


def _visible_texts(at: AppTest) -> list[str]:
    """Labels, help, placeholders, buttons, captions, notes, headings a reader sees.

    Error boxes are left out: they carry the server's own message, which stays as sent.
    """
    texts = [e.value for kind in TEXT_KINDS for e in getattr(at, kind)]
    for kind in WIDGET_KINDS:
        for element in getattr(at, kind):
            texts += [element.label, element.help, getattr(element, "placeholder", None)]
    texts += [e.label for e in (*at.metric, *at.expander, *at.tabs)]
    return [text for text in texts if isinstance(text, str) and text]


def _english_left(texts: list[str]) -> list[str]:
    leftovers = []
    for text in texts:
        plain = re.sub(r"\\(.)", r"\1", text)
        plain = ALLOWED_ENGLISH.sub("", plain)
        # Three English words in a row are a sentence someone forgot to translate.
        if re.search(r"\b[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}\b", plain) or any(
            len(e) > 5 and e in plain for e in ENGLISH_ONLY
        ):
            leftovers.append(text)
    return leftovers


@pytest.fixture
def zh_app(make_app) -> AppTest:
    return open_sections(make_app({"lang": "zh"}))  # every section's labels are checked too


def test_playground_speaks_chinese(zh_app, relay):
    at = zh_app
    assert at.button(key="btn_submit").label == "提交"
    at.selectbox(key="logprobs").set_value(2)
    at.number_input(key="n").set_value(2)
    at.text_area(key="logit_bias").set_value("{oops")
    at.run()
    assert "logit_bias 不是有效的 JSON：第 1 行第 2 列" in shown(at.warning)
    at.text_area(key="logit_bias").set_value("")
    prompt_box(at).set_value("你好")
    at.run()
    submit(at)
    left = _english_left(_visible_texts(at))
    assert left == [], left
    relay.scenario = "http_401"
    submit(at)
    errors = shown(at.error)
    assert "API 密钥无效" in errors and "Incorrect API key" in errors  # server text as sent
    assert _english_left(_visible_texts(at)) == []


def test_history_speaks_chinese(zh_app, relay):
    at = zh_app
    prompt_box(at).set_value("你好")
    submit(at)
    at.switch_page("pages/history.py").run()
    assert at.title[0].value == "历史记录"
    left = _english_left(_visible_texts(at))
    assert left == [], left
    at.file_uploader[0].upload("bad.json", b"{", "application/json").run()
    assert "未导入任何内容" in shown(at.error)


def test_switching_language_changes_the_page(relay, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", relay.base_url)
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert at.button(key="btn_submit").label == "Submit"
    at.selectbox(key="language").set_value("zh").run()
    assert at.button(key="btn_submit").label == "提交"
    assert at.query_params["lang"] in ("zh", ["zh"])  # chosen explicitly: links carry it
    at.switch_page("pages/history.py").run()
    assert at.title[0].value == "历史记录"  # kept across pages


# -- README.zh-CN.md is a whole translation of README.md ------------------------------------
README_EN, README_ZH = "README.md", "README.zh-CN.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)
HEADING = re.compile(r"^(#{1,6}) (.+)$", re.M)
CODE_BLOCK = "\ufffc"  # stands for a code block in the prose: no backticks to pair up with
# Inline code a translation may change: what the Chinese page shows instead (run.expected_batch).
TRANSLATED_CODE = {"2 prompts × n=1 = 2 choices": "2 个提示 × n=1 = 应有 2 个结果"}
# Quoted in the Chinese README without being interface text: a sign the page shows, a README term.
QUOTED_NOT_UI = {"—", "在互联网上：必需"}


def _readme(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def _prose(text: str) -> str:
    """The README without its code blocks (a `#` comment in a block is not a heading)."""
    return FENCE.sub(CODE_BLOCK, text)


def _headings(text: str) -> list[tuple[int, str]]:
    return [(len(hashes), title) for hashes, title in HEADING.findall(_prose(text))]


def _sections(text: str) -> list[str]:
    return HEADING.split(_prose(text))[::3]


def _shape(section: str) -> list[str]:
    """Paragraphs, list items, table rows and code blocks of a section, in order."""
    kinds = []
    for block in re.split(r"\n\s*\n", section.strip()):
        kinds += ["li" for line in block.splitlines() if line.startswith("- ")]
        kinds += ["tr" for line in block.splitlines() if line.startswith("|")]
        if block and not block.startswith(("- ", "|")):
            kinds.append("code" if block == CODE_BLOCK else "p")
    return kinds


def _code(lang: str, block: str) -> list[str]:
    """What a block says apart from its comments, which a translation may translate.

    The layout tree (no language) is compared by the paths that start its lines.
    """
    if not lang:
        return [line.split()[0] for line in block.splitlines() if line[:1].strip()]
    lines = [line for line in block.splitlines() if not line.lstrip().startswith("#")]
    return [re.sub(r"\s+#\s.*$", "", line) for line in lines]


def _blocks(text: str) -> list[tuple[str, list[str]]]:
    return [(lang, _code(lang, block)) for lang, block in FENCE.findall(text)]


def _slug(title: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


def _links(text: str) -> list[str]:
    """Link and image targets in order; an anchor becomes the number of the heading it names."""
    slugs = [_slug(title) for _, title in _headings(text)]
    targets = re.findall(r"\]\(([^)\s]+)\)", _prose(text))
    return [f"#{slugs.index(t[1:])}" if t.startswith("#") else t for t in targets]


def _table_names(text: str) -> list[list[str]]:
    """The code names in the first column of every table row (settings, error types)."""
    rows = [line for line in _prose(text).splitlines() if line.startswith("|")]
    return [re.findall(r"`([^`]+)`", row.split("|")[1]) for row in rows]


def _inline_code(section: str) -> Counter:
    spans = (re.sub(r"\s+", " ", span) for span in re.findall(r"`([^`]+)`", section))
    return Counter(TRANSLATED_CODE.get(span, span) for span in spans)


def _label_pattern(form: str) -> re.Pattern:
    """A catalog text as the README quotes it: a placeholder is written … (or N for a number)."""
    parts = [re.escape(part) for part in re.split(r"\{[^{}]*\}", form)]
    return re.compile("(?:…|N)".join(parts))


def _labels(lang: str, text: str) -> set[str]:
    """Catalog keys whose text (in lang) is exactly `text`."""
    return {
        key
        for key, entry in CATALOG.items()
        for form in forms(entry[lang])
        if _label_pattern(form).fullmatch(text)
    }


def test_chinese_readme_has_the_same_sections_in_the_same_order():
    english, chinese = _headings(_readme(README_EN)), _headings(_readme(README_ZH))
    assert [level for level, _ in chinese] == [level for level, _ in english]
    untranslated = [title for _, title in chinese if not re.search(r"[\u4e00-\u9fff]", title)]
    assert untranslated == []
    # Section by section: the same paragraphs, list items, table rows and code blocks.
    en_sections, zh_sections = _sections(_readme(README_EN)), _sections(_readme(README_ZH))
    for (_, title), en, zh in zip([(0, "top"), *english], en_sections, zh_sections, strict=True):
        assert _shape(zh) == _shape(en), title
        assert _inline_code(zh) == _inline_code(en), title


def test_chinese_readme_has_the_same_commands_and_code():
    english, chinese = _blocks(_readme(README_EN)), _blocks(_readme(README_ZH))
    assert [lang for lang, _ in chinese] == [lang for lang, _ in english]
    assert chinese == english
    bash = [line for lang, lines in english if lang == "bash" for line in lines if line]
    assert "scripts/test" in bash and len(bash) >= 5  # the three top commands and docker's


def test_chinese_readme_has_the_same_links_images_and_table_names():
    english, chinese = _readme(README_EN), _readme(README_ZH)
    en_links, zh_links = _links(english), _links(chinese)
    # Each links to the other at the top; every other target is the same, anchors included.
    assert (en_links[0], zh_links[0]) == (README_ZH, README_EN)
    assert zh_links[1:] == en_links[1:]
    images = [re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text) for text in (english, chinese)]
    assert images[0] == images[1] == ["docs/playground.png"]
    assert _table_names(chinese) == _table_names(english)
    assert ["OPENAI_BASE_URL"] in _table_names(english)  # the Hosting table is among them


def test_chinese_readme_names_the_buttons_and_settings_as_the_interface_does():
    english, chinese = _prose(_readme(README_EN)), _prose(_readme(README_ZH))
    # Every quoted name in the Chinese README is what the Chinese interface shows.
    quoted = set(re.findall(r"“([^”]+)”", chinese)) - QUOTED_NOT_UI
    assert [q for q in sorted(quoted) if not _labels("zh", q)] == []
    # Every interface label the English README names (*Save connection*, **Stop**) appears in
    # the Chinese one under its Chinese label.
    named = re.findall(r"\*\*([^*\n]+)\*\*|(?<![*\w])\*([^*\n]+)\*(?!\*)", english)
    keys = {key for pair in named for label in pair if label for key in _labels("en", label)}
    assert len(keys) > 25, "few labels found; has the README's emphasis changed?"
    missing = {
        key: CATALOG[key]["zh"]
        for key in keys
        if not any(f"{mark}{form}{end}" in chinese for form in forms(CATALOG[key]["zh"])
                   for mark, end in (("“", "”"), ("**", "**")))
    }  # fmt: skip
    assert missing == {}
