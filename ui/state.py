"""The Streamlit side of the shared state: corpora, the filter <-> URL, language, downloads.

Pages import from here; ``core`` never imports Streamlit. The read-only corpus handle is
held with ``st.cache_resource`` (one per corpus, shared by sessions, never mutated except by
explicit corrections); small filter-keyed results may use ``st.cache_data``.
"""
from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

import pandas as pd
import streamlit as st

from core.export import csv_bytes, csv_name
from core.filter import Filter
from core import library
from core.i18n import STRINGS, t
from core.model import UNKNOWN
from ui.safe import html_text, md_escape  # noqa: F401  (md_escape: pages call state.md_escape)

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = Path(os.environ.get("MARSAD_CACHE", ROOT / ".cache" / "corpora"))
VAR_DIR = Path(os.environ.get("MARSAD_VAR", ROOT / "var"))
UPLOAD_DIR = VAR_DIR / "uploads"  # the old global pool: still offered (read-only) when it has files
UPLOAD_MAPPING = VAR_DIR / "uploads_mapping.json"
MAPPING_FIELDS = library.MAPPING_FIELDS
ANT_FULL = ROOT.parent / "shared" / "data" / "ant_multisource" / "ant_multisource_v2.1.jsonl.gz"
ANT_SAMPLE = ROOT.parent / "shared" / "data" / "ant_multisource" / "ant_multisource_v2.1.sample1000.jsonl"
#: Built-in corpus keys: a library corpus cannot take one of these names.
RESERVED = ("sample", "extra", "ant1000", "ant", "uploads")

FILTER_KEYS = ("f_dates", "f_outlets", "f_query", "f_undated")

#: The analyst's gazetteer additions (the Entities page's candidates); every build and every
#: staleness check of this process reads them through core.resources.load_resources.
USER_GAZETTEER = VAR_DIR / "resources" / "gazetteer.yaml"
import core.resources as _resources  # noqa: E402

_resources.USER_GAZETTEER = USER_GAZETTEER


# -- the corpora -------------------------------------------------------------------------------
def library_dir() -> Path:
    """The library folder: ``MARSAD_LIBRARY``, else ``<MARSAD_VAR>/library`` (``var/library/``)."""
    return Path(os.environ.get("MARSAD_LIBRARY") or VAR_DIR / "library")


def library_names() -> list[str]:
    return library.names(library_dir(), RESERVED)


# -- the session's private area: uploads stay here until saved to the library ----------------------
PRIVATE = "~"  # the corpus key of a private corpus: "~" + its name (a library name never starts so)
_CLEANED: set[str] = set()  # library folders whose day-old private areas this process removed


def private_lib() -> Path:
    """This session's private library (``<library>/.private/<token>/``), keyed by a random token
    kept only in this session's state: another session cannot name it, list it or open it.

    The first time a process hands out a token it also removes private areas nobody used for a day."""
    token = st.session_state.get("_private_token")
    if not token:
        token = st.session_state["_private_token"] = library.new_token()
        lib = str(library_dir())
        if lib not in _CLEANED:
            _CLEANED.add(lib)
            library.cleanup_private(lib)
    return library.private_dir(library_dir(), token)


def private_names() -> list[str]:
    """The names of this session's private corpora."""
    if not st.session_state.get("_private_token"):
        return []
    return library.names(private_lib(), RESERVED)


def touch_private() -> None:
    """Called once per script run: the private area of a live session never ages out."""
    if st.session_state.get("_private_token") and private_lib().is_dir():
        library.touch_private(private_lib())


def is_private(key: str) -> bool:
    return bool(corpora().get(key, {}).get("private"))


def corpus_home(key: str) -> tuple[Path, str] | None:
    """(folder, name) of a library or private corpus, None for a built-in one."""
    info = corpora().get(key, {})
    return (Path(info["lib"]), info["name"]) if info.get("library") else None


