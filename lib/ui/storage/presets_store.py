"""The presets saved in this browser (lib/request/presets.py), kept in localStorage."""

from __future__ import annotations

from lib.request.presets import valid_presets
from lib.ui.storage.kept_store import KeptStore

presets_store = KeptStore("presets_store", "completions-playground.presets.v1", valid_presets, list)
