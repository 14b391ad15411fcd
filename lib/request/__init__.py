"""The completions request, following one field name from its row in the table to the wire.

fields (the one table: kinds, ranges, limits, defaults, widgets) → validate (problems) →
form (widget values <-> body) → share (links) and io (JSON / curl import-export) → snippets (code).
"""
