"""The command bodies of `papertray` (one module per command group); `tui/cli.py` parses and dispatches."""
