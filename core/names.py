"""Names the gazetteer lacks, found from patterns in the text (``core/resources/name_patterns.yaml``).

Run once at ingestion, clause by clause, beside the entity matcher (see
:func:`core.textpipe.count_article_grams`): a person after a title (الأمير فيصل بن بندر) or an
office and its portfolio (وزير الخارجية عادل الجبير) or as the subject of a speech verb (قال
…); a place after مدينة / محافظة / منطقة … (محافظة القطيف); an organisation headed by وزارة /
هيئة / جامعة … (جامعة الملك سعود); a person's name chain with بن / ابن anywhere (سعود بن نايف).
Tokens already matched by the gazetteer never start a candidate, so what is listed is what the
gazetteer lacks.  The index keeps the per-article counts; candidates are ranked by mentions and
articles (recurrence is what separates a name from an accident).

>>> from core.resources import load_resources
>>> from core.textpipe import Grouper, EntityMatcher, count_article_grams
>>> res = load_resources(); g = Grouper({}, res); m = EntityMatcher(res.gazetteer, g, outlets=())
>>> f = CandidateFinder(res.name_patterns, g)
>>> _ = count_article_grams("وقال وزير الخارجية سامر الخطيب إن", g, m, names=f)
>>> [(r[1], r[2], r[3]) for r in f.take(1)]
[('سامر الخطيب', 'person', 'سامر الخطيب')]
"""
from __future__ import annotations

from collections import Counter

from core.arabic import _TOKEN_RE, fold, is_arabic

MAX_NAME = 6          # tokens in a person's name (الأمير) سلمان بن عبد العزيز آل سعود
MAX_ORG_TAIL = 4      # words after an organisation's head noun
EXAMPLE_CHARS = 300
COMMON_AL_RATIO = 0.2  # a subject of قال/أكد … whose first word the corpus writes with ال this often is no name


def join_keys(keys, abd: str = "عبد") -> str:
    """A name's grouping form: its words' keys, عبد joined to the next word (عبد الله = عبدالله)."""
    parts: list[str] = []
    for k in keys:
        if parts and parts[-1] == abd:
            parts[-1] = abd + k
        else:
            parts.append(k)
    return " ".join(parts)


def gazetteer_keys(gazetteer, grouper) -> tuple[frozenset[str], frozenset[str]]:
    """Every gazetteer form as a candidate name (:func:`join_keys`), and the person forms alone
    (a candidate that starts with a known person's name is that person: محمد بن سلمان بن …)."""
    from core.textpipe import peek_key

    abd = peek_key(grouper, "عبد")
    every, people = set(), set()
    for e in gazetteer:
        for form in e.norm_forms:
            k = join_keys([peek_key(grouper, t) for t in form.split()], abd)
            every.add(k)
            if e.type == "person":
                people.add(k)
    return frozenset(every), frozenset(people)


def known(name: str, every: frozenset, people: frozenset) -> bool:
    """True when the gazetteer already has this candidate (or it extends a known person's name)."""
    if name in every or (name.startswith("ال") and name[2:] in every) or ("ال" + name) in every:
        return True
    words = name.split()
    return any(" ".join(words[:i]) in people for i in range(1, len(words)))


def add_to_gazetteer(path, name: str, etype: str, variants=(), name_en: str = ""):
    """Add one entry to the analyst's gazetteer file ``path`` (created if missing), checked against
    the shipped gazetteer and the file's own entries (a form belongs to one entity) and written
    atomically.  Returns the new :class:`core.resources.Entity`."""
    from pathlib import Path

    from core.arabic import clean_surface
    from core.resources import (DEFAULT_DIR, ENTITY_TYPES, GAZETTEER_FILE, Entity, dump_gazetteer,
                                load_gazetteer, merge_gazetteers)
    from core.model import ResourceError

    path = Path(path)
    name = clean_surface(str(name)).strip()
    if etype not in ENTITY_TYPES:
        raise ResourceError(path.name, name, f"type must be one of {', '.join(ENTITY_TYPES)}")
    mine = load_gazetteer(path) if path.exists() else []
    variants = tuple(dict.fromkeys(v for v in (clean_surface(str(x)).strip() for x in variants) if v and v != name))
    entity = Entity(name, etype, variants, name_en or name)
    shipped = load_gazetteer(DEFAULT_DIR / GAZETTEER_FILE)
    merge_gazetteers(shipped, [*mine, entity], path.name)
    header = ("# The analyst's gazetteer entries (added from the Entities page's candidates), merged after\n"
              "# core/resources/gazetteer.yaml; same fields and rules. Written by Marsad.\n")
    dump_gazetteer([*mine, entity], path, header)
    return entity


def _keys(grouper, phrases) -> tuple[frozenset, frozenset]:
    from core.textpipe import peek_key

    one, two = set(), set()
    for p in phrases:
        toks = p.split()
        ks = tuple(peek_key(grouper, t) for t in toks)
        (one if len(ks) == 1 else two).add(ks if len(ks) > 1 else ks[0])
    return frozenset(one), frozenset(two)


