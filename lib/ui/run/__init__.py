"""A run: the current one in the session, and how it is drawn."""
