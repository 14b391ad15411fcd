"""Row 5's comparison: the least a Streamlit app can do to stream the same completion.

The prompt comes from the link (`?prompt=…&max_tokens=…`), the Submit button has the
playground's key, and the text is drawn by `st.write_stream` from the same client generator.
"""

import os

import streamlit as st

from lib.client import Endpoint, stream_completion

query = st.query_params
if st.button("Submit", key="btn_submit"):
    body = {
        "model": "m",
        "prompt": query.get("prompt", ""),
        "max_tokens": int(query.get("max_tokens", 16)),
        "stream": True,
    }
    chunks = stream_completion(Endpoint(os.environ["OPENAI_BASE_URL"]), body)
    st.write_stream(c["choices"][0]["text"] for c in chunks if c["choices"])
