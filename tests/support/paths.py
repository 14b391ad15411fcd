"""Where the project is, for tests that start the app or read its files."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "streamlit_app.py")
