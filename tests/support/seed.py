"""The relay docs' own example request (the seed), as a body and as its curl command."""

SEED_EXAMPLE = {
    "model": "gpt-3.5-turbo-instruct",
    "prompt": "Say this is a test",
    "max_tokens": 7,
    "temperature": 0,
    "top_p": 1,
    "n": 1,
    "stream": False,
    "logprobs": None,
    "stop": "\n",
}

SEED_CURL = """curl --location --request POST 'https://api.gptnb.me/v1/completions' \\
--header 'Authorization: Bearer {{YOUR_API_KEY}}' \\
--header 'Content-Type: application/json' \\
--data-raw '{
  "model": "gpt-3.5-turbo-instruct",
  "prompt": "Say this is a test",
  "max_tokens": 7,
  "temperature": 0,
  "top_p": 1,
  "n": 1,
  "stream": false,
  "logprobs": null,
  "stop": "\\n"
}'"""
