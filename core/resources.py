"""Load and validate every editable language resource in one place.

The files live in ``core/resources/`` (or any directory given to
``load_resources``) and are meant to be read and edited by people:

* ``stopwords.txt``  – words never counted as terms (one or more per line, ``#`` comments)
* ``aliases.yaml``   – spelling-variant groups (سوريا/سورية, أمريكي/أميركي …) and a keep-list
* ``gazetteer.yaml`` – people, places and organisations with their variants
* ``topics.yaml``    – topic lexicons (keywords and phrases of at most three words)
* ``names.yaml``     – name connectors (بن), joined prefixes (عبد, أبو), title and honorific
  formulae: how n-grams treat name chains
* ``name_patterns.yaml`` – titles, roles, place and organisation head words, speech verbs …:
  the patterns around which names the gazetteer lacks are found (``core.names``)

Ingestion reads its own files from the default directory, through the same validation
(``_read_yaml``, :func:`load_word_lists`), when ``core.ingest`` is imported:

* ``outlets.yaml``   – outlet names and their spellings (``core.ingest.outlets``)
* ``dates.yaml``     – month and weekday names (``core.ingest.dates``)
* ``furniture.yaml`` – share-widget words, generic source words, words that never open a
  dateline (``core.ingest.furniture``)
* ``columns.yaml``   – the column names recognised for each article field (``core.ingest.readers``)

Those lists are kept as written (after ``clean_surface``): ingestion matches them with its own
folding (``match_fold``, ``name_key``, ``norm_column``), and gives the loader that folding where a
word may mean one thing only (a month, a field).

Every word list is normalised on load with ``core.arabic.normalize`` – the same
function that normalises article text and search queries – so a list can never
silently stop matching the text.  Display forms (entity names, alias canonicals,
topic keywords) are kept as written (after ``clean_surface``) for showing, with
their normalised forms alongside.

Every problem raises ``core.model.ResourceError(file, entry, reason)`` naming the
file, the entry (1-based number and value) and the reason.
"""
from __future__ import annotations

import copy
import functools
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import yaml

from core.arabic import clean_surface, normalize, tokenize
from core.fsutil import atomic_write_text
from core.model import ResourceError

DEFAULT_DIR = Path(__file__).resolve().parent / "resources"

STOPWORDS_FILE = "stopwords.txt"
ALIASES_FILE = "aliases.yaml"
GAZETTEER_FILE = "gazetteer.yaml"
TOPICS_FILE = "topics.yaml"
NAMES_FILE = "names.yaml"
NAME_PATTERNS_FILE = "name_patterns.yaml"
RESOURCE_FILES = (STOPWORDS_FILE, ALIASES_FILE, GAZETTEER_FILE, TOPICS_FILE, NAMES_FILE, NAME_PATTERNS_FILE)
#: Read by ingestion from the default directory (and part of an index's cache key with the ingestion
#: code, ``core.index.cache``).
OUTLETS_FILE = "outlets.yaml"
DATES_FILE = "dates.yaml"
FURNITURE_FILE = "furniture.yaml"
COLUMNS_FILE = "columns.yaml"

#: The analyst's own gazetteer entries (added from the Entities page's candidates), merged after the
#: shipped ones by :func:`load_resources` when it loads the default directory.  The app sets it to
#: ``<MARSAD_VAR>/resources/gazetteer.yaml``; the command line reads ``MARSAD_USER_GAZETTEER``.
#: It is part of the fingerprint, so an index built without an added name is stale.
USER_GAZETTEER: Path | None = (Path(os.environ["MARSAD_USER_GAZETTEER"])
                               if os.environ.get("MARSAD_USER_GAZETTEER") else None)

ENTITY_TYPES = ("person", "place", "organisation")
MAX_KEYWORD_WORDS = 3
_TOPIC_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

#: The nisba endings: what follows the ي of an adjective of origin (سوري, سورية, سوريان, سوريين,
#: سوريون, سوريات, سوريتان, سوريتين).  Alias groups count every one; ``core.textpipe``'s topic
#: matching leaves out the duals (:data:`NISBA_DUALS`).
NISBA_ENDINGS = ("", "ة", "ان", "ين", "ون", "ات", "تان", "تين")
NISBA_DUALS = ("ان", "تان", "تين")

