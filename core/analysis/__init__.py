"""Queries on a built corpus (a :class:`core.index.handle.Corpus` and a :class:`core.filter.Filter` in, a
pandas frame, dict or number out), each cached per filter (:mod:`core.index.viewcache`); the app, the CLI and
the tests call the same functions. Extraction at ingestion is :mod:`core.extract`'s."""
