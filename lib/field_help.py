"""Tooltips for the request fields, with the ranges from the relay's docs and OpenAI's spec."""

HELP = {
    "model": "ID of the model to use. Pick one from the server's list (Test connection fetches "
    "it) or type any id.",
    "prompt": "The text to complete. With no prompt the model starts a new document.",
    "prompt_mode": "prompt may be text, a list of texts, a list of token ids, or a list of lists "
    "of token ids (the list forms are typed as JSON).",
    "max_tokens": "Most tokens to generate (≥ 1). The prompt plus max_tokens must fit the "
    "model's context length.",
    "temperature": "Sampling temperature, 0 to 2. Higher (0.8) is more random, lower (0.2) more "
    "focused. Change this or top_p, not both.",
    "top_p": "Nucleus sampling, 0 to 1: only the tokens making up the top_p probability mass are "
    "considered (0.1 = top 10%). Change this or temperature, not both.",
    "n": "How many completions to generate for the prompt (≥ 1). Uses quota quickly.",
    "stream": "Show tokens as they are generated (server-sent events ending in [DONE]).",
    "logprobs": "Return the log probabilities of the chosen token and the top logprobs "
    "alternatives at each position (0 to 5).",
    "stop": "Up to 4 sequences where the server stops generating; the returned text does not "
    "contain them. Type \\n for a newline, \\t for a tab.",
    "suffix": "Text that comes after the completion (insert mode, on models that support it).",
    "echo": "Return the prompt in addition to the completion.",
    "presence_penalty": "-2 to 2. Positive values penalize tokens that already appeared, "
    "encouraging new topics.",
    "frequency_penalty": "-2 to 2. Positive values penalize tokens by how often they already "
    "appeared, reducing repetition.",
    "best_of": "Generate best_of completions server-side and return the best n (≥ n). Cannot be "
    "used with stream.",
    "logit_bias": 'JSON mapping token ids to a bias from -100 to 100, e.g. {"50256": -100} to '
    "ban <|endoftext|>.",
    "seed": "Integer for best-effort deterministic sampling.",
    "user": "An id for the end user, for the provider's abuse monitoring.",
    "include_usage": "Ask for a final chunk with token usage (stream_options.include_usage).",
    "extra_json": "A JSON object merged into the request body last, for server-specific fields "
    'such as {"top_k": 40} or {"repetition_penalty": 1.1}.',
    "start_text": "Appended to the prompt before sending (e.g. \\nAnswer:). Escapes like \\n work.",
    "restart_text": "Appended after the completion when you press Continue (e.g. \\nQuestion:).",
}