class CandidateFinder:
    """Collects name candidates clause by clause; :meth:`take` hands over one article's counts.

    ``take(aid)`` returns rows ``(aid, name, type, surface, cnt, example)``: ``name`` is the
    grouping form (keys joined, عبد joined to the next word), ``surface`` the words as written,
    ``example`` the clause it was first met in this finder (empty afterwards: one example per
    name per batch, so memory stays bounded)."""

    def __init__(self, patterns, grouper):
        self.g = grouper
        from core.textpipe import peek_key

        self.titles, self.titles2 = _keys(grouper, patterns.titles)
        self.roles, self.roles2 = _keys(grouper, patterns.roles)
        self.places, _ = _keys(grouper, patterns.place_heads)
        self.orgs, _ = _keys(grouper, patterns.organisation_heads)
        self.verbs, _ = _keys(grouper, patterns.speech_verbs)
        self.particles, _ = _keys(grouper, patterns.particles)
        self.not_names, _ = _keys(grouper, patterns.not_names)
        self.chain = frozenset(peek_key(grouper, k) for k in ("بن", "ابن", "بنت"))
        self.abd = peek_key(grouper, "عبد")
        self.heads = self.titles | self.roles | self.places | self.orgs | self.verbs
        # speech verbs are stop words (no key): matched as written, bare or after و / ف
        self.verb_norms = frozenset(p + v for v in patterns.speech_verbs if " " not in v for p in ("", "و", "ف"))
        self._starts2 = frozenset(k[0] for k in self.titles2 | self.roles2)   # صاحب (السمو), ولي (العهد)
        self._triggers = self.heads | self.chain | {k[0] for k in self.titles2 | self.roles2}
        self._article: Counter = Counter()
        self._surface: Counter = Counter()
        self._examples: dict[tuple[str, str], str] = {}
        self._shown: set[tuple[str, str]] = set()

    # -- per clause -------------------------------------------------------------------------
    def trigger_words(self, norms: list[str], keys: list[str | None]) -> list[int]:
        """The indices of the words that may lead to a name (a title, a role, a speech verb …): a
        clause without one is left alone by :meth:`clause`."""
        if self._triggers.isdisjoint(keys) and self.verb_norms.isdisjoint(norms):
            return []
        triggers, verbs = self._triggers, self.verb_norms
        return [i for i, (k, t) in enumerate(zip(keys, norms)) if k in triggers or t in verbs]

    def clause(self, surface_clause: str, norms: list[str], keys: list[str | None], found) -> None:
        n = len(norms)
        if n < 2 or (self._triggers.isdisjoint(keys) and self.verb_norms.isdisjoint(norms)):
            return
        covered = [False] * n
        for _name, _t, s, e in found:
            for j in range(s, e):
                covered[j] = True
        mk = keys
        surf = None
        used = [False] * n
        i = 0
        while i < n:
            k = mk[i]
            if covered[i] or (k is None and norms[i] not in self.verb_norms):
                i += 1
                continue
            if k is None:
                k = "\u0000verb"
            got = None
            two = (k, mk[i + 1]) if i + 1 < n else None
            if k in self.titles or two in self.titles2:
                j = i + (2 if two in self.titles2 else 1)
                while j < n and j < i + 4 and mk[j] is not None and (mk[j] in self.titles or self._nisba(norms, mk, j)):
                    j += 1
                got = self._person(norms, mk, covered, j, strong=True)
                if got is not None and len(join_keys(mk[got[0]:got[1]], self.abd).split()) == 1:
                    got = (i, got[1], "person") if got[0] == i + 1 else None   # الملك فهد, الأمير عبدالله
            elif k in self.roles or two in self.roles2:
                j = i + (2 if two in self.roles2 else 1)
                stop = min(n, j + 4)
                while j < stop and mk[j] is not None and mk[j].startswith("ال") and mk[j] not in self.titles:
                    j += 1
                if j < n and mk[j] is not None and mk[j] not in self.titles and j > i + 1:
                    got = self._person(norms, mk, covered, j, strong=False)
            elif k in self.places:
                got = self._place(norms, mk, covered, i + 1)
            elif k in self.orgs and self.g.analyse(norms[i]).end == len(norms[i]):
                got = self._org(norms, mk, i)       # not برنامجها النووي: a head with a pronoun is no name
            elif k in self.verbs or k == "\u0000verb":
                got = self._person(norms, mk, covered, i + 1, strong=False)
            elif k in self.chain and i > 0 and not used[i - 1] and mk[i - 1] is not None and not covered[i - 1]:
                got = self._person(norms, mk, covered, i - 1, strong=True)
            if got is not None:
                a, b, etype = got
                if not any(used[a:b]):
                    if surf is None:
                        surf = _TOKEN_RE.findall(surface_clause)
                        if len(surf) != n:
                            surf = norms
                    self._add(norms, mk, surf, a, b, etype, surface_clause)
                    for j in range(a, b):
                        used[j] = True
                i = max(i + 1, b) if etype != "organisation" else i + 1
            else:
                i += 1

    # -- the patterns -------------------------------------------------------------------------
    def _nisba(self, norms, mk, j) -> bool:
        k = mk[j]
        return k.startswith("ال") and (k.endswith("ي") or k.endswith("يه")) and k not in self.particles

    def _word(self, norms, mk, covered, j) -> bool:
        k = mk[j]
        return (k is not None and not covered[j] and is_arabic(norms[j]) and len(k) >= 2
                and k not in self.not_names and k not in self.heads and k not in self._starts2)

    def _bare(self, norms, j) -> bool:
        """The word carries no proclitic (a name after a title does not: لكرة القدم is no name)."""
        a = self.g.analyse(norms[j])
        if a.start or a.al:
            return False
        t = norms[j]   # ل/ب + an attested word the grouping kept whole (لكرة القدم): not a name either
        return not (t[0] in "لب" and len(t) >= 4 and self.g._count(t[1:]) > 0)

    def _person(self, norms, mk, covered, j, strong: bool):
        n = len(norms)
        if j >= n or not self._word(norms, mk, covered, j) or mk[j] in self.particles and mk[j] != self.abd:
            return None
        if not self._bare(norms, j):
            return None
        a = j
        first = mk[j]
        if first == self.abd:
            if j + 1 >= n or not self._word(norms, mk, covered, j + 1):
                return None
            j += 1
        if first.startswith("ال") and not (j + 1 < n and mk[j + 1] in self.chain):
            return None
        j += 1
        family = False
        while j < n and j - a < MAX_NAME:
            k = mk[j]
            if k in self.particles:
                nxt = j + 1
                if nxt < n and mk[nxt] == self.abd:
                    nxt += 1
                if nxt < n and self._word(norms, mk, covered, nxt):
                    j = nxt + 1
                    family = True     # after بن X only آل Y continues (… بن مشعل الوفد: an object)
                    continue
                break
            if (not family and k is not None and self._word(norms, mk, covered, j) and self._bare(norms, j)
                    and (k.startswith("ال") or strong) and not self._generic_next(k)):
                family = True
                j += 1
                if k.startswith("ال"):
                    break
                continue
            break
        if j - a == 1 and not strong:
            return None
        if not strong and first != self.abd and self._common(norms[a]):
            return None          # ذكرت وسائل الإعلام: a noun the corpus also writes with ال
        return a, j, "person"

    def _common(self, t: str) -> bool:
        """A word the corpus writes with ال often (≥ 20 % as often as bare) is a noun, not a given name."""
        bare = self.g._count(t)
        return bare > 0 and self.g._count("ال" + t) >= COMMON_AL_RATIO * bare

    def _generic_next(self, k: str) -> bool:
        return k in self.titles or k in self.roles

    def _place(self, norms, mk, covered, j):
        n = len(norms)
        if j >= n or not self._word(norms, mk, covered, j):
            return None
        k = mk[j]
        if not self._bare(norms, j) or (not k.startswith("ال") and (k.endswith("يه") or k.endswith("ي"))):
            return None      # منطقة صناعية: an indefinite adjective
        b = j + 1
        if (b < n and mk[b] is not None and not covered[b] and mk[b].startswith("ال") and mk[b].endswith("ه")
                and mk[b] not in self.not_names and mk[b] not in self.heads):
            b += 1           # مكة المكرمة, المدينة المنورة
        return j, b, "place"

    def _org(self, norms, mk, i):
        n = len(norms)
        j = i + 1
        if j >= n or mk[j] is None or not is_arabic(norms[j]) or mk[j] in self.not_names:
            return None
        if not mk[j].startswith("ال") and mk[j] not in self.titles:
            return None
        b = j
        while b < n and b - i <= MAX_ORG_TAIL and mk[b] is not None and is_arabic(norms[b]) \
                and mk[b] not in self.not_names:
            if b > j and mk[b] in self.titles:
                break        # وزارة الداخلية اللواء …: a person's title ends the organisation
            if mk[b].startswith("ال") or (b == j + 1 and mk[j] in self.titles):
                b += 1
            else:
                break
        if b == j:
            return None
        return i, b, "organisation"

    # -- collecting -----------------------------------------------------------------------------
    def _add(self, norms, mk, surf, a, b, etype, clause_text) -> None:
        name = join_keys(mk[a:b], self.abd)
        self._article[(name, etype)] += 1
        words = list(surf[a:b])
        words[0] = self.g.analyse(norms[a]).surface(words[0]) or words[0]   # بجامعة → جامعة
        self._surface[(name, etype, " ".join(words))] += 1
        if (name, etype) not in self._shown:
            self._shown.add((name, etype))
            self._examples[(name, etype)] = clause_text.strip()[:EXAMPLE_CHARS]

    def take(self, aid: int) -> list[tuple]:
        """One article's rows, and a fresh start for the next article."""
        rows = []
        for (name, etype, surface), c in self._surface.items():
            rows.append((aid, name, etype, surface, c, self._examples.pop((name, etype), "")))
        self._article.clear()
        self._surface.clear()
        return rows
