"""The interface language of this session, and the labels that depend on it."""
from __future__ import annotations

import streamlit as st

from core.i18n import t
from core.model import UNKNOWN


def lang() -> str:
    val = st.session_state.get("lang") or st.query_params.get("lang") or "ar"
    return val if val in ("ar", "en") else "ar"


def tr(key: str) -> str:
    return t(key, lang())


def translator(language: str):
    """``tr`` bound to one language (widget format functions may run outside the script run)."""
    return lambda key: t(key, language)


def outlet_label(name: str, language: str | None = None) -> str:
    return t("unknown", language or lang()) if name == UNKNOWN else name


def outlet_labeler(language: str):
    return lambda name: outlet_label(name, language)
