"""The document: its state in the session, and the editor that shows it."""
