"""The History page's drawing and actions."""
