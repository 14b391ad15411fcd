"""Inline components that mirror session data into the browser's localStorage."""
