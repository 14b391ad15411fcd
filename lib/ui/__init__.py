"""Reusable Streamlit pieces; the only part of lib/ that imports streamlit."""
