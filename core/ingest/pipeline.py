"""From raw records to :class:`core.model.Article` s: cleaning, metadata decisions, duplicates, ids.

Decisions, per record (each a small function below):

* **text**: ``text_original`` is the decoded file/cell exactly; ``text`` is the cleaned text that
  is counted, and it always starts with the headline: a .txt keeps its headline line, a table row
  gets its title column prepended (unless the text already starts with it).
* **empty**: a blank file/cell → Problem "empty"; a text that is only furniture (e.g. Al Arabiya's
  disclaimer alone) → Problem "empty-after-cleaning", and the article is skipped.
* **outlet / date**: a stated value (sidecar, table column) wins, source "sidecar"; otherwise the
  dateline/footer/signature, source "inferred"; otherwise "unknown".  An unreadable stated date is
  reported ("bad-date") and the text may still state one.
* **names**: the outlet names, the title and the id are cleaned of bidi controls and invisible
  characters (:func:`._text.clean_name`); one left with no visible character is reported
  ("invisible-name") and read as missing: the outlet is then inferred or unknown, the title is
  the headline, the id the file's/row's default.
* **duplicates**: the first article with a URL, or with a cleaned text *in the same outlet*, is
  kept; later ones are reported ("duplicate-url", "duplicate-text") naming the kept id.  The same
  text in two outlets is not a duplicate: it is text reuse, the strongest evidence of it, and both
  articles are kept.  A repeated id gets a suffix ("-2").
* **furniture candidates**: the keys the learned-furniture statistics count
  (:func:`.learned.article_keys`), carried to the statistics pass with the article.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from core.model import SOURCE_INFERRED, SOURCE_SIDECAR, SOURCE_UNKNOWN, UNKNOWN, Article, Problem

from ._text import clean_name, decode_entities, is_blank
from .dates import is_empty_value, parse_date_value, parse_time_value
from .furniture import clean
from .learned import article_keys
from .metadata import Inferred, infer, split_headline
from .outlets import OutletTable
from .readers import RawRecord, cell_text
from .seen import Fingerprints, KeptArticles
from .sidecar import Sidecar


@dataclass
class Assembler:
    """Collects articles and problems; ``add()`` one raw record at a time (order decides duplicates)."""

    outlets: OutletTable
    sidecars: dict[str, Sidecar] = field(default_factory=dict)   # scope → sidecar ("*" = explicit)
    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # the kept articles (id, file, row) and, by fingerprint, their URLs, (outlet, text) keys and ids: a few
    # dozen bytes an article (core.ingest.seen), where dicts of the keys took ~600 (600 MB at a million)
    _kept: KeptArticles = field(default_factory=KeptArticles)
    _urls: Fingerprints = field(default_factory=Fingerprints)
    _texts: Fingerprints = field(default_factory=Fingerprints)
    _ids: Fingerprints = field(default_factory=Fingerprints)

    def add(self, raw: RawRecord) -> Article | None:
        """Turn one record into an article (or a Problem); returns the article kept, if any."""
        prepared, problems = prepare(raw, self.stated(raw), self.outlets)
        self.problems += problems
        return self.admit(prepared) if prepared is not None else None

    def stated(self, raw: RawRecord) -> dict:
        """The stated values of a record (table columns overridden by sidecars); cheap, stateful."""
        return self._stated(raw)

    def admit(self, prepared: "Prepared") -> Article | None:
        """The order-dependent decisions: duplicates (the first kept) and unique ids."""
        art = prepared.article
        where = (art.source_file, art.source_row)
        k = self._keep(art, prepared.text_key, where)
        if k is None:
            return None
        self._unique_id(art, where, k)
        self.articles.append(art)
        return art

    # --- stated values ---------------------------------------------------------------------------
    def _stated(self, raw: RawRecord) -> dict[str, object]:
        """Table values, overridden by sidecar values (explicit ``metadata=`` > own folder > parent folders)."""
        stated = {k: v for k, v in raw.fields.items() if not is_empty_value(v)}
        entries = [sidecar.find(raw.keys) for sidecar in self._sidecars_for(raw.scope)]
        entries = [e for e in entries if e is not None]
        for entry in reversed(entries):
            entry.used = True
            stated.update(entry.values)
        if entries:
            fields = set().union(*(e.values for e in entries))
            stated["_sidecar"] = (f"{entries[0].file}, row {entries[0].row}", fields)
        return stated

    def _sidecars_for(self, scope: str) -> list[Sidecar]:
        """Sidecars that apply to a file in folder ``scope``, most specific (after "*") first."""
        found = [self.sidecars["*"]] if "*" in self.sidecars else []
        parents = [s for s in self.sidecars if s != "*" and (s == scope or scope.startswith(s.rstrip("/:") + "/"))]
        return found + [self.sidecars[s] for s in sorted(parents, key=len, reverse=True)]

    # --- duplicates and ids ----------------------------------------------------------------------
    def _keep(self, art: Article, text_key: bytes, where: tuple) -> int | None:
        """The number the article is kept under, or None for a duplicate (reported): the first article with
        a URL, or with a text in the same outlet, is kept."""
        url_key = art.url.strip().rstrip("/").casefold()
        if url_key:
            url_d, k = self._urls.find(url_key)
            if k is not None:
                kept = self._kept_at(k)
                self.problems.append(Problem(*where, "duplicate-url", f"same URL as article '{kept.id}'"
                                             f" ({_place(kept)}); the first is kept"))
                return None
        text_d, k = self._texts.find(_outlet_text_key(art.outlet, text_key))
        if k is not None:
            kept = self._kept_at(k)
            self.problems.append(Problem(*where, "duplicate-text",
                                         f"same text as article '{kept.id}' ({_place(kept)}); the first is kept"))
            return None
        k = self._kept.add(art.id, art.source_file, art.source_row)   # its id before any suffix
        if url_key:
            self._urls.add(url_d, k)
        self._texts.add(text_d, k)
        return k

    def _unique_id(self, art: Article, where: tuple, k: int) -> None:
        """A repeated id gets a suffix ("-2", or the next one free); ``k`` is the article's number."""
        d, first = self._ids.find(art.id)
        if first is not None:
            n = 2
            while f"{art.id}-{n}" in self._ids:
                n += 1
            new_id = f"{art.id}-{n}"
            self.problems.append(Problem(*where, "duplicate-id", f"id '{art.id}' is already used by "
                                         f"{_place(self._kept_at(first))}; this article is loaded as '{new_id}'"))
            art.id = new_id
            d = self._ids.find(new_id)[0]
        self._ids.add(d, k)   # where it came from (the number's id is the id before the suffix)

    def _kept_at(self, k: int) -> "Kept":
        return Kept(*self._kept.get(k))

    def remember(self, id: str, source_file: str, source_row: int | None, url_key: str, text_key: bytes,
                 outlet: str = UNKNOWN) -> None:
        """Know an article already in the index (appending checks duplicates against it)."""
        k = self._kept.add(id, source_file, source_row)
        if url_key:
            self._urls.setdefault(url_key, k)
        if text_key:
            self._texts.setdefault(_outlet_text_key(outlet, bytes(text_key)), k)
        self._ids.setdefault(id, k)