#: How an alias entry's spellings are expanded into token forms (see aliases.yaml header).
#: Each is a list of (prefix, suffix) pairs added around the canonical and every variant.
ALIAS_FORMS: dict[str, tuple[tuple[str, str], ...]] = {
    "word": (("", ""),),
    "article": (("", ""), ("ال", "")),
    "nisba": tuple((p, s) for p in ("", "ال") for s in NISBA_ENDINGS),
}


# ---------------------------------------------------------------------------
# Data types
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class AliasGroup:
    """One spelling-variant group: ``variants`` are counted as ``canonical``.

    ``canonical``/``variants`` are display forms (clean surface, hamza kept);
    ``forms`` names the affix expansion (``word``, ``article`` or ``nisba``).
    """

    canonical: str
    variants: tuple[str, ...]
    forms: str = "word"

    @property
    def norm_canonical(self) -> str:
        return normalize(self.canonical)

    @property
    def norm_variants(self) -> tuple[str, ...]:
        return tuple(normalize(v) for v in self.variants)

    def expansions(self) -> list[tuple[str, str, int, int]]:
        """(normalised form, normalised canonical form, stem start, stem end) for every spelling.

        >>> AliasGroup("أمريكي", ("أميركي",), "nisba").expansions()[2]
        ('امريكيان', 'امريكيان', 0, 6)
        """
        out = []
        canon = self.norm_canonical
        for spelling in (canon, *self.norm_variants):
            for prefix, suffix in ALIAS_FORMS[self.forms]:
                out.append((prefix + spelling + suffix, prefix + canon + suffix,
                            len(prefix), len(prefix) + len(spelling)))
        return out


@dataclass(frozen=True)
class Aliases:
    """All alias groups plus the keep-list (words never split into clitic + word)."""

    groups: tuple[AliasGroup, ...] = ()
    keep: frozenset[str] = frozenset()  # normalised

    def form_map(self) -> dict[str, tuple[str, int, int, int]]:
        """normalised token form -> (normalised canonical form, group index, stem start, stem end)."""
        out: dict[str, tuple[str, int, int, int]] = {}
        for gi, g in enumerate(self.groups):
            for form, canon_form, a, b in g.expansions():
                out.setdefault(form, (canon_form, gi, a, b))
        return out


def _abd_spellings(toks: list[str]) -> list[str]:
    """The other spelling of a name with عبد: joined (عبدالعزيز) or spaced (عبد العزيز), both ways."""
    if not any(t == "عبد" or (t.startswith("عبدال") and len(t) > 6) for t in toks):
        return []
    joined, i = [], 0
    while i < len(toks):
        if toks[i] == "عبد" and i + 1 < len(toks):
            joined.append("عبد" + toks[i + 1])
            i += 2
        else:
            joined.append(toks[i])
            i += 1
    spaced = []
    for t in toks:
        spaced.extend(["عبد", t[3:]] if t.startswith("عبدال") and len(t) > 6 else [t])
    return [" ".join(x) for x in (joined, spaced) if x != toks]


@dataclass(frozen=True)
class Entity:
    """A gazetteer entry: ``name`` is the display name (as the corpus writes it)."""

    name: str
    type: str
    variants: tuple[str, ...] = ()
    name_en: str = ""

    @property
    def norm_forms(self) -> tuple[str, ...]:
        """The normalised name and variants (each may be several words)."""
        seen: dict[str, None] = {}
        for f in (self.name, *self.variants):
            toks = tokenize(normalize(f))
            seen.setdefault(" ".join(toks), None)
            for alt in _abd_spellings(toks):       # عبد الله / عبدالله: both spellings are common
                seen.setdefault(alt, None)
        return tuple(seen)


@dataclass
class Topic:
    """A topic lexicon; ``keywords`` are words or phrases of at most three words, as written."""

    id: str
    name_ar: str
    name_en: str
    keywords: list[str] = field(default_factory=list)

    @property
    def norm_keywords(self) -> list[str]:
        return [" ".join(tokenize(normalize(k))) for k in self.keywords]


@dataclass(frozen=True)
class Names:
    """``names.yaml``, normalised: connectors and name openers as words, formulae as word tuples."""

    connectors: frozenset[str] = frozenset()
    before_name: frozenset[str] = frozenset()
    joined: frozenset[str] = frozenset()
    titles: tuple[tuple[str, ...], ...] = ()
    honorifics: tuple[tuple[str, ...], ...] = ()
