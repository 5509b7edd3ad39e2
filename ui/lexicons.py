"""The analyst's own resources, edited from the app: the topic lexicon and the gazetteer additions.
Reading, validating and writing them is :mod:`core.resources`'s; this module shows a broken file as
a warning and makes the counts follow an edit."""
from __future__ import annotations

import streamlit as st

from ui import sidebar
from ui.corpora import USER_GAZETTEER, VAR_DIR, corpora, current_corpus_name, get_corpus, rebuild_library_corpus, reload_corpus
from ui.safe import md_escape

# -- editable topic lexicon ------------------------------------------------------------------
USER_TOPICS = VAR_DIR / "resources" / "topics.yaml"


def topics():
    """The topic lexicon in force: the analyst's edited copy if there is one, else the shipped defaults."""
    from core.resources import load_resources, load_topics

    if USER_TOPICS.exists():
        try:
            return load_topics(USER_TOPICS)
        except Exception as exc:  # a broken user file must not cost the page: say so and use defaults
            st.warning(md_escape(f"{USER_TOPICS}: {exc}"))
    return load_resources().topics


def save_topic_keywords(topic_id: str, keywords: list[str]) -> str | None:
    """Replace one topic's keywords in the analyst's copy; returns an error message or None."""
    from core.resources import load_resources, save_topic_keywords

    try:
        save_topic_keywords(USER_TOPICS, topics(), topic_id, keywords, load_resources().stopwords)
    except Exception as exc:
        return str(exc)
    return None


def reset_topics() -> None:
    USER_TOPICS.unlink(missing_ok=True)


# -- the analyst's gazetteer (candidates added from the Entities page) -------------------------------
def user_entities():
    """The analyst's own gazetteer entries ([] when none)."""
    from core.resources import load_gazetteer

    if not USER_GAZETTEER.exists():
        return []
    try:
        return load_gazetteer(USER_GAZETTEER)
    except Exception as exc:  # a broken file must not cost the page
        st.warning(md_escape(f"{USER_GAZETTEER}: {exc}"))
        return []


def add_entity(name: str, etype: str, variants: list[str]) -> str:
    """Add a candidate to the analyst's gazetteer and make the counts follow: a corpus built from
    sources is rebuilt into the cache under its new key (the resources are part of it), a library
    or private corpus is rebuilt from its sources. Returns "recounted", or "stale" for an index the
    app cannot rebuild (opened with MARSAD_CORPUS). Raises ResourceError for a refused entry."""
    from core.names import add_to_gazetteer

    add_to_gazetteer(USER_GAZETTEER, name, etype, variants)
    return recount_current()


def recount_current() -> str:
    key = current_corpus_name()
    info = corpora().get(key, {})
    reload_corpus()
    if info.get("library"):
        rebuild_library_corpus(key)
    elif info.get("kind") == "sources":
        get_corpus(key)          # builds the index for the new resources (with a progress bar)
    else:
        return "stale"
    sidebar.reseed()
    return "recounted"


def reset_user_entities() -> str:
    USER_GAZETTEER.unlink(missing_ok=True)
    return recount_current()