class Kept:
    """What duplicate detection remembers of a kept article (not its text)."""

    __slots__ = ("id", "source_file", "source_row")

    def __init__(self, id: str, source_file: str, source_row: int | None):
        self.id, self.source_file, self.source_row = id, source_file, source_row


def _outlet_text_key(outlet: str, text_key: bytes) -> tuple[str, bytes]:
    """Duplicate texts are looked for within one outlet."""
    return (outlet or UNKNOWN, text_key)


@dataclass
class Prepared:
    """An article made from one record, before the order-dependent decisions (duplicates, ids)."""

    article: Article
    text_key: bytes     # hash of the cleaned body, for duplicate texts
    furniture: dict | None = None   # learned-furniture candidate keys → example (:func:`.learned.article_keys`)


def text_key(body: str) -> bytes:
    """The duplicate-text key: a hash of the cleaned body with white space folded."""
    return hashlib.blake2b(" ".join(body.split()).encode("utf-8"), digest_size=16).digest()


def prepare(raw: RawRecord, stated: dict, outlets: OutletTable) -> tuple[Prepared | None, list[Problem]]:
    """Everything about one record that does not depend on the other records: cleaning, the
    headline, outlet and date decisions.  Stateless, so worker processes can run it.

    Returns ``(prepared or None, problems)``.
    """
    where = (raw.source_file, raw.source_row)
    problems: list[Problem] = []
    if is_blank(raw.text):
        problems.append(Problem(*where, "empty", "no text" if not raw.text else "only spaces/invisible marks"))
        return None, problems
    text = decode_entities(raw.text)    # text_original keeps the references as the file had them
    headline = split_headline(text, outlets) if raw.kind == "txt" else ""
    cleaned, removed = clean(text, outlets)
    body = _without_headline(cleaned, headline)
    if is_blank(body):
        shown = "; ".join(r[:60] for r in removed[:2])
        problems.append(Problem(*where, "empty-after-cleaning",
                                f"only page furniture: {shown}" if shown else "only a headline"))
        return None, problems
    title = _name(decode_entities(cell_text(stated.get("title"))), "title", where, problems) or headline
    art = Article(
        id=_id(raw, where, problems), text_original=raw.text, text=_with_title(cleaned, title, headline), title=title,
        url=cell_text(stated.get("url")).strip(), category=cell_text(stated.get("category")).strip(),
        source_file=raw.source_file, source_row=raw.source_row, removed=removed)
    inferred = _Lazy(text, outlets)
    _set_outlet(art, stated, inferred, outlets, where, problems)
    problems += _set_date(art, stated, inferred, where)
    return Prepared(art, text_key(body), article_keys(art.text)), problems


