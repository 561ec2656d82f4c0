"""The reader: the only part of papertray that imports Textual (see the README's Architecture)."""