_NAME_SECTIONS = ("titles", "roles", "place_heads", "organisation_heads", "speech_verbs", "particles",
                  "media_nouns", "not_names")


@dataclass(frozen=True)
class NamePatterns:
    """The words of ``name_patterns.yaml`` (normalised), around which names the gazetteer lacks are found.

    Each section is a frozenset of normalised phrases (one or two words)."""

    titles: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    place_heads: frozenset[str] = frozenset()
    organisation_heads: frozenset[str] = frozenset()
    speech_verbs: frozenset[str] = frozenset()
    particles: frozenset[str] = frozenset()
    media_nouns: frozenset[str] = frozenset()
    not_names: frozenset[str] = frozenset()


@dataclass
class Resources:
    """Every editable resource, loaded and validated."""

    stopwords: frozenset[str] = frozenset()
    aliases: Aliases = field(default_factory=Aliases)
    gazetteer: list[Entity] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    directory: Path | None = None
    names: Names = field(default_factory=Names)
    name_patterns: "NamePatterns" = field(default_factory=lambda: NamePatterns())
    user_gazetteer: Path | None = None

    def fingerprint(self) -> str:
        """A hash of the resource files' contents (or of the in-memory values when not loaded
        from files), so a store can tell that its index was built with other resources."""
        h = hashlib.sha256()
        if self.directory is not None:
            for name in RESOURCE_FILES:
                p = Path(self.directory) / name
                h.update(name.encode())
                h.update(p.read_bytes() if p.exists() else b"")
            if self.user_gazetteer is not None and Path(self.user_gazetteer).exists():
                h.update(b"user:" + Path(self.user_gazetteer).read_bytes())
        else:
            h.update(repr((sorted(self.stopwords), self.aliases, self.gazetteer,
                           [(t.id, t.name_ar, t.name_en, list(t.keywords)) for t in self.topics],
                           self.names)).encode())
        return h.hexdigest()[:16]

    def entity_tokens(self) -> frozenset[str]:
        """Every normalised token of every gazetteer name and variant."""
        return frozenset(t for e in self.gazetteer for f in e.norm_forms for t in f.split())


# ---------------------------------------------------------------------------
# Loaders
# ---------------------------------------------------------------------------

def _name(path: Path) -> str:
    return Path(path).name


@functools.lru_cache(maxsize=32)
def _parse_yaml(text: str):
    """Parsed YAML, remembered per file content: the pages read the resources on every rerun, and
    parsing them took ~0.35 s a rerun (the gazetteer alone); a copy is handed out each time."""
    return yaml.safe_load(text)