def _start_entry(taken: dict) -> tuple[str, dict] | None:
    """The corpus ``MARSAD_CORPUS`` names (``make run CORPUS=PATH``): an index file or sources."""
    raw = os.environ.get("MARSAD_CORPUS", "").strip()
    if not raw:
        return None
    path = Path(raw).expanduser()
    if not path.is_absolute():
        path = (ROOT / path) if not path.exists() else path.resolve()
    if not path.exists():
        return None
    lib = library_dir()
    if library.is_index_file(path) and path.parent.resolve() == lib.resolve():
        name = path.name[: -len(library.INDEX_EXT)]
        if name in taken:
            return name, taken[name]
    index = library.is_index_file(path)
    stem = path.name[: -len(library.INDEX_EXT)] if path.name.lower().endswith(library.INDEX_EXT) else path.name
    if path.is_file() and not index:  # "ant_excerpt.jsonl.gz" → "ant_excerpt"
        stem = stem.split(".")[0] or stem
    key = stem if library.is_valid_name(stem) else library.safe_file_name(stem)
    base, i = key, 1
    while key in taken:
        i += 1
        key = f"{base}-{i}"
    shown = key if key == stem else f"{key} ({path.name})"
    label = {"ar": shown, "en": shown, "start": True}
    if index:
        return key, {**label, "kind": "index", "db": path, "library": False}
    return key, {**label, "kind": "sources", "sources": [path]}


def corpora() -> dict[str, dict]:
    """The corpora the sidebar offers: key → {ar, en, kind ("sources" | "index"), sources | db, library}.

    Built-in ones (the sample, the ANT excerpt/sample/full when present), every corpus of the
    library folder, and the one ``MARSAD_CORPUS`` names."""
    found = {
        "sample": {"ar": "العينة (5 مقالات)", "en": "Sample (5 articles)", "kind": "sources",
                   "sources": [ROOT / "data" / "sample"]},
    }
    extra = os.environ.get("MARSAD_EXTRA_CORPUS")
    if extra and Path(extra).exists():
        found["extra"] = {"ar": f"مدونة: {Path(extra).name}", "en": f"Corpus: {Path(extra).name}", "kind": "sources",
                          "sources": [Path(extra)]}
        if library.is_index_file(Path(extra)):  # a built index (the load test on a 100k bench index)
            found["extra"] = {**found["extra"], "kind": "index", "db": Path(extra), "library": False}
            del found["extra"]["sources"]
    if ANT_SAMPLE.exists():
        found["ant1000"] = {"ar": "ANT متعدد المصادر (1000)", "en": "ANT multi-source (1,000)", "kind": "sources",
                            "sources": [ANT_SAMPLE]}
    if ANT_FULL.exists():
        found["ant"] = {"ar": "ANT متعدد المصادر (31 ألفًا)", "en": "ANT multi-source (31k)", "kind": "sources",
                        "sources": [ANT_FULL]}
    if UPLOAD_DIR.exists() and any(p.is_file() for p in UPLOAD_DIR.rglob("*")):
        found["uploads"] = {"ar": "المرفوعات (المجمّع القديم)", "en": "Uploads (old pool)", "kind": "sources",
                            "sources": [UPLOAD_DIR]}
    lib = library_dir()
    for name in library.names(lib, RESERVED):
        found[name] = {"ar": name, "en": name, "kind": "index", "db": library.index_path(lib, name), "library": True,
                       "lib": lib, "name": name}
    if st.session_state.get("_private_token"):  # only this session's own private corpora
        mine = private_lib()
        for name in library.names(mine, RESERVED):
            found[PRIVATE + name] = {"ar": f"{name} (خاصة)", "en": f"{name} (private)", "kind": "index",
                                     "db": library.index_path(mine, name), "library": True, "private": True,
                                     "lib": mine, "name": name}
    start = _start_entry(found)
    if start:
        key, info = start
        found[key] = {**info, "start": True}
    return found


def start_corpus_name(avail: dict | None = None) -> str:
    """The corpus selected when no URL names one: ``MARSAD_CORPUS``'s, else the sample."""
    avail = corpora() if avail is None else avail
    return next((k for k, v in avail.items() if v.get("start")), "sample")


def current_corpus_name() -> str:
    avail = corpora()
    name = st.session_state.get("corpus") or st.query_params.get("corpus") or start_corpus_name(avail)
    return name if name in avail else start_corpus_name(avail)


def is_library(name: str) -> bool:
    return bool(corpora().get(name, {}).get("library"))


# -- per-corpus files: column mapping, corrections ----------------------------------------------
def _mapping_file(name: str) -> Path:
    return VAR_DIR / "mappings" / f"{library.safe_file_name(name)}.json"


