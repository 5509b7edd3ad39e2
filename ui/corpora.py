"""The corpus library, the Streamlit side: which corpora the sidebar offers, the shared read handle
of each (``st.cache_resource``: one per index file, shared by sessions, never mutated except by
explicit corrections), building and appending with a progress bar, and the library's sidebar.

The plain work (names, folders, settings, atomic writes) is :mod:`core.library`'s.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pandas as pd
import streamlit as st

import core.resources as _resources
from core import library
from core.i18n import STRINGS, t
from ui.lang import translator, tr
from ui.safe import html_text

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

#: The analyst's gazetteer additions (the Entities page's candidates); every build and every
#: staleness check of this process reads them through core.resources.load_resources.
USER_GAZETTEER = VAR_DIR / "resources" / "gazetteer.yaml"
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


def _labels(key: str, **fields) -> dict[str, str]:
    """A corpus's name in both interface languages (the selector shows the session's)."""
    return {lang: t(key, lang).format(**fields) for lang in ("ar", "en")}


def corpora() -> dict[str, dict]:
    """The corpora the sidebar offers: key → {ar, en, kind ("sources" | "index"), sources | db, library}.

    Built-in ones (the sample, the ANT excerpt/sample/full when present), every corpus of the
    library folder, and the one ``MARSAD_CORPUS`` names."""
    found = {
        "sample": {**_labels("corpus.sample"), "kind": "sources",
                   "sources": [ROOT / "data" / "sample"]},
    }
    extra = os.environ.get("MARSAD_EXTRA_CORPUS")
    if extra and Path(extra).exists():
        found["extra"] = {**_labels("corpus.extra", name=Path(extra).name), "kind": "sources",
                          "sources": [Path(extra)]}
        if library.is_index_file(Path(extra)):  # a built index (the load test on a 100k bench index)
            found["extra"] = {**found["extra"], "kind": "index", "db": Path(extra), "library": False}
            del found["extra"]["sources"]
    if ANT_SAMPLE.exists():
        found["ant1000"] = {**_labels("corpus.ant1000"), "kind": "sources",
                            "sources": [ANT_SAMPLE]}
    if ANT_FULL.exists():
        found["ant"] = {**_labels("corpus.ant"), "kind": "sources",
                        "sources": [ANT_FULL]}
    if UPLOAD_DIR.exists() and any(p.is_file() for p in UPLOAD_DIR.rglob("*")):
        found["uploads"] = {**_labels("corpus.uploads"), "kind": "sources",
                            "sources": [UPLOAD_DIR]}
    lib = library_dir()
    for name in library.names(lib, RESERVED):
        found[name] = {"ar": name, "en": name, "kind": "index", "db": library.index_path(lib, name), "library": True,
                       "lib": lib, "name": name}
    if st.session_state.get("_private_token"):  # only this session's own private corpora
        mine = private_lib()
        for name in library.names(mine, RESERVED):
            found[PRIVATE + name] = {**_labels("corpus.private", name=name), "kind": "index",
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
    corpus = Corpus.open(db_path)
    _settle_heap(corpus)
    return corpus


def _settle_heap(corpus) -> None:
    """Load the handle's grouping, then move everything the process holds so far out of the garbage
    collector's sight (``gc.freeze``).

    A full collection holds the GIL that every session's run shares and visits every container object
    alive: with the 100k index open ~450k of them, 200k the grouping's per-word analyses, ~150 ms. Streamlit
    ran one after every script run (``runner.postScriptGC``, now off in .streamlit/config.toml); Python's
    own collector still makes one every few seconds under load. Frozen, the long-lived objects are skipped:
    its full passes took 230-285 ms without, 70-125 ms with (ten protocol sessions on the 100k index).
    Objects made later (a session's frames, the view cache) are still collected as before; frozen objects
    are freed by reference counting like any other, only cycles among them would stay."""
    import gc
    import importlib

    corpus.grouper  # noqa: B018 - built here once, rather than inside the first page that asks for it
    # what the pages import on first use (a module's functions and classes live as long as the process)
    for module in _PAGE_MODULES:
        importlib.import_module(module)
    gc.collect()
    gc.freeze()


#: Imported before the heap is frozen: the analyses and what they load on first use (scipy, scikit-learn,
#: plotly's figure classes, the word cloud's matplotlib). Left for the pages, they made ~180k objects
#: that every collection visited again (~100 ms a run under ten sessions).
_PAGE_MODULES = ("core.charts", "core.export", "core.markup", "core.analysis.distinctive", "core.analysis.entities",
                 "core.analysis.keywords", "core.analysis.overview", "core.analysis.quotes_view",
                 "core.analysis.reuse_view", "core.analysis.stories", "core.analysis.topics", "core.analysis.variants",
                 "scipy.sparse", "sklearn.feature_extraction.text", "wordcloud", "plotly.graph_objects", "plotly.io")


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
