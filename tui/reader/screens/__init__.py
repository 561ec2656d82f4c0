"""The reader's screens: the main reader, the help and the note editor."""
