"""The gate, the language and the settings: what stands before every page."""
