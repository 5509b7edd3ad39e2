"""Extractors run once at ingestion, over every article: statements and their speakers
(:mod:`core.extract.quotes`) and the passages articles share word for word
(:mod:`core.extract.passages`).  Their output is stored in the index; the queries that read it
are in :mod:`core.analysis`."""