def _read_yaml(path: Path):
    """A resource file's YAML; unreadable, non-UTF-8 or invalid YAML raises :class:`ResourceError`
    naming the file (and the line)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ResourceError(_name(path), "-", f"cannot read the file: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ResourceError(_name(path), "-", f"not UTF-8: {exc}") from exc
    try:
        return copy.deepcopy(_parse_yaml(text))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "-"
        raise ResourceError(_name(path), where, f"invalid YAML: {getattr(exc, 'problem', exc)}") from exc


def _entry(i: int, value: object = None) -> str:
    return f"entry {i}" + (f" ({value})" if value not in (None, "") else "")


def _string_list(file: str, where: str, value, what: str, *, allow_empty: bool = True) -> list[str]:
    if value is None:
        value = []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ResourceError(file, where, f"{what} must be a list of strings, not {type(value).__name__}")
    out = []
    for v in value:
        if not isinstance(v, (str, int)) or not str(v).strip():
            raise ResourceError(file, where, f"{what} holds an empty or non-text value: {v!r}")
        out.append(clean_surface(str(v)).strip())
    if not out and not allow_empty:
        raise ResourceError(file, where, f"{what} is empty")
    return out


def _entry_head(file: str, i: int, raw, key: str, fields: Iterable[str], what: str) -> tuple[str, str]:
    """``(value of the entry's key field, label "entry 3 (لافروف)")`` after the checks every list entry
    of a resource file shares: a mapping, its ``key`` field not empty, no field outside ``fields``."""
    if not isinstance(raw, dict):
        raise ResourceError(file, _entry(i), f"an entry must be a mapping with {what}")
    value = clean_surface(str(raw.get(key) or "")).strip()
    where = _entry(i, value)
    if not value:
        raise ResourceError(file, where, f"{key} is missing or empty")
    bad = set(raw) - set(fields)
    if bad:
        raise ResourceError(file, where, f"unknown field(s): {', '.join(sorted(map(str, bad)))}")
    return value, where


def load_stopwords(path: str | Path) -> frozenset[str]:
    """Read a stop-word file: words separated by spaces or newlines, ``#`` starts a comment.

    Each word is normalised (وأكد → واكد) and must be a single word token.  A word ending in
    ى also stops its ي spelling (حتى → حتي), and one ending in ي its ى spelling (في → فى); ``!word`` says a word is never a stop word
    (``!علي``: the name Ali, not the preposition على).
    """
    path = Path(path)
    file = _name(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ResourceError(file, "-", f"cannot read the file: {exc}") from exc
    words, never = set(), set()
    for lineno, line in enumerate(lines, 1):
        for raw in line.split("#", 1)[0].split():
            neg = raw.startswith("!")
            w = normalize(raw[1:] if neg else raw)
            if tokenize(w) != [w]:
                raise ResourceError(file, f"line {lineno} ({raw})",
                                    "a stop word must be one word of letters (no punctuation or digits)")
            (never if neg else words).add(w)
    # a final ى also stops its ي spelling (حتى → حتي) and a final ي its ى spelling (في → فى, الذي → الذى:
    # outlets that write a final ى for ي), except the words listed with "!"
    words |= {w[:-1] + "ي" for w in words if w.endswith("ى")} | {w[:-1] + "ى" for w in words if w.endswith("ي")}
    return frozenset(words - never)


def _sections(path: Path, fields) -> dict:
    """A YAML mapping whose keys must be among ``fields`` (empty when the file is empty)."""
    file = _name(path)
    data = _read_yaml(path) or {}
    if not isinstance(data, dict):
        raise ResourceError(file, "-", f"the file must be a mapping with the sections {', '.join(fields)}")
    unknown = set(data) - set(fields)
    if unknown:
        raise ResourceError(file, "-", f"unknown section(s): {', '.join(sorted(map(str, unknown)))}")
    return data


def load_names(path: str | Path) -> Names:
    """Read ``names.yaml`` (connectors, before_name, joined: single words; titles, honorifics:
    phrases).  A missing file means no name rules."""
    path = Path(path)
    file = _name(path)
    if not path.exists():
        return Names()
    fields = ("connectors", "before_name", "joined", "titles", "honorifics")
    data = _sections(path, fields)
    out = {}
    for f in fields:
        vals = []
        for i, v in enumerate(_string_list(file, f, data.get(f), f), 1):
            toks = tuple(tokenize(normalize(v)))
            if not toks or (f in fields[:3] and len(toks) != 1):
                raise ResourceError(file, f"{f} {_entry(i, v)}", "must be one word" if toks else "holds no word")
            vals.append(toks)
        out[f] = frozenset(t[0] for t in vals) if f in fields[:3] else tuple(vals)
    if not out["joined"] <= out["before_name"]:
        extra = sorted(out["joined"] - out["before_name"])
        raise ResourceError(file, "joined", f"{extra[0]!r} must also be listed in before_name")
    return Names(**out)


def load_aliases(path: str | Path) -> Aliases:
    """Read ``aliases.yaml``: ``groups`` (canonical, variants, forms) and ``keep``."""
    path = Path(path)
    file = _name(path)
    data = _sections(path, ("groups", "keep"))
    raw_groups = data.get("groups") or []
    if not isinstance(raw_groups, list):
        raise ResourceError(file, "groups", "must be a list of entries")
    groups: list[AliasGroup] = []
    owner: dict[str, tuple[int, str]] = {}  # normalised spelling -> (entry number, canonical)
    for i, g in enumerate(raw_groups, 1):
        canonical, where = _entry_head(file, i, g, "canonical", ("canonical", "variants", "forms", "note"),
                                       "canonical and variants")
        variants = _string_list(file, where, g.get("variants"), "variants", allow_empty=False)
        forms = str(g.get("forms") or "word")
        if forms not in ALIAS_FORMS:
            raise ResourceError(file, where, f"forms must be one of {', '.join(ALIAS_FORMS)}, not {forms!r}")
        for spelling in (canonical, *variants):
            n = normalize(spelling)
            if len(tokenize(n)) != 1 or tokenize(n)[0] != n:
                raise ResourceError(file, where, f"{spelling!r} must be a single word")
            if n in owner and owner[n][0] != i:
                j, other = owner[n]
                raise ResourceError(file, where, f"{spelling!r} is already in entry {j} ({other})")
            owner[n] = (i, canonical)
        groups.append(AliasGroup(canonical, tuple(variants), forms))
    keep = frozenset(normalize(w) for w in _string_list(file, "keep", data.get("keep"), "keep"))
    return Aliases(tuple(groups), keep)


def load_gazetteer(path: str | Path) -> list[Entity]:
    """Read ``gazetteer.yaml``: a list of entries with name, name_en, type and variants."""
    path = Path(path)
    file = _name(path)
    data = _read_yaml(path) or []
    if not isinstance(data, list):
        raise ResourceError(file, "-", "the file must be a list of entries")
    entities: list[Entity] = []
    owner: dict[str, tuple[int, str]] = {}
    for i, e in enumerate(data, 1):
        name, where = _entry_head(file, i, e, "name", ("name", "name_en", "type", "variants", "note"),
                                  "name, name_en, type, variants")
        etype = e.get("type")
        if etype not in ENTITY_TYPES:
            raise ResourceError(file, where, f"type must be one of {', '.join(ENTITY_TYPES)}, not {etype!r}")
        name_en = str(e.get("name_en") or "").strip()
        if not name_en:
            raise ResourceError(file, where, "name_en is missing")
        variants = _string_list(file, where, e.get("variants"), "variants")
        ent = Entity(name, etype, tuple(variants), name_en)
        for form in ent.norm_forms:
            if not form:
                raise ResourceError(file, where, "a name or variant has no letters")
            if form in owner and owner[form][0] != i:
                j, other = owner[form]
                raise ResourceError(file, where, f"variant {form!r} is also claimed by entry {j} ({other})")
            owner[form] = (i, name)
        entities.append(ent)
    return entities


def load_name_patterns(path: str | Path) -> NamePatterns:
    """Read ``name_patterns.yaml``: the sections of :class:`NamePatterns`, each a list of words or two-word
    phrases (normalised on load like the text)."""
    path = Path(path)
    file = _name(path)
    data = _sections(path, _NAME_SECTIONS)
    out = {}
    for section in _NAME_SECTIONS:
        words = set()
        for w in _string_list(file, section, data.get(section), section):
            toks = tokenize(normalize(w))
            if not toks or len(toks) > 3:
                raise ResourceError(file, f"{section} ({w})", "must be a word or a phrase of at most three words")
            words.add(" ".join(toks))
        out[section] = frozenset(words)
    return NamePatterns(**out)


def load_word_lists(path: str | Path, sections: Iterable[str],
                    exclusive: Callable[[str], str] | None = None) -> dict[str, tuple[str, ...]]:
    """Read a YAML mapping of word lists: exactly ``sections``, each a non-empty list of words or
    phrases, kept as written (after ``clean_surface``), in file order.  A word may be listed once
    per section.  ``exclusive``, when given, is the folding the reader matches the words with: a
    word so folded may then belong to one section only (a name means one month, one field).
    """
    path = Path(path)
    file = _name(path)
    sections = tuple(sections)
    data = _sections(path, sections)
    missing = [s for s in sections if s not in data]
    if missing:
        raise ResourceError(file, "-", f"missing section(s): {', '.join(missing)}")
    out: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}
    for section in sections:
        words = _string_list(file, section, data[section], section, allow_empty=False)
        seen: set[str] = set()
        for i, w in enumerate(words, 1):
            where = f"{section} {_entry(i, w)}"
            if w.casefold() in seen:
                raise ResourceError(file, where, f"{w!r} is listed twice")
            seen.add(w.casefold())
            if exclusive is not None and owner.setdefault(exclusive(w), section) != section:
                raise ResourceError(file, where, f"{w!r} is already listed under {owner[exclusive(w)]}")
        out[section] = tuple(words)
    return out


def merge_gazetteers(base: list[Entity], extra: list[Entity], file: str) -> list[Entity]:
    """The shipped gazetteer plus the analyst's entries: an added entry may not claim a name or
    variant an earlier entry has (the same rule as inside one file)."""
    owner = {f: e.name for e in base for f in e.norm_forms}
    shipped = {e.name for e in base}
    for i, e in enumerate(extra, 1):
        if e.name in shipped:
            raise ResourceError(file, _entry(i, e.name), "the gazetteer already has this entry")
        for form in e.norm_forms:
            if form in owner and owner[form] != e.name:
                raise ResourceError(file, _entry(i, e.name), f"variant {form!r} is also claimed by {owner[form]}")
            owner[form] = e.name
    return list(base) + list(extra)


def dump_gazetteer(entities: Iterable[Entity], path: str | Path, header: str = "") -> None:
    """Write gazetteer entries to a YAML file (the analyst's additions), validated, atomically."""
    rows = []
    for e in entities:
        row = {"name": e.name, "name_en": e.name_en or e.name, "type": e.type}
        if e.variants:
            row["variants"] = list(e.variants)
        rows.append(row)
    text = header + (yaml.safe_dump(rows, allow_unicode=True, sort_keys=False, width=1000) if rows else "[]\n")
    tmp = Path(path).with_name(Path(path).name + ".check")
    tmp.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_text(text, encoding="utf-8")
    try:
        load_gazetteer(tmp)
    finally:
        tmp.unlink(missing_ok=True)
    atomic_write_text(path, text)


def _parse_topics(file: str, data) -> list[Topic]:
    if not isinstance(data, list):
        raise ResourceError(file, "-", "the file must be a list of topics")
    topics: list[Topic] = []
    seen: dict[str, int] = {}
    for i, t in enumerate(data, 1):
        if not isinstance(t, dict):
            raise ResourceError(file, _entry(i), "a topic must be a mapping with id, name_ar, name_en, keywords")
        tid = str(t.get("id") or "").strip()
        where = _entry(i, tid)
        if not tid:
            raise ResourceError(file, where, "id is missing")
        if not _TOPIC_ID_RE.match(tid):
            raise ResourceError(file, where, "id must be lower-case ASCII letters, digits, '_' or '-'")
        if tid in seen:
            raise ResourceError(file, where, f"duplicate topic id {tid!r} (also entry {seen[tid]})")
        seen[tid] = i
        bad = set(t) - {"id", "name_ar", "name_en", "keywords", "note"}
        if bad:
            raise ResourceError(file, where, f"unknown field(s): {', '.join(sorted(map(str, bad)))}")
        name_ar = clean_surface(str(t.get("name_ar") or "")).strip()
        name_en = str(t.get("name_en") or "").strip()
        if not name_ar or not name_en:
            raise ResourceError(file, where, "name_ar and name_en are both required")
        keywords = _string_list(file, where, t.get("keywords"), "keywords", allow_empty=False)
        norm_seen: set[str] = set()
        for k in keywords:
            toks = tokenize(normalize(k))
            if not toks:
                raise ResourceError(file, where, f"keyword {k!r} has no word in it")
            if len(toks) > MAX_KEYWORD_WORDS:
                raise ResourceError(file, where,
                                    f"keyword {k!r} has {len(toks)} words; at most {MAX_KEYWORD_WORDS} are counted")
            n = " ".join(toks)
            if n in norm_seen:
                raise ResourceError(file, where, f"keyword {k!r} is listed twice")
            norm_seen.add(n)
        topics.append(Topic(tid, name_ar, name_en, keywords))
    return topics


def load_topics(path: str | Path) -> list[Topic]:
    """Read ``topics.yaml``: a list of topics with id, name_ar, name_en and keywords."""
    path = Path(path)
    return _parse_topics(_name(path), _read_yaml(path) or [])


def validate_topics(topics: Iterable[Topic], stopwords: frozenset[str] = frozenset(),
                    file: str = TOPICS_FILE) -> list[Topic]:
    """Check topics edited in the app with the same rules as the file (plus the stop-word rule)."""
    data = [{"id": t.id, "name_ar": t.name_ar, "name_en": t.name_en, "keywords": list(t.keywords)}
            for t in topics]
    parsed = _parse_topics(file, data)
    _check_topic_stopwords(file, parsed, stopwords)
    return parsed


def save_topic_keywords(path: str | Path, topics: Iterable[Topic], topic_id: str, keywords: Iterable[str],
                        stopwords: frozenset[str] = frozenset()) -> list[Topic]:
    """Replace one topic's keywords and write the lexicon to ``path`` (the analyst's copy), after the
    file's rules and the stop-word rule (a stop word in a keyword could never match); raises
    :class:`core.model.ResourceError` for a refused edit, and then writes nothing. Returns the new lexicon."""
    import dataclasses

    lexicon = [dataclasses.replace(t, keywords=list(keywords)) if t.id == topic_id else t for t in topics]
    validate_topics(lexicon, stopwords, file=str(path))
    dump_topics(lexicon, path)  # validated again, written atomically (core.fsutil)
    return lexicon


def dump_topics(topics: Iterable[Topic], path: str | Path) -> None:
    """Write topics back to a YAML file (the app's topic editor), keeping a short header.

    Written atomically (:func:`core.fsutil.atomic_write_text`): a crash never leaves half a file."""
    topics = list(topics)
    _parse_topics(_name(Path(path)), [{"id": t.id, "name_ar": t.name_ar, "name_en": t.name_en,
                                       "keywords": list(t.keywords)} for t in topics])
    header = ("# Topic lexicons: id, Arabic and English name, keywords (words or phrases of at most\n"
              "# three words, no stop word inside). Matching is lenient across the article ال and\n"
              "# common suffixes (ة, ات, ين, ون, ية, يين). Written by Marsad's topic editor.\n")
    body = yaml.safe_dump([{"id": t.id, "name_ar": t.name_ar, "name_en": t.name_en,
                            "keywords": list(t.keywords)} for t in topics],
                          allow_unicode=True, sort_keys=False, width=1000)
    atomic_write_text(path, header + body)


# ---------------------------------------------------------------------------
# Cross-file rules
# ---------------------------------------------------------------------------

def _check_topic_stopwords(file: str, topics: list[Topic], stopwords: frozenset[str]) -> None:
    for i, t in enumerate(topics, 1):
        for k, nk in zip(t.keywords, t.norm_keywords):
            hit = [w for w in nk.split() if w in stopwords]
            if hit:
                raise ResourceError(file, _entry(i, t.id),
                                    f"keyword {k!r} contains the stop word {hit[0]!r}; stop words are not "
                                    "counted, so it could never match (use the words around it)")


def validate_resources(res: Resources) -> Resources:
    """Rules that involve more than one file."""
    for i, e in enumerate(res.gazetteer, 1):
        for form in e.norm_forms:
            if " " not in form and form in res.stopwords:
                raise ResourceError(GAZETTEER_FILE, _entry(i, e.name),
                                    f"{form!r} is also a stop word in {STOPWORDS_FILE}: it would never be counted")
    for i, g in enumerate(res.aliases.groups, 1):
        for n in (g.norm_canonical, *g.norm_variants):
            if n in res.stopwords:
                raise ResourceError(ALIASES_FILE, _entry(i, g.canonical),
                                    f"{n!r} is also a stop word in {STOPWORDS_FILE}")
    _check_topic_stopwords(TOPICS_FILE, res.topics, res.stopwords)
    return res


def load_resources(directory: str | Path | None = None, user_gazetteer: str | Path | None = None) -> Resources:
    """Load and validate the resource files of ``directory`` (default ``core/resources/``).

    With the default directory, the analyst's gazetteer additions (``user_gazetteer``, default
    :data:`USER_GAZETTEER`) are merged in when that file exists."""
    d = Path(directory) if directory is not None else DEFAULT_DIR
    gazetteer = load_gazetteer(d / GAZETTEER_FILE)
    user = Path(user_gazetteer) if user_gazetteer is not None else (USER_GAZETTEER if directory is None else None)
    if user is not None and Path(user).exists():
        gazetteer = merge_gazetteers(gazetteer, load_gazetteer(user), str(user))
    else:
        user = None
    patterns_path = d / NAME_PATTERNS_FILE
    res = Resources(
        stopwords=load_stopwords(d / STOPWORDS_FILE),
        aliases=load_aliases(d / ALIASES_FILE),
        gazetteer=gazetteer,
        topics=load_topics(d / TOPICS_FILE),
        directory=d,
        names=load_names(d / NAMES_FILE),
        name_patterns=load_name_patterns(patterns_path if patterns_path.exists() else DEFAULT_DIR / NAME_PATTERNS_FILE),
        user_gazetteer=user,
    )
    return validate_resources(res)
