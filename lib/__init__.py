"""Logic of the completions playground; only lib.ui imports streamlit."""
