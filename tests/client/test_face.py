"""The client's public face: usable on its own, without streamlit or the interface's catalog."""

import re
import subprocess
import sys

import lib.client
from lib.client.errors import CLIENT_TEXT
from lib.i18n import placeholders
from lib.i18n.catalog import CATALOG
from tests.support.paths import ROOT

ALONE = (
    "import lib.client, sys; "
    "assert 'streamlit' not in sys.modules and not any('catalog' in m for m in sys.modules)"
)


def test_importing_the_client_loads_neither_streamlit_nor_the_catalog():
    # A fresh interpreter: this one has long since loaded both.
    done = subprocess.run(
        [sys.executable, "-c", ALONE], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_the_face_names_the_client_and_nothing_else():
    assert sorted(lib.client.__all__) == [
        "ApiError",
        "DEFAULT_BASE_URL",
        "Endpoint",
        "accumulate",
        "create_completion",
        "list_models",
        "stream_completion",
    ]
    # Validation belongs to lib.request, describing errors for people to lib.i18n.
    assert not hasattr(lib.client, "validate") and not hasattr(lib.client, "describe")


def test_client_text_is_the_catalogs_english():
    """str(err) and the page's English say the same; the catalog adds the other languages."""
    for key, text in CLIENT_TEXT.items():
        assert CATALOG[key]["en"] == text, key
        for lang, translated in CATALOG[key].items():
            assert placeholders(translated) == placeholders(text), (key, lang)


def test_every_client_key_raised_has_english_text():
    # The client, and the run worker that reports a bug through ApiError.client.
    sources = [*(ROOT / "lib" / "client").glob("*.py"), *(ROOT / "lib" / "run").glob("*.py")]
    raised = set()
    for path in sources:
        raised |= set(re.findall(r"\"(client\.\w+)\"", path.read_text()))
    assert {"client.unexpected", "client.event_not_json", "client.dns"} <= raised
    assert raised <= set(CLIENT_TEXT), sorted(raised - set(CLIENT_TEXT))
