"""Tokens before and after a run: which tokenizer a connection has, counts, context, speeds.

Pure logic, no Streamlit (lib/ui/playground/tokens_view.py remembers what a connection has and
draws the numbers). A count says where it came from (`Count.source`): the server's own
tokenizer, tiktoken for OpenAI-family ids, or an estimate.
"""

from lib.tokens.count import ESTIMATE, Count, Counter, estimate
from lib.tokens.servers import LLAMA_CPP, LLAMA_CPP_PYTHON, VLLM, ServerInfo, detect, root_url
from lib.tokens.speed import Counted, completion_tokens, server_timings

__all__ = [
    "ESTIMATE",
    "LLAMA_CPP",
    "LLAMA_CPP_PYTHON",
    "VLLM",
    "Count",
    "Counted",
    "Counter",
    "ServerInfo",
    "completion_tokens",
    "detect",
    "estimate",
    "root_url",
    "server_timings",
]
