"""Textual user interface: the app, its panes, dialogs and shared widgets."""