class _Lazy:
    """Infer metadata from the text only when a value is actually missing (it costs time)."""

    def __init__(self, text: str, outlets: OutletTable):
        self._text, self._outlets, self._value = text, outlets, None

    @property
    def value(self) -> Inferred:
        if self._value is None:
            self._value = infer(self._text, self._outlets)
        return self._value


def _without_headline(cleaned: str, headline: str) -> str:
    if headline and cleaned.startswith(headline):
        return cleaned[len(headline):].lstrip("\n")
    return cleaned


def _with_title(cleaned: str, title: str, headline: str) -> str:
    """The counted text starts with the headline exactly once."""
    if headline or not title or cleaned.startswith(title):
        return cleaned
    return f"{title}\n{cleaned}"


def _place(art: Article) -> str:
    return art.source_file + (f", row {art.source_row}" if art.source_row is not None else "")


def _name(value: object, what: str, where: tuple, problems: list[Problem]) -> str:
    """A stated name cleaned (:func:`clean_name`); one with nothing visible left is reported and ""."""
    raw = cell_text(value)
    name = clean_name(raw) if raw else ""
    if raw and not name and raw.strip():
        problems.append(Problem(*where, "invisible-name", f"the {what} {raw[:40]!r} has no visible character; "
                                                          "read as missing"))
    return name


def _id(raw: RawRecord, where: tuple, problems: list[Problem]) -> str:
    """The record's id cleaned; an id of invisible marks only falls back to the default id."""
    if raw.id == raw.default_id:
        return clean_name(raw.id) or "article"
    return _name(raw.id, "id", where, problems) or clean_name(raw.default_id) or "article"


def _set_outlet(art: Article, stated: dict, inferred: "_Lazy", outlets: OutletTable, where: tuple,
                problems: list[Problem]) -> None:
    outlet = _name(stated.get("outlet"), "outlet", where, problems)
    outlet_en = _name(stated.get("outlet_en"), "outlet_en", where, problems)
    raw_name = outlet or outlet_en
    if raw_name:
        resolved = outlets.resolve(raw_name)
        art.outlet, table_en = resolved if resolved else (raw_name, "")
        art.outlet_en = outlet_en or table_en
        art.outlet_source = SOURCE_SIDECAR
    elif inferred.value.outlet:
        art.outlet, art.outlet_en = inferred.value.outlet
        art.outlet_source = SOURCE_INFERRED
    else:
        art.outlet, art.outlet_en, art.outlet_source = UNKNOWN, "", SOURCE_UNKNOWN


def _set_date(art: Article, stated: dict, inferred: "_Lazy", where: tuple) -> list[Problem]:
    problems: list[Problem] = []
    value = stated.get("date")
    if value is not None:
        date = parse_date_value(value)
        if date is not None:
            art.date, art.date_source = date, SOURCE_SIDECAR
            art.published = parse_time_value(value)
            return problems
        where_from, from_sidecar = stated.get("_sidecar", ("", set()))
        origin = f" (from {where_from})" if "date" in from_sidecar else ""
        problems.append(Problem(*where, "bad-date", f"cannot read the date {str(value)[:40]!r}{origin}; "
                                                 "left unknown unless the text states one"))
    if inferred.value.date:
        art.date, art.date_source = inferred.value.date, SOURCE_INFERRED
    else:
        art.date, art.date_source = None, SOURCE_UNKNOWN
    return problems