def mapping_editable(name: str) -> bool:
    """A column mapping needs sources to re-read: library corpora and corpora built from sources."""
    info = corpora().get(name, {})
    return info.get("kind") == "sources" or bool(info.get("library"))


def corpus_mapping(name: str) -> dict[str, str]:
    """The analyst's column names for this corpus's tables (blank fields are recognised automatically)."""
    import json

    home = corpus_home(name)
    if home:
        return library.mapping(*home)
    for path in (_mapping_file(name), UPLOAD_MAPPING if name == "uploads" else None):
        if path is not None and path.exists():
            try:
                return library.clean_mapping(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                return {}
    return {}


def save_corpus_mapping(name: str, mapping: dict[str, str]) -> None:
    """Keep the mapping beside the corpus. A library corpus is rebuilt now (with a progress bar);
    a corpus built from sources is rebuilt into the cache when next opened (the key includes it)."""
    import json

    home = corpus_home(name)
    if home:
        library.save_mapping(*home, mapping)
        rebuild_library_corpus(name)
    else:
        library.atomic_write(_mapping_file(name), json.dumps(library.clean_mapping(mapping), ensure_ascii=False,
                                                             indent=1).encode("utf-8"))
    reload_corpus()


def corrections_file(name: str) -> Path:
    """Where the analyst's corrections of this corpus are kept (beside it for a library or private corpus)."""
    home = corpus_home(name)
    if home:
        return library.corrections_path(*home)
    return VAR_DIR / "corrections" / f"{library.safe_file_name(name)}.csv"


def furniture_file(name: str) -> Path:
    """Where the analyst's furniture decisions of this corpus are kept (beside it, like corrections)."""
    home = corpus_home(name)
    if home:
        return library.furniture_path(*home)
    return VAR_DIR / "furniture" / f"{library.safe_file_name(name)}.csv"


def furniture_editable(name: str) -> bool:
    """Decisions can be applied where Marsad rebuilds the index itself: corpora of sources, and
    library or private corpora (an index opened as a file is read only: ``build --furniture``)."""
    info = corpora().get(name, {})
    return info.get("kind") != "index" or corpus_home(name) is not None


def save_furniture_decisions(name: str, decisions) -> None:
    """Save the decisions and rebuild the corpus with them (a source corpus: its cache key changes)."""
    from core.fsutil import atomic_write_bytes

    path = furniture_file(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, decisions.to_csv())
    if corpus_home(name):
        rebuild_library_corpus(name)
    else:
        reload_corpus()


# -- read handles ---------------------------------------------------------------------------------
_OPENED: dict[str, tuple[int, int]] = {}  # db path → (device, inode) of the file the handle opened


def _file_id(path: str) -> tuple[int, int] | None:
    try:
        s = os.stat(path)
    except OSError:
        return None
    return s.st_dev, s.st_ino


def _handle_current(corpus) -> bool:
    """False once the file was replaced (a rebuild, or ``python -m core build`` over it)."""
    return _OPENED.get(corpus.path) == _file_id(corpus.path)


def _close_handle(corpus) -> None:
    try:
        corpus.con.close()
    except Exception:  # already closed
        pass


@st.cache_resource(show_spinner=False, max_entries=8, validate=_handle_current, on_release=_close_handle)
def _open_db(db_path: str):
    """One handle per index file, shared by every session (never mutated but by corrections)."""
    from core.index.handle import Corpus

    _OPENED[db_path] = _file_id(db_path)
    return Corpus.open(db_path)


def release_db(db_path: str | Path) -> None:
    """Close the shared handle on this file (before it is appended to or rebuilt): DuckDB shares one
    database per file in a process, so a handle left open would keep serving the old file."""
    _open_db.clear(str(db_path))


_BUILD_LOCK = threading.Lock()  # two sessions opening a new corpus at once build it once
_LIB_LOCK = threading.Lock()  # library writes (create, append, rebuild) one at a time


def _ensure_built(name: str, sources: list[str], mapping: dict | None = None) -> str:
    """Build the index for these sources once, with a progress bar; later runs find the file."""
    from core.index.cache import cached_db_path

    db = cached_db_path(sources, CACHE_DIR, name, mapping=mapping, furniture=furniture_file(name))
    if not db.exists():
        with _BUILD_LOCK:
            if not db.exists():
                _build(name, sources, mapping)
    return str(db)


def progress_bar():
    """A progress bar and the ``progress(frac, msg)`` callback the index build reports to."""
    bar = st.progress(0.0, text=tr("side.building"))

    def progress(frac, msg):
        stage, _, rest = str(msg).partition(" ")
        label = tr(f"build.{stage}") if f"build.{stage}" in STRINGS else stage
        bar.progress(min(max(float(frac), 0.0), 1.0), text=f"{tr('side.building')} {label} {rest}")

    return bar, progress


def _build(name: str, sources: list[str], mapping: dict | None) -> None:
    from core.index.cache import open_or_build

    bar, progress = progress_bar()
    corpus = open_or_build(sources, CACHE_DIR, name=name, progress=progress, corrections=corrections_file(name),
                           mapping=mapping, furniture=furniture_file(name))
    corpus.con.close()
    bar.empty()


def _apply_saved_corrections(corpus, name: str) -> None:
    from core.index.corrections import load_corrections

    edits = load_corrections(corrections_file(name))
    if len(edits):
        corpus.correct(edits)


def corpus_db(name: str) -> str:
    """The index file of a corpus (built into the cache first when it is made of sources)."""
    info = corpora()[name]
    if info["kind"] == "index":
        return str(info["db"])
    return _ensure_built(name, [str(p) for p in info["sources"]], corpus_mapping(name) or None)


def get_corpus(name: str | None = None):
    name = name or current_corpus_name()
    corpus = _open_db(corpus_db(name))
    if not corpus.corrections_applied:
        _apply_saved_corrections(corpus, name)
        corpus.corrections_applied = True
    return corpus


def reload_corpus() -> None:
    _open_db.clear()
    st.cache_data.clear()
    _STATUS.clear()


# -- the library: status, uploads, rebuilds -------------------------------------------------------
_STATUS: dict[tuple, tuple[float, dict]] = {}
_STATUS_TTL = 60.0


def index_status(db_path: str | Path) -> dict:
    """:func:`core.library.status`, remembered per (file, size, modification time) for a minute."""
    import time

    p = Path(db_path)
    try:
        s = p.stat()
    except OSError:
        return {}
    key = (str(p), s.st_size, s.st_mtime_ns)
    hit = _STATUS.get(key)
    if hit and time.monotonic() - hit[0] < _STATUS_TTL:
        return hit[1]
    out = library.status(p)
    _STATUS[key] = (time.monotonic(), out)
    return out


def corpus_status(name: str) -> dict:
    """The status of a corpus's index ({} when a corpus of sources has not been built yet)."""
    info = corpora().get(name)
    if not info:
        return {}
    if info["kind"] == "index":
        return index_status(info["db"])
    built = sorted(CACHE_DIR.glob(f"{name}-*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
    return index_status(built[0]) if built else {}


def count_label(n: int, language: str) -> str:
    """"المقالات: 1,234" / "1,234 articles"."""
    return t("lib.count", language).format(n=f"{int(n or 0):,}")


def corpus_label(name: str, info: dict, language: str) -> str:
    """What the corpus selector shows: the name, and for a library corpus its article count."""
    label = info["ar" if language == "ar" else "en"]
    if info.get("kind") == "index":
        stat = index_status(info["db"])
        if stat:
            label = f"{label} ({count_label(stat.get('articles', 0), language)})"
            if stat.get("stale"):
                label += f" · {t('lib.stale', language)}"
    return label


def library_table(language: str) -> pd.DataFrame:
    """One row per corpus: name, articles, size (MB), build date, stale, and why."""
    tr_ = translator(language)
    rows = []
    for name, info in corpora().items():
        stat = corpus_status(name)
        codes = library.stale_codes(stat.get("stale_reason", "")) if stat.get("stale") else []
        rows.append({
            "corpus": info["ar" if language == "ar" else "en"],
            "articles": int(stat["articles"]) if stat else None,
            "size_mb": library.size_mb(stat.get("size_bytes", 0)) if stat else None,
            "built": library.built_label(stat.get("built", "")) if stat else tr_("lib.notbuilt"),
            "stale": tr_("lib.yes") if stat.get("stale") else (tr_("lib.no") if stat else ""),
            "stale_reason": "; ".join(tr_(f"lib.stale.{c}") if c != "other" else stat.get("stale_reason", "")
                                      for c in codes),
        })
    out = pd.DataFrame(rows, columns=["corpus", "articles", "size_mb", "built", "stale", "stale_reason"])
    return out.astype({"articles": "Int64"})


LRI, PDI = "\u2066", "\u2069"  # a date or a path inside Arabic text keeps its own left-to-right order


def status_parts(stat: dict, language: str, time_of_day: bool = False) -> list[str]:
    """["المقالات: 5", "3.7 م.ب", "بُني في 2025-01-31", "⚠ قديم"] (plain text; the date isolated left-to-right)."""
    tr_ = translator(language)
    parts = [count_label(stat.get("articles", 0), language),
             f"{library.size_mb(stat.get('size_bytes', 0))} {tr_('lib.mb')}"]
    if stat.get("built"):
        built = library.built_label(stat["built"])
        parts.append(f"{tr_('lib.built')} {LRI}{built if time_of_day else built[:10]}{PDI}")
    if stat.get("stale"):
        parts.append(f"⚠ {tr_('lib.stale')}")
    return parts


def _html_line(text: str | list[str], cls: str, language: str, direction: str | None = None) -> str:
    """One line of escaped text as HTML (no markdown applies inside it), aligned for the interface;
    a list is shown as parts that each stay on one line."""
    direction = direction or ("rtl" if language == "ar" else "ltr")
    align = "left" if direction == "ltr" else "right"
    if isinstance(text, str):
        body = html_text(text)
    else:
        body = " · ".join(f'<span style="white-space: nowrap">{html_text(p)}</span>' for p in text)
    return f'<div dir="{direction}" class="{cls}" style="text-align: {align}">{body}</div>'


def sidebar_stale_warning(name: str, language: str) -> None:
    """Under the corpus selector, only when the current corpus's index is stale: why."""
    tr_ = translator(language)
    stat = corpus_status(name)
    if not stat.get("stale"):
        return
    codes = library.stale_codes(stat.get("stale_reason", ""))
    known = [tr_(f"lib.stale.{c}") for c in codes if c != "other"]
    sep = "؛ " if language == "ar" else "; "
    st.sidebar.warning(tr_("lib.stale.title") + (": " + sep.join(known) if known else ""), icon=":material/warning:")
    if "other" in codes:  # a reason the index gives in its own words: plain text, never markdown
        st.sidebar.text(stat.get("stale_reason", ""))


def sidebar_library(name: str, language: str) -> None:
    """The library at the foot of the sidebar: every corpus with its articles, size, build date and
    whether it is stale (the current one highlighted), and the library folder."""
    tr_ = translator(language)
    with st.sidebar.expander(tr_("lib.title")):
        lines = []
        for key, info in corpora().items():
            entry = corpus_status(key)
            cls = "marsad-lib-entry marsad-lib-current" if key == name else "marsad-lib-entry"
            lines.append(_html_line(info["ar" if language == "ar" else "en"], cls + " marsad-lib-name", language))
            lines.append(_html_line(status_parts(entry, language, key == name) if entry else tr_("lib.notbuilt"),
                                    "marsad-lib-stat", language))
        st.markdown("".join(lines), unsafe_allow_html=True)
        st.caption(tr_("lib.help"))
        st.markdown(_html_line(str(library_dir()), "marsad-lib-path", language, "ltr"), unsafe_allow_html=True)


def library_upload(target: str, files: list[tuple[str, object]], new: bool) -> dict:
    """Store uploaded files in one of this session's private corpora and index them: a new corpus is
    built, an existing one is appended to. Nobody else sees it until :func:`save_to_library`.
    Returns {"key", "name", "created", "added", "problems", "articles", "files"} (``key`` is what the
    corpus selector and the URL use).

    Raises :class:`core.library.BadName` (codes of ``validate_name``, or "exists" / "missing")."""
    lib = private_lib()
    name = library.validate_name(target, RESERVED)
    with _LIB_LOCK:
        present = library.exists(lib, name)
        if new and present:
            raise library.BadName("exists", name)
        if not new and not present:
            raise library.BadName("missing", name)
        saved = [library.store_upload(lib, name, fn, data) for fn, data in files]
        bar, progress = progress_bar()
        try:
            if new:
                res = _build_library(lib, name, [library.sources_dir(lib, name)], progress)
            else:
                from core.index.build import append_index

                db = library.index_path(lib, name)
                release_db(db)
                res = append_index([str(p) for p in saved], db, mapping=library.mapping(lib, name) or None,
                                   progress=progress)
        except BaseException:
            for p in saved:  # nothing half-added: the files go with the failed build
                p.unlink(missing_ok=True)
            raise
        finally:
            bar.empty()
    reload_corpus()
    return {"key": PRIVATE + name, "name": name, "created": new, "added": int(res.get("added", 0)),
            "problems": int(res.get("problems", 0)), "articles": int(res.get("articles", 0)),
            "files": [p.name for p in saved]}


def _build_library(lib: Path, name: str, sources: list[Path], progress) -> dict:
    """(Re)build a library or private corpus's index from ``sources`` with its mapping and corrections."""
    from core.index.build import build_index

    db = library.index_path(lib, name)
    if not library.settings_path(lib, name).exists():
        library.save_settings(lib, name, mapping={})
    release_db(db)
    corpus = build_index([str(s) for s in sources], db, mapping=library.mapping(lib, name) or None,
                         corrections=library.corrections_path(lib, name), progress=progress,
                         furniture=library.furniture_path(lib, name))
    try:
        articles = int(corpus.rows("SELECT COUNT(*) FROM articles")[0][0])
        problems = int(corpus.rows("SELECT COUNT(*) FROM report")[0][0])
    finally:
        corpus.con.close()
    return {"added": articles, "problems": problems, "articles": articles}


def rebuild_library_corpus(key: str) -> dict:
    """Rebuild a library or private corpus from its sources (after a mapping change, or when stale)."""
    import json

    lib, name = corpus_home(key)
    try:
        meta_sources = json.loads(get_corpus(key).meta().get("sources") or "[]")
    except (ValueError, TypeError):
        meta_sources = []
    sources = library.rebuild_sources(lib, name, meta_sources)
    if not sources:
        raise FileNotFoundError(tr("lib.rebuild.nosources"))
    with _LIB_LOCK:
        bar, progress = progress_bar()
        try:
            res = _build_library(lib, name, sources, progress)
        finally:
            bar.empty()
    reload_corpus()
    return res


# -- managing corpora: save a private one to the library, rename, delete ---------------------------
def can_manage(key: str) -> bool:
    """A corpus this session may rename or delete: its own private ones and writable library ones
    (never the bundled sample, a built-in corpus, or a read-only library corpus)."""
    home = corpus_home(key)
    return bool(home) and not library.is_read_only(*home)


def _moved(db: Path, move) -> str:
    """Close the shared handle on ``db``, run ``move``, and drop every cached view of the corpora."""
    with _LIB_LOCK:
        release_db(db)
        out = move()
    reload_corpus()
    return out


def save_to_library(key: str, new_name: str) -> str:
    """Move this session's private corpus into the shared library as ``new_name`` (refused with
    :class:`core.library.BadName` "exists" when the library has one of that name). Returns its key."""
    lib, name = corpus_home(key)
    if not is_private(key):
        raise library.BadName("missing", name)
    return _moved(library.index_path(lib, name),
                  lambda: library.save_to_library(lib, name, library_dir(), new_name, RESERVED))


def rename_corpus(key: str, new_name: str) -> str:
    """Rename a private or library corpus; returns its new key."""
    if not can_manage(key):
        raise library.BadName("readonly", key)
    lib, name = corpus_home(key)
    done = _moved(library.index_path(lib, name), lambda: library.rename(lib, name, new_name, RESERVED))
    return (PRIVATE + done) if lib != library_dir() else done


def delete_corpus(key: str) -> None:
    """Delete a private or library corpus and everything of it (its uploads, settings, corrections)."""
    if not can_manage(key):
        raise library.BadName("readonly", key)
    lib, name = corpus_home(key)
    _moved(library.index_path(lib, name), lambda: library.delete(lib, name))


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


# -- filter <-> widgets <-> URL ---------------------------------------------------------------
def _init_from_url(corpus) -> None:
    """On a fresh session, seed the sidebar widgets from the URL (a shared link restores the view)."""
    if st.session_state.get("_filter_seeded"):
        return
    flt = Filter.from_params(st.query_params)
    from core.analysis.overview import date_bounds, outlet_choices

    lo, hi = date_bounds(corpus)
    if flt.date_from or flt.date_to:
        st.session_state["f_dates"] = (flt.date_from or lo, flt.date_to or hi)
    else:
        st.session_state.pop("f_dates", None)
    known = set(outlet_choices(corpus)["outlet"])
    st.session_state["f_outlets"] = [o for o in flt.outlets if o in known]
    st.session_state["f_query"] = flt.query
    st.session_state["f_undated"] = flt.undated
    st.session_state["_filter_seeded"] = True


def reset_filter() -> None:
    for k in FILTER_KEYS:
        st.session_state.pop(k, None)
    st.session_state["f_outlets"] = []
    st.session_state["f_query"] = ""
    st.session_state["f_undated"] = "include"


def sidebar_filter(corpus) -> Filter:
    """Draw the shared filter in the sidebar and return it (also written to the URL)."""
    from core.analysis.overview import date_bounds, outlet_choices

    _init_from_url(corpus)
    L = lang()
    tr = translator(L)
    lo, hi = date_bounds(corpus)
    st.sidebar.markdown(f"**{tr('side.filter')}**")
    date_from = date_to = None
    if lo is not None:
        lo, hi = pd.Timestamp(lo).date(), pd.Timestamp(hi).date()
        cur = st.session_state.get("f_dates")
        if cur is not None and len(cur) == 2 and (cur[0] < lo or cur[1] > hi):
            start, end = max(cur[0], lo), min(cur[1], hi)
            st.session_state["f_dates"] = (start, end) if start <= end else (lo, hi)
        val = st.sidebar.date_input(tr("side.dates"), value=(lo, hi), min_value=lo, max_value=hi, key="f_dates",
                                    format="YYYY-MM-DD")
        if isinstance(val, (tuple, list)) and len(val) == 2:
            date_from, date_to = val
            if date_from == lo and date_to == hi:
                date_from = date_to = None
    undated = st.sidebar.radio(tr("side.undated"), ["include", "exclude", "only"], key="f_undated",
                               format_func=lambda v: tr(f"side.undated.{v}"), horizontal=True)
    counts = outlet_choices(corpus)
    count_of = dict(zip(counts["outlet"], counts["articles"]))
    outlets = st.sidebar.multiselect(
        tr("side.outlets"), list(counts["outlet"]), key="f_outlets", help=tr("side.outlets.help"),
        placeholder=tr("side.outlets.help"),
        format_func=lambda o: f"{outlet_label(o, L)} ({count_of.get(o, 0)})",
    )
    query = st.sidebar.text_input(tr("side.query"), key="f_query", help=tr("side.query.help"))
    st.sidebar.button(tr("side.reset"), on_click=reset_filter)
    flt = Filter(date_from=date_from, date_to=date_to, outlets=tuple(outlets), query=query, undated=undated)
    write_url(flt)
    return flt


def write_url(flt: Filter) -> None:
    want = {k: v for k, v in flt.to_params().items()}
    if lang() != "ar":
        want["lang"] = lang()
    if current_corpus_name() != "sample":
        want["corpus"] = current_corpus_name()
    have = {k: (st.query_params.get_all(k) if k == "outlet" else st.query_params.get(k)) for k in st.query_params.keys()}
    if have != want:
        st.query_params.from_dict(want)


# -- rendering helpers -------------------------------------------------------------------------
#: Tables longer than this show their first rows only (the browser gets a bounded payload); their CSV
#: download holds every row, and a caption says so.
TABLE_ROWS = 2000


def download(df, what: str, flt: Filter | None, key: str | None = None, rows: int | None = None) -> None:
    """A CSV download of exactly ``df`` (what the page shows), with the filter in the file name.

    ``df`` may be a callable returning the frame (then ``rows`` gives its length): the frame and its
    CSV are made only when the button is clicked, not on every rerun (a 400k-row CSV took 4 s)."""
    n = len(df) if rows is None else rows
    data = (lambda: csv_bytes(df())) if callable(df) else (lambda: csv_bytes(df))
    st.download_button(
        f"⬇ {tr('download')} ({n} {tr('rows')})", data=data, file_name=csv_name(what, flt),
        mime="text/csv", key=key or f"dl_{what}",
    )


def long_table(head: pd.DataFrame, total: int, fetch_all, what: str, flt: Filter | None,
               key: str | None = None, dl_key: str | None = None) -> None:
    """A table of ``total`` rows of which ``head`` holds the first (at most :data:`TABLE_ROWS`), and the CSV
    of all of them (``fetch_all()``, run on click)."""
    if total > len(head):
        st.caption(tr("table.first").format(shown=len(head), total=total))
    table(head, key=key)
    download(fetch_all if total > len(head) else head, what, flt, key=dl_key, rows=total)


def table(df: pd.DataFrame, key: str | None = None, **kw) -> None:
    """A read-only table with headers in the interface language (values exactly as in the CSV)."""
    from core.i18n import column_label

    L = lang()
    config = {c: st.column_config.Column(column_label(c, L)) for c in df.columns}
    st.dataframe(df, hide_index=True, width="stretch", column_config=config, key=key, **kw)


def empty_state() -> None:
    st.info(f"{tr('empty')} {tr('empty.hint')}", icon=":material/search_off:")


def rtl_text(text: str, tag: str = "div", extra_style: str = "") -> None:
    """Show article-derived text right-to-left. The text is escaped: it is data, never markup."""
    st.markdown(f'<{tag} dir="auto" class="marsad-rtl" style="{extra_style}">{html_text(text, breaks=True)}</{tag}>',
                unsafe_allow_html=True)


def plot(fig, key: str | None = None, select: bool = False):
    """Draw a figure (Plotly's camera button exports PNG). With ``select`` a click on a bar reruns
    the page and the returned event names the clicked point."""
    config = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}
    if select:
        return st.plotly_chart(fig, key=key, config=config, on_select="rerun", selection_mode="points")
    st.plotly_chart(fig, key=key, config=config)
    return None


def clicked_label(event) -> str | None:
    """The category label of the bar clicked in a ``plot(..., select=True)`` chart."""
    try:
        points = event.selection.points
    except AttributeError:
        return None
    if not points:
        return None
    from core.charts import label_text

    p = points[0]
    return label_text(p.get("y") if isinstance(p.get("y"), str) else p.get("x"))


CSS = """
<style>
.marsad-rtl { direction: rtl; text-align: right; unicode-bidi: plaintext; line-height: 1.9; }
html[lang="ar"] [data-testid="stMarkdownContainer"] p, .marsad-ar [data-testid="stMarkdownContainer"] { direction: rtl; text-align: right; }
.marsad-lib-name { font-weight: 600; margin-top: 0.45rem; }
.marsad-lib-current { color: #0f6e6e; }
.marsad-lib-stat { font-size: 0.8rem; color: #666; }
.marsad-lib-path { font-size: 0.75rem; color: #777; text-align: left; word-break: break-all; overflow-wrap: anywhere; white-space: normal; }
mark.marsad-hit { background: #ffe08a; padding: 0 2px; border-radius: 3px; }
.marsad-kwic { width: 100%; border-collapse: collapse; font-size: 0.95rem; }
.marsad-kwic td { padding: 2px 6px; border-bottom: 1px solid #eee; white-space: nowrap; }
.marsad-kwic td.pre { text-align: left; direction: rtl; width: 42%; }
.marsad-kwic td.post { text-align: right; direction: rtl; width: 42%; }
.marsad-kwic td.m { text-align: center; font-weight: 700; color: #0f6e6e; }
.marsad-kwic td.src { color: #777; font-size: 0.8rem; }
</style>
"""

CSS_AR = """
<style>
section.main .block-container, [data-testid="stMain"] .block-container { direction: rtl; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] { text-align: right; }
[data-testid="stSidebar"] { direction: rtl; }
[data-testid="stMain"] .js-plotly-plot { direction: ltr; }
</style>
"""


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
    import dataclasses

    from core.resources import dump_topics, load_resources, validate_topics

    lexicon = [dataclasses.replace(t, keywords=list(keywords)) if t.id == topic_id else t for t in topics()]
    try:  # the file's rules plus "no stop word in a keyword" (it could never match)
        validate_topics(lexicon, load_resources().stopwords, file=str(USER_TOPICS))
        dump_topics(lexicon, USER_TOPICS)  # validated again, written atomically (core.fsutil)
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
    st.session_state["_filter_seeded"] = False
    return "recounted"


def reset_user_entities() -> str:
    USER_GAZETTEER.unlink(missing_ok=True)
    return recount_current()
