"""The app's panes: each widget class owns one pane of the screen."""
