"""The corpus index: built once at ingestion, read by every analysis.

``build``        :func:`build_index` (the streaming build; local pool or Spark) and :func:`append_index`
``handle``       :class:`Corpus`, the read handle the analyses take
``scope``        a Filter as SQL
``corrections``  analyst corrections of outlets and dates
``cache``        where an index lives, and whether it is stale
``finalize``     parts → index tables (DuckDB SQL)
``batches``      the batch functions both engines run

Tables (every per-article table is keyed by the integer ``aid``; articles are numbered in
(date, outlet, id) order, appended articles after them):

``articles``      aid, id, outlet, outlet_en, date, title, url, category, words, outlet_source,
                  date_source, source_file, source_row, text, text_original, removed,
                  published (TIMESTAMP, UTC: the moment a source states, NULL when it gives only a day)
``article_keys``  aid, url_key, text_key, shingles   (duplicate detection when appending)
``vocab``         tid, n, key, label, forms (JSON list of [surface, count]), total, df
``vocab_keys``    key, n, tid               (``vocab`` by key: a search key's or a concordance term's id)
``terms``         aid, tid, n, cnt          (per-article unigram/bigram/trigram counts, by grouped key)
``postings``      tid, aid                  (``terms`` by term id: a search key's articles)
``outlet_terms``  outlet, n, tid, count, articles   (per-outlet totals)
``outlet_similarity`` outlet_a, outlet_b, similarity (the whole corpus's, over unigrams; with the day rollups)
``term_months``   outlet, month, tid, count, articles (unigrams per outlet and calendar month; NULL month:
                  undated): the whole months of a filter of dates and outlets
``entity_days`` / ``topic_days`` / ``quote_days`` / ``quote_outlets``   per outlet and day (and quotes per
                  outlet and speaker): the views of filters without a text query
``mentions``      aid, entity, type, cnt    (gazetteer entity mentions)
``candidate_mentions`` / ``candidate_examples`` / ``candidates``   names outside the gazetteer
                  (per article, an example sentence each, and the corpus totals the Entities page lists)
``variants``      aid, grp, variant, cnt    (which spelling of each alias group the article wrote)
``token_map``     norm, key, count          (the corpus's grouping decision, for search queries)
``quotes``        aid, quote_id, speaker, text, cue, how, start_, end_, speaker_title
``quote_words``   aid, quote_id, words      (each quote's normalised words, space-separated: an append
                  matches its new quotes against the stored ones without normalising those again)
``statements``    statement_id, aid, quote_id, speaker   (the same statement across outlets)
``reuse_pairs`` / ``reuse_passages`` / ``reuse_frequent``   cross-outlet shared passages (``reuse_frequent``: the
                  shingles too frequent to count, of the last build's articles or of the last append's new ones)
``shingles``      aid, h                    (each article's 7-word shingle hashes: an append's passages)
``stories``       story_id, aid             (reports of one event across outlets)
``story_leads``   aid, pos, key, boost      (each dated article's lead keys, in order: an append reuses them)
``story_pairs``   a, b, shared, sim         (the scored story pairs: an append rescores those near its days)
``furniture``     outlet, kind, pattern, articles, outlet_articles, share, example, source, status
                  (page furniture learned per outlet or added by the analyst, and its decision)
``report``        file, row, reason, detail (the ingestion report)
``meta``          key, value (schema, resources, built, sources, corrections, articles, appended, drift,
                  engine, workers, furniture, stale …)
"""
from core.index.build import SCHEMA_VERSION, build_index
from core.index.handle import Corpus

__all__ = ["Corpus", "build_index", "SCHEMA_VERSION"]
