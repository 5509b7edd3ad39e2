"""The corpus store, by concern (this module only gathers the names; see :mod:`core.index`).

* building the index: :func:`core.index.build.build_index` (``Corpus.build``)
* the read handle: :class:`core.index.handle.Corpus`
* a Filter as SQL: :mod:`core.index.scope`
* corrections: :mod:`core.index.corrections`
* the cache of built indexes and its key: :mod:`core.index.cache`
"""
from core.index.build import SCHEMA_VERSION, build_index
from core.index.cache import cached_db_path, index_status, open_or_build, source_fingerprint
from core.index.corrections import apply_corrections_to_articles, load_corrections, save_corrections
from core.index.finalize import build_outlet_terms
from core.index.handle import Corpus

__all__ = ["Corpus", "build_index", "SCHEMA_VERSION", "cached_db_path", "index_status", "open_or_build",
           "source_fingerprint", "apply_corrections_to_articles", "load_corrections", "save_corrections",
           "build_outlet_terms"]
