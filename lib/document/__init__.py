"""The document the playground edits: prompt and completions as owned segments (model.py)."""
