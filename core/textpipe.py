"""The counting pipeline: normalise → clauses → tokens → group → label → n-grams → entities.

Each step is a plain function or a small object that can be tried on one string
(the shape of scikit-learn's text analyser); ``count_article`` is their composition:

    clean_surface(text)                      (core.arabic) the display form; normalize = its letters folded
    clause_tokens(clean)                     clauses as (clause, surfaces, norms) word lists
    Grouper.analyse_clause(norms)            each word's grouping key (stop word → None) and span
    Labeler.label(key)                       key → most frequent clean surface form (hamza kept)
    ngrams(clause_keys, n, conjunctions)     n-grams inside a clause, never across a removed word
                                             (a stop word, or a conjunction و/ف stripped by grouping)
    EntityMatcher.find_keys(norms, keys)     gazetteer mentions in a clause
    count_article(text, …)                   everything counted for one article
    topic_keys(topics, vocab)                which vocabulary keys each topic keyword matches

The examples below run (tests/test_textpipe.py) with ``res = load_resources()``,
``g = Grouper.build(norm_counts(seed texts), res)`` on the seed articles (data/sample) and
``m = EntityMatcher(res.gazetteer, g)``.

Grouping rules, decided once per corpus by ``Grouper.build``:

1. stop words (and و/ف/ب/ل/ك + stop word, stop word + pronoun) → None;
   numbers, single letters and punctuation → None;
2. the alias table (aliases.yaml) maps a spelling variant to its canonical form;
3. otherwise one clitic layer at a time is stripped, only when what remains is
   attested (in the corpus vocabulary, the gazetteer or the alias table) and passes
   a frequency sanity rule (see ``Grouper`` for the exact rule); names in the
   gazetteer and the keep-list are never stripped; ال itself is never stripped;
4. aliases again on the stripped form; 5. ``fold`` (ة → ه, ى → ي) on the final key, except
   that ة is kept where the corpus attests the ه spelling as another word (``Grouper.fold``).
"""
from __future__ import annotations

import functools
import itertools
import operator
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa

from core.arabic import (
    _CLAUSE_RE,
    _CLAUSE_SPLIT_RE,
    _TOKEN_RE,
    clause_spans,
    clean_surface,
    fold,
    is_arabic,
    is_latin,
    normalize,
    normalize_letters,
    token_offsets,
    token_spans,
    tokenize,
)
from core.resources import NISBA_DUALS, NISBA_ENDINGS, Entity, Resources, Topic

# ---------------------------------------------------------------------------
# Clitic tables (data)
# ---------------------------------------------------------------------------

#: Proclitics that may be stripped.  ف and ك are stripped only before ال, before a
#: gazetteer/alias word, or before a stop word: on ant_multisource they produce mostly false
#: splits otherwise (فيصل→يصل, فكرة→كرة, كيري→يري, كابل→ابل).  وك/فك are left out
#: (وكالات → و ك آلات).
PROCLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل")
#: Proclitics allowed before a remainder without ال (with the strict frequency rule).
BARE_PROCLITICS = frozenset({"و", "ب", "ل", "وب", "ول", "فب", "فل"})
#: ل + ال is written لل: these prefixes are replaced by ال (للرئيس → الرئيس).
LAM_AL_PREFIXES = ("لل", "ولل", "فلل")
#: Enclitic pronouns, longest first.  كن is left out: يمكن/اماكن/ممكن are not pronoun forms.
ENCLITICS = ("هما", "هم", "هن", "ها", "كم", "نا", "ه")
#: Pronouns that turn a stop word into a stop word (عليه, منها, لكنه, أنهم).
STOP_ENCLITICS = ("هما", "هم", "ها", "كم", "نا", "ه")

MIN_REMAINDER = 3        # letters left after stripping a clitic (no ال)
MIN_AL_REMAINDER = 4     # ال + at least two letters
AL_RATIO = 0.1           # count(remainder starting with ال) >= 0.1 × count(token)
BARE_RATIO = 1.0         # count(other remainder) >= count(token)
TAA_RATIO = 0.1          # ة is kept on a key when its ه spelling (stem + pronoun) is this common
TAA_MIN = 3              # ... and seen at least this often


@dataclass(frozen=True)
class _Analysis:
    key: str | None
    start: int = 0          # span of the grouped word inside the token
    end: int = 0
    al: bool = False        # the span's first two letters are written لل for ال
    alias: tuple[int, int, int] | None = None  # (alias group, start, end) of the spelling used

    def surface(self, token_surface: str) -> str:
        s = token_surface[self.start:self.end]
        return "ال" + s[2:] if self.al else s


_NONE = _Analysis(None)
_KEY, _ALIAS = operator.attrgetter("key"), operator.attrgetter("alias")
_FIRST, _SECOND = operator.itemgetter(0), operator.itemgetter(1)
_START, _AL = operator.attrgetter("start"), operator.attrgetter("al")


def str_series(values: list) -> pd.Series:
    """A column of text (``str`` dtype, None as missing) built by pyarrow straight from the list:
    ``pd.Series(values, dtype="str")`` first checks every element in Python (about 2x slower).

    >>> str_series(["روسيا", None]).tolist(), str_series([]).dtype == pd.Series([], dtype="str").dtype
    (['روسيا', nan], True)
    """
    return pd.Series(pa.array(values, type=pa.large_string()), dtype="str")


# ---------------------------------------------------------------------------
# Clauses
# ---------------------------------------------------------------------------

def clause_tokens(clean: str) -> list[tuple[str, list[str], list[str]]]:
    """The clauses of a ``clean_surface`` text as (clause, surfaces, norms): its words as written
    and normalised.  The words are found once, on the clean text; ``normalize_letters`` maps a
    letter to a letter of the same class, so they are also the words of the normalised text.

    >>> clause_tokens("وقال لافروف: الأمريكي")
    [('وقال لافروف', ['وقال', 'لافروف'], ['وقال', 'لافروف']), (' الأمريكي', ['الأمريكي'], ['الامريكي'])]
    """
    clauses = []
    findall = _TOKEN_RE.findall
    for clause in _CLAUSE_RE.split(clean):
        if clause:
            toks = findall(clause)
            if toks:
                clauses.append((clause, toks))
    if not clauses:
        return []
    norms = normalize_letters("\n".join(" ".join(toks) for _, toks in clauses)).split("\n")
    return [(c, toks, n.split(" ")) for (c, toks), n in zip(clauses, norms)]


def article_tokens(clean: str) -> tuple[list[str], list[int], list[str], list[str]]:
    """:func:`clause_tokens` laid end to end: the clauses' texts, where each clause's words start
    (then the number of words), and every word as written and normalised.

    >>> article_tokens("وقال لافروف: الأمريكي")
    (['وقال لافروف', ' الأمريكي'], [0, 2, 3], ['وقال', 'لافروف', 'الأمريكي'], ['وقال', 'لافروف', 'الامريكي'])
    """
    texts, cuts, surfaces = [], [0], []
    findall = _TOKEN_RE.findall
    for clause in _CLAUSE_RE.split(clean):
        if clause:
            toks = findall(clause)
            if toks:
                texts.append(clause)
                surfaces += toks
                cuts.append(len(surfaces))
    # a word holds no space, and normalize_letters maps a letter to one letter
    norms = normalize_letters(" ".join(surfaces)).split(" ") if surfaces else []
    return texts, cuts, surfaces, norms


def article_words(clean: str) -> tuple[list[str], list[int], list[str], list[str], np.ndarray, np.ndarray]:
    """:func:`article_tokens` with each word's span in ``clean`` (``starts``, ``ends``): the words are
    found once on the whole text (a clause boundary never falls inside a word) and each is put in
    its clause by where it starts.

    >>> texts, cuts, surfaces, norms, starts, ends = article_words("وقال لافروف: الأمريكي")
    >>> (texts, cuts, surfaces, norms) == article_tokens("وقال لافروف: الأمريكي"), starts.tolist(), ends.tolist()
    (True, [0, 5, 13], [4, 11, 21])
    """
    surfaces, starts, ends = token_offsets(clean)
    n = len(surfaces)
    if not n:
        return [], [0], [], [], starts, ends
    norms = normalize_letters(" ".join(surfaces)).split(" ")
    parts = _CLAUSE_SPLIT_RE.split(clean)   # text, boundary, text, …: a boundary starts where a text ends
    if len(parts) == 1:
        return [clean], [0, n], surfaces, norms, starts, ends
    # the number of words that start before each text ends (the last text: every word)
    before = list(map(bisect_left, itertools.repeat(starts.tolist()),
                      itertools.islice(itertools.accumulate(map(len, parts)), 0, len(parts) - 1, 2)))
    before.append(n)
    texts, cuts = [], [0]
    for k, c in enumerate(before):
        if c > cuts[-1]:
            texts.append(parts[2 * k])
            cuts.append(c)
    return texts, cuts, surfaces, norms, starts, ends


def article_clauses(text: str) -> list[list[tuple[str, str]]]:
    """Clauses of (surface, norm) token pairs; surface = clean_surface, norm = normalize.

    >>> article_clauses("وقال لافروف: سورية")
    [[('وقال', 'وقال'), ('لافروف', 'لافروف')], [('سورية', 'سورية')]]
    """
    return [list(zip(surfaces, norms)) for _, surfaces, norms in clause_tokens(clean_surface(text))]


# ---------------------------------------------------------------------------
# Grouping
# ---------------------------------------------------------------------------

class Grouper:
    """Maps normalised tokens to grouping keys, decided once for a whole corpus.

    Clitic rule (a clitic layer is stripped only if one candidate is valid; among valid
    candidates the one whose remainder is a gazetteer/alias word, else the most frequent,
    wins; the remainder is then grouped by the same rules):

    * proclitic + a stop word (remainder ≥ 2 letters), or a stop word + a pronoun → stop word;
    * remainder starting with ال (والولايات, بالحرب, للرئيس → الرئيس): ≥ 4 letters and
      count ≥ 0.1 × count(token);
    * remainder that is a gazetteer or alias word (بموسكو, للافروف, وبومبيو): ≥ 3 letters;
    * other remainders, only after و ب ل (and وب ول فب فل) and for enclitic pronouns:
      ≥ 3 letters and count ≥ count(token) — a true clitic form is rarer than the bare word,
      a false split (وزير→زير, لبنان→بنان, وحدة→حدة) is not; an enclitic remainder may not end
      in a ت that was a ة (سيطرته ↛ سيطرت);
    * never for a gazetteer name token or a word in the alias keep-list.
    """

    def __init__(self, counts: Mapping[str, int], resources: Resources,
                 known: Mapping[str, str | None] | None = None):
        self.resources = resources
        self.counts: Mapping[str, int] = counts
        self.stopwords = resources.stopwords
        self.alias_map = resources.aliases.form_map()
        self.alias_groups = [g.canonical for g in resources.aliases.groups]
        strong: set[str] = set(self.alias_map)
        protected: set[str] = set(resources.aliases.keep)
        for e in resources.gazetteer:
            for form in e.norm_forms:
                toks = form.split()
                strong.update(toks)
                for i, t in enumerate(toks):
                    if i == 0 or t[0] not in "وفبلك":
                        protected.add(t)
        self.strong = frozenset(strong)
        self.protected = frozenset(protected)
        #: Topic keyword words: attested vocabulary too (they matter for words not in the corpus,
        #: e.g. a search query, since a corpus word must pass the frequency rule).
        self.extra = frozenset(w for t in resources.topics for kw in t.norm_keywords for w in kw.split())
        #: One-word names that are also a feminine nisba adjective (سورية "Syrian"): after an
        #: indefinite feminine noun (قاعدة جوية سورية) they are read as the adjective.
        self.adjective_forms = frozenset(
            f for e in resources.gazetteer for f in e.norm_forms
            if " " not in f and f.endswith("ية") and not f.startswith("ال"))
        self._cache: dict[str, _Analysis] = {}
        if known:
            for norm, key in known.items():
                self._cache[norm] = _Analysis(key, 0, len(norm)) if key else _NONE

    # -- construction -----------------------------------------------------------------------

    @classmethod
    def build(cls, norm_counts: Mapping[str, int], resources: Resources) -> "Grouper":
        """Decide the grouping of every token of a corpus from its normalised-token counts.

        The attested vocabulary is the corpus plus the gazetteer, alias and topic words.
        """
        g = cls(dict(norm_counts), resources)
        for t in norm_counts:
            g.analyse(t)
        return g

    @classmethod
    def from_frame(cls, df: pd.DataFrame, resources: Resources) -> "Grouper":
        """Rebuild from ``to_frame()`` output: stored tokens keep their keys; an unknown token
        (a search query) goes through the same rules against the stored vocabulary."""
        # whole columns to Python lists at once: iterating the arrow-backed columns value by value took
        # ~0.6 s for the 100k index's 201k tokens, paid by every append (twice) and every opened index
        norms = [str(n) for n in df["norm"].tolist()]
        keys = [k if isinstance(k, str) else None for k in df["key"].tolist()]
        if "count" in df:
            counts = dict(zip(norms, df["count"].fillna(1).astype("int64").tolist()))
        else:
            counts = {n: 1 for n in norms}
        return cls(counts, resources, known=dict(zip(norms, keys)))

    def to_frame(self) -> pd.DataFrame:
        """The full map for storing: columns ``norm``, ``key`` and the token's corpus ``count``
        (stop words are left out)."""
        get = self.counts.get
        rows = sorted((n, a.key, get(n, 0)) for n, a in self._cache.items() if a.key is not None)
        return pd.DataFrame(rows, columns=["norm", "key", "count"])

    # -- use ---------------------------------------------------------------------------------

    def key(self, norm_token: str) -> str | None:
        """Grouping key of a normalised token, or None for stop words and non-words.

        >>> g.key("للافروف"), g.key("سورية"), g.key("في")
        ('لافروف', 'سوريا', None)
        """
        a = self._cache.get(norm_token)
        return (a if a is not None else self.analyse(norm_token)).key

    def keys(self, text: str) -> list[str | None]:
        """Keys of every token of a text or search query (normalised here); a name written apart
        whose joined spelling the corpus attests is one key (عبد العزيز → عبدالعزيز).

        >>> g.keys("سورية للافروف")
        ['سوريا', 'لافروف']
        """
        norms = tokenize(normalize(text))
        keys = [self.key(t) for t in norms]
        rules = self.name_rules
        if rules.joined.isdisjoint(keys):
            return keys
        out, i = [], 0
        while i < len(keys):
            j = self.joined_at(keys, norms, i) if keys[i] in rules.joined else None
            if j is not None:
                out.append(j.key)
                i += 2
            else:
                out.append(keys[i])
                i += 1
        return out

    # -- names (names.yaml) --------------------------------------------------------------------

    @functools.cached_property
    def name_rules(self) -> "_NameRules":
        """The rules of ``names.yaml`` on grouping keys (decided once, after the vocabulary)."""
        names = self.resources.names

        def k(w: str) -> str:
            return self.key(w) or w

        def index(phrases) -> dict[str, list[tuple[str, ...]]]:
            out: dict[str, list[tuple[str, ...]]] = {}
            for ph in phrases:
                ks = tuple(k(w) for w in ph)
                if ks not in out.get(ks[0], []):
                    out.setdefault(ks[0], []).append(ks)
            for v in out.values():
                v.sort(key=len, reverse=True)
            return out

        conn = frozenset(k(w) for w in names.connectors)
        no_end = conn | frozenset(k(w) for w in names.before_name)
        joined = frozenset(k(w) for w in names.joined)
        titles, honorifics = index(names.titles), index(names.honorifics)
        return _NameRules(conn, conn, no_end, joined, titles, honorifics,
                          no_end | joined | frozenset(titles) | frozenset(honorifics))

    def joined_at(self, keys: list[str | None], norms: list[str], i: int) -> "_Analysis | None":
        """The analysis of word ``i`` (a joinable name opener, عبد / أبو) joined to word ``i + 1``
        when the corpus attests the joined spelling (عبد العزيز → عبدالعزيز), else None."""
        if i + 1 >= len(norms) or keys[i + 1] is None:
            return None
        cand = keys[i] + norms[i + 1]
        if self._count(cand) <= 0 and cand not in self.strong:
            return None
        a = self.analyse(cand)
        return a if a.key is not None else None

    def query_key(self, text: str) -> str:
        """A search query as a term key (keys of its words joined by a space, stop words dropped).

        >>> g.query_key("الولايات المتحدة")
        'الولايات المتحده'
        """
        return " ".join(k for k in self.keys(text) if k)

    def is_adjective_use(self, norms: list[str], keys: list[str | None], i: int) -> bool:
        """True when token ``i`` is a name-adjective (سورية) right after an indefinite feminine
        noun, e.g. "قاعدة جوية سورية" ("a Syrian air base"), so it is not the country.

        >>> g.is_adjective_use(["قاعدة", "جوية", "سورية"], ["قاعده", "جويه", "سوريا"], 2)
        True
        """
        if i == 0 or norms[i] not in self.adjective_forms:
            return False
        prev, pkey = norms[i - 1], keys[i - 1]
        return pkey is not None and prev.endswith("ة") and not pkey.startswith("ال")

    # -- the rules -------------------------------------------------------------------------

    def analyse(self, t: str) -> _Analysis:
        a = self._cache.get(t)
        if a is None:
            a = self._analyse(t)
            self._cache[t] = a
        return a

    def known(self, t: str) -> _Analysis | None:
        """The analysis of a normalised word already grouped, else None (the map does not grow)."""
        return self._cache.get(t)

    def peek_key(self, t: str) -> str:
        """The grouping key of a word (or the word), without adding it to the grouping's map: a
        resource word looked up here never turns up in the index's token map."""
        cache = self._cache
        a = cache.get(t)
        if a is not None:
            return a.key or t
        n = len(cache)
        key = self.analyse(t).key
        extra = len(cache) - n
        if extra > 0:
            for k in list(itertools.islice(reversed(cache), extra)):
                del cache[k]
        return key or t

    def analyse_clause(self, norms: list[str]) -> list[_Analysis]:
        """The analysis of every normalised word of one clause; a name-adjective after an
        indefinite feminine noun (قاعدة جوية سورية) keeps its own key (:meth:`is_adjective_use`)."""
        return self.analyse_words(norms, [0, len(norms)])

    def analyse_words(self, norms: list[str], cuts: list[int]) -> list[_Analysis]:
        """:meth:`analyse_clause` on the words of several clauses laid end to end, clause ``c``
        being ``norms[cuts[c]:cuts[c + 1]]``."""
        try:   # every word already grouped (the usual case): the look-ups run in C
            recs = list(map(self._cache.__getitem__, norms))
        except KeyError:
            get, analyse = self._cache.get, self.analyse
            recs = [get(t) or analyse(t) for t in norms]
        adjectives = self.adjective_forms
        if not adjectives.isdisjoint(norms):
            for a, b in zip(cuts, cuts[1:]):
                clause = norms[a:b]
                if adjectives.isdisjoint(clause):
                    continue
                keys = [r.key for r in recs[a:b]]
                for i, t in enumerate(clause):
                    if t in adjectives and self.is_adjective_use(clause, keys, i):
                        keys[i] = self.fold(t)
                        recs[a + i] = _Analysis(keys[i], 0, len(t))
        return recs

    def _analyse(self, t: str) -> _Analysis:
        if len(t) < 2 or t in self.stopwords:
            return _NONE
        if not is_arabic(t):
            return _Analysis(t, 0, len(t)) if is_latin(t) else _NONE
        hit = self.alias_map.get(t)
        if hit is not None:
            canon, gi, a, b = hit
            return _Analysis(fold(canon), 0, len(t), False, (gi, a, b))
        if t in self.protected:
            return _Analysis(self.fold(t), 0, len(t))
        choice = self._strip(t)
        if choice is None:
            return _Analysis(self.fold(t), 0, len(t))
        if choice is _STOP:
            return _NONE
        r, start, end, al = choice
        sub = self.analyse(r)
        if sub.key is None:
            return _NONE
        alias = (sub.alias[0], sub.alias[1] + start, sub.alias[2] + start) if sub.alias else None
        return _Analysis(sub.key, start + sub.start, start + sub.end, al or sub.al, alias)

    def _count(self, w: str) -> int:
        return self.counts.get(w, 0)

    def fold(self, w: str) -> str:
        """``fold`` (ة → ه, ى → ي) on a final key, except where the corpus attests the ه spelling
        as another word: والدة ("mother") keeps its ة when والده ("his father": والد + the pronoun
        ه) is a word of its own in the vocabulary — the stem والد is attested, the ه form is not
        after ال (a definite noun takes no pronoun) and it is not a rare misspelling (its count is
        at least ``TAA_RATIO`` × the ة form's).  Otherwise المتحدة and المتحده are one key.
        Likewise ى stays when the ي spelling is a word of its own (اليمنى "right" / اليمني
        "Yemeni"); a rare ي spelling (مصطفي for مصطفى) is folded into the same key.

        >>> Grouper({"والدة": 50, "والده": 40, "والد": 30}, res).fold("والدة")
        'والدة'
        """
        if w.endswith("ة") and len(w) > 3 and not w.startswith("ال"):
            stem = w[:-1]
            h = self._count(stem + "ه")
            if h >= TAA_MIN and h >= TAA_RATIO * self._count(w) and self._count(stem) > 0:
                return fold(stem) + "ة"
        elif w.endswith("ى") and len(w) > 2:
            y = self._count(w[:-1] + "ي")
            if y >= TAA_MIN and y >= TAA_RATIO * self._count(w):
                return fold(w[:-1]) + "ى"      # اليمنى ("right") is not اليمني ("Yemeni")
        return fold(w)

    def _attested(self, w: str) -> bool:
        return w in self.strong or w in self.extra or self._count(w) > 0

    def _strip(self, t: str):
        stop = self.stopwords
        cands: list[tuple[str, int, int, bool]] = []
        n = len(t)
        # proclitic + stop word / stop word + pronoun → stop word
        for p in PROCLITICS:
            if t.startswith(p) and len(t) - len(p) >= 2 and t[len(p):] in stop:
                return _STOP
        for e in STOP_ENCLITICS:
            if t.endswith(e) and len(t) - len(e) >= 2 and t[:-len(e)] in stop:
                return _STOP
        # proclitics
        for p in PROCLITICS:
            if t.startswith(p):
                cands.append((t[len(p):], len(p), n, False))
        for p in LAM_AL_PREFIXES:
            if t.startswith(p) and n - len(p) >= 2:
                cands.append(("ال" + t[len(p):], len(p) - 2, n, True))
        # enclitics (on the token, and on each proclitic remainder)
        bases = [(t, 0, False)] + [(r, s, al) for r, s, _, al in cands]
        encl = []
        for base, s, al in bases:
            for e in ENCLITICS:
                if base.endswith(e) and len(base) - len(e) >= MIN_REMAINDER:
                    encl.append((base[:-len(e)], s, s + len(base) - len(e), al, base == t))
                    break
        c_t = self._count(t)
        best, best_score = None, None
        for r, s, e_, al in cands:
            if not self._proclitic_ok(r, t[:s], c_t):
                continue
            score = (r in self.strong, self._count(r))
            if best_score is None or score > best_score:
                best, best_score = (r, s, e_, al), score
        for r, s, e_, al, _pure in encl:
            if r in stop or not self._attested(r):
                continue
            if s and not (r in self.strong or r.startswith("ال") or t[:s] in BARE_PROCLITICS):
                continue
            if r.endswith("ت") and not r.endswith("ات"):
                continue
            if not (r in self.strong or self._count(r) >= BARE_RATIO * c_t):
                continue
            score = (r in self.strong, self._count(r))
            if best_score is None or score > best_score:
                best, best_score = (r, s, e_, al), score
        return best

    def _proclitic_ok(self, r: str, prefix: str, c_t: int) -> bool:
        if r in self.stopwords or not self._attested(r):
            return False
        if r.startswith("ال"):
            return len(r) >= MIN_AL_REMAINDER and (r in self.strong or self._count(r) >= AL_RATIO * c_t)
        if len(r) < MIN_REMAINDER:
            return False
        if r in self.strong:
            return True
        return prefix in BARE_PROCLITICS and self._count(r) >= BARE_RATIO * c_t


_STOP = object()


@dataclass(frozen=True)
class _NameRules:
    connectors: frozenset        # not counted alone (بن)
    no_start: frozenset          # an n-gram never starts with these (بن)
    no_end: frozenset            # ... nor ends with these (بن, عبد, أبو)
    joined: frozenset            # joined to the next word when the corpus attests it (عبد, أبو)
    titles: dict                 # first key → title formulae (key tuples), longest first: one unit
    honorifics: dict             # first key → courtesy formulae: removed like stop words
    special: frozenset           # any of the above: the clause needs the slow path


def _match_at(index: dict, keys: list, i: int) -> int:
    """Length of the longest formula of ``index`` starting at ``keys[i]`` (0 if none)."""
    for ks in index.get(keys[i], ()):
        L = len(ks)
        if tuple(keys[i:i + L]) == ks:
            return L
    return 0


def _name_units(grouper: "Grouper", norms, keys, recs, surfaces):
    """Apply ``names.yaml`` to one clause: join spaced names the corpus writes joined, remove
    courtesy formulae, mark title formulae as units.  Returns (keys, recs, surfaces, unit_start,
    unit_end): ``unit_start[i]``/``unit_end[i]`` are the bounds of the unit holding word ``i``."""
    rules = grouper.name_rules
    if not rules.joined.isdisjoint(keys):
        nk, nr, ns, nn = [], [], [], []
        i, n = 0, len(keys)
        while i < n:
            j = grouper.joined_at(keys, norms, i) if keys[i] in rules.joined else None
            if j is not None:
                sf = surfaces[i] + " " + surfaces[i + 1]
                a = recs[i]
                nr.append(_Analysis(j.key, a.start, len(sf), a.al, None))
                nk.append(j.key)
                ns.append(sf)
                nn.append(norms[i] + norms[i + 1])
                i += 2
            else:
                nk.append(keys[i]); nr.append(recs[i]); ns.append(surfaces[i]); nn.append(norms[i])
                i += 1
        keys, recs, surfaces, norms = nk, nr, ns, nn
    n = len(keys)
    ustart, uend = list(range(n)), list(range(1, n + 1))
    i = 0
    while i < n:
        k = keys[i]
        L = _match_at(rules.honorifics, keys, i) if k in rules.honorifics else 0
        if L:
            for x in range(i, i + L):
                keys[x] = None
                recs[x] = _NONE
            i += L
            continue
        L = _match_at(rules.titles, keys, i) if k in rules.titles else 0
        if L > 1:
            for x in range(i, i + L):
                ustart[x], uend[x] = i, i + L
            i += L
            continue
        i += 1
    return keys, recs, surfaces, norms, ustart, uend


# ---------------------------------------------------------------------------
# Labels
# ---------------------------------------------------------------------------

class Labeler:
    """Accumulates (key, surface) counts; shows each key under its most frequent surface.

    Works for n-grams too: key = keys joined by a space, surface = surfaces joined by a space.

    >>> lab = Labeler(); lab.add("امريكي", "أمريكي", 2); lab.add("امريكي", "أميركي", 3)
    >>> lab.label("امريكي"), lab.forms("امريكي")
    ('أميركي', [('أميركي', 3), ('أمريكي', 2)])
    """

    def __init__(self):
        # Most n-gram keys are seen once: they live in ``_once`` (key → surface) until a
        # second occurrence moves them to ``_forms`` (key → {surface: count}).
        self._once: dict[str, str] = {}
        self._forms: dict[str, dict[str, int]] = {}
        # Pairs given in bulk (``add_pairs``), counted by Counter's C loop and merged on first read.
        self._pairs: Counter = Counter()

    def add_pairs(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Add one to each (key, surface) pair: the bulk form of ``add``, for the counting pass."""
        self._pairs.update(pairs)

    def _settle(self) -> None:
        if self._pairs:
            pairs, self._pairs = self._pairs, Counter()
            for (k, s), n in pairs.items():
                self.add(k, s, n)

    def add(self, key: str, surface: str, n: int = 1) -> None:
        d = self._forms.get(key)
        if d is not None:
            d[surface] = d.get(surface, 0) + n
            return
        first = self._once.pop(key, None)
        if first is None and n == 1:
            self._once[key] = surface
            return
        d = self._forms[key] = {} if first is None else {first: 1}
        d[surface] = d.get(surface, 0) + n

    def _items(self):
        self._settle()
        for k, s in self._once.items():
            yield k, {s: 1}
        yield from self._forms.items()

    def update(self, other: "Labeler") -> None:
        """Merge another labeler's counts into this one."""
        for k, forms in other._items():
            for s, n in forms.items():
                self.add(k, s, n)

    def _get(self, key: str) -> dict[str, int]:
        self._settle()
        d = self._forms.get(key)
        if d is not None:
            return d
        s = self._once.get(key)
        return {} if s is None else {s: 1}

    def label(self, key: str) -> str:
        """Most frequent clean surface form of ``key`` (ties: alphabetical); the key if unseen."""
        self._settle()
        s = self._once.get(key)
        if s is not None:
            return s
        d = self._forms.get(key)
        if not d:
            return key
        return min(d.items(), key=lambda kv: (-kv[1], kv[0]))[0]

    def forms(self, key: str) -> list[tuple[str, int]]:
        """Every surface form merged under ``key`` with its count, most frequent first."""
        return sorted(self._get(key).items(), key=lambda kv: (-kv[1], kv[0]))

    def __contains__(self, key: str) -> bool:
        self._settle()
        return key in self._once or key in self._forms

    def __len__(self) -> int:
        self._settle()
        return len(self._once) + len(self._forms)

    def to_frame(self) -> pd.DataFrame:
        """Columns key, surface, count (one row per form)."""
        if not self._once and not self._forms and self._pairs:   # only bulk pairs: straight from the Counter
            pairs = self._pairs
            # typed columns: letting the DataFrame infer that a column is text costs ~3x more
            return pd.DataFrame({"key": str_series(list(map(_FIRST, pairs))),
                                 "surface": str_series(list(map(_SECOND, pairs))),
                                 "count": np.fromiter(pairs.values(), dtype=np.int64, count=len(pairs))},
                                columns=["key", "surface", "count"])
        rows = [(k, s, n) for k, d in self._items() for s, n in d.items()]
        return pd.DataFrame(rows, columns=["key", "surface", "count"])

    def labels_frame(self) -> pd.DataFrame:
        """Columns key, label."""
        self._settle()
        keys = list(self._once) + list(self._forms)
        return pd.DataFrame([(k, self.label(k)) for k in keys], columns=["key", "label"])


# ---------------------------------------------------------------------------
# N-grams
# ---------------------------------------------------------------------------

_CONJUNCTIONS = frozenset("وف")


def stripped_conjunctions(analyses: list["_Analysis"], norms: list[str]) -> list[int]:
    """Indices of the words of a clause whose conjunction و/ف the grouping stripped
    (والولايات → الولايات): the input ``conjunctions`` of :func:`ngrams`."""
    return [i for i, (a, t) in enumerate(zip(analyses, norms)) if a.start and t[0] in _CONJUNCTIONS]


def _runs(keys: list[str | None], conjunctions=()) -> list[tuple[int, int]]:
    """(start, end) of the maximal runs of non-None keys; a word at an index of ``conjunctions``
    starts a new run."""
    runs, start = [], None
    for i, k in enumerate(keys):
        if k is None:
            if start is not None:
                runs.append((start, i))
                start = None
        elif start is None:
            start = i
        elif conjunctions and i in conjunctions:
            runs.append((start, i))
            start = i
    if start is not None:
        runs.append((start, len(keys)))
    return runs


def _windows(first: list, rest: list, runs: list[tuple[int, int]], sizes=(1, 2, 3)) -> list[list[str]]:
    """For each n of ``sizes``, every window of n words inside ``runs``, joined by a space: its
    first word from ``first``, the others from ``rest`` (the same list for keys; for labels, the
    words after the first keep the preposition they were written with)."""
    join = " ".join
    outs: list[list[str]] = []
    for n in sizes:
        if n == 1:
            outs.append([w for a, b in runs for w in first[a:b]])
        else:
            out: list[str] = []
            for a, b in runs:
                if b - a >= n:
                    out += map(join, zip(first[a:b], *[rest[a + i:b] for i in range(1, n)]))
            outs.append(out)
    return outs


def ngrams(clause_keys: list[str | None], n: int, conjunctions=()) -> list[str]:
    """N-grams of keys inside one clause, never across a removed word: a stop word (None) or a
    conjunction و/ف the grouping stripped from the word at an index of ``conjunctions`` (see
    :func:`stripped_conjunctions`), so "روسيا والولايات المتحدة" gives the bigram
    "الولايات المتحده" but not "روسيا الولايات".

    >>> ngrams(["روسيا", "الولايات", "المتحده", None, "سوريا", "موحده"], 2, conjunctions=[1])
    ['الولايات المتحده', 'سوريا موحده']
    """
    return _windows(clause_keys, clause_keys, _runs(clause_keys, conjunctions), (n,))[0]


# ---------------------------------------------------------------------------
# Entities
# ---------------------------------------------------------------------------

class _ArticleContext:
    """What one article has settled so far for :class:`EntityMatcher`: the people named in full
    (an ambiguous short form then counts for them), the article's own outlet, the outlet names it
    writes between quotes."""

    __slots__ = ("seen", "outlet", "quoted")

    def __init__(self, outlet: tuple[str, ...] | None = None, quoted: Counter | None = None):
        self.seen: set[str] = set()
        self.outlet = outlet
        self.quoted = quoted if quoted is not None else Counter()


_QUOTED_RE = None


def peek_key(grouper: "Grouper", t: str) -> str:
    """:meth:`Grouper.peek_key` (the grouping key of a word, or the word, without growing the map)."""
    return grouper.peek_key(t)


_FEMININE_NOUN = __import__("re").compile(r"^(?:ال|[وفبل]ال|لل)(?:.+[ةه]|.+ات|..و.|ا..ا.|م.ا..)$")


class EntityMatcher:
    """Finds gazetteer mentions in token sequences, on grouping keys (clitics and aliases apply).

    Longest match first, left to right, no overlaps, and these precision rules:

    * adjectives are not places: a one-word name spelled with ة (سورية) right after an
      indefinite feminine noun (قاعدة جوية سورية), and a definite nisba name (السعودية) right
      after a definite noun that is not itself a name (الخطوط السعودية, الأندية السعودية);
    * an outlet's own name is not a mention: a gazetteer form that is also an outlet's name
      (outlets.yaml, the corpus's outlet column) after a media noun of name_patterns.yaml (صحيفة الشرق
      الأوسط), written alone between quotes («الشرق الأوسط»), or standing alone in a clause of
      an article of that outlet;
    * an ambiguous short form of a person (a form starting with بن/ابن such as بن سلمان, or a
      form that is the end of another gazetteer person's name, e.g. a shared surname) counts only
      once the article has named that person by an unambiguous form, and never right after
      another name word (فيصل بن سلمان is not محمد بن سلمان);
    * adjacent mentions of the same entity are one mention (خادم الحرمين الشريفين الملك سلمان).
    """

    def __init__(self, gazetteer: Iterable[Entity], grouper: Grouper, outlets: Iterable[str] | None = None):
        self.grouper = grouper
        gazetteer = list(gazetteer)
        index: dict[str, list[tuple[tuple[str, ...], str, str, bool]]] = {}
        forms: list[tuple[tuple[str, ...], str, str]] = []
        for e in gazetteer:
            for form in e.norm_forms:
                forms.append((tuple(self._mkey(t) for t in form.split()), e.name, e.type))
        person_forms = [(k, n) for k, n, t in forms if t == "person"]
        chain = {peek_key(grouper, "بن"), peek_key(grouper, "ابن")}
        for keys, name, etype in forms:
            ambiguous = False
            if etype == "person":
                ambiguous = keys[0] in chain or any(
                    other != name and len(ok) > len(keys) and ok[-len(keys):] == keys
                    for ok, other in person_forms)
            entry = (keys, name, etype, ambiguous)
            if entry not in index.get(keys[0], []):
                index.setdefault(keys[0], []).append(entry)
        for v in index.values():
            v.sort(key=lambda x: -len(x[0]))
        self._index = index
        self._chain = frozenset(chain)
        names = getattr(grouper.resources, "name_patterns", None)
        self._media = frozenset(peek_key(grouper, w) for w in (names.media_nouns if names else ()) if " " not in w)
        self._titles = frozenset(peek_key(grouper, w) for w in (names.titles if names else ()) if " " not in w)
        self._nisba_names = frozenset(k[0] for k, _n, _t in forms if len(k) == 1 and k[0].startswith("ال")
                                      and (k[0].endswith("يه") or k[0].endswith("ية")))
        if outlets is None:
            from core.ingest.outlets import load_outlets
            table = load_outlets()
            outlets = [s for o in table.outlets for s in (o.name, *o.aliases)]
        self._outlet_keys: frozenset[tuple[str, ...]] = frozenset()
        self._outlet_tuples: dict[str, tuple[str, ...]] = {}   # a quoted name → its keys (once all are known)
        self.add_outlets(outlets)
        self._tokens: dict[str, tuple[str, str | None]] = {}   # token as written → (norm, key)
        self._keys: dict[str, str | None] = {}                  # norm token → key
        self._starts: dict[str, bool] = {}                      # norm token → may it start a form?

    def _mkey(self, norm: str) -> str:
        return self.grouper.key(norm) or norm

    def _outlet_tuple(self, name: str) -> tuple[str, ...]:
        """Keys of a name's words, looked up without growing the grouping (its words are gazetteer
        words, keyed when the matcher was made, or it is no gazetteer form at all)."""
        cache = self._outlet_tuples
        hit = cache.get(name)
        if hit is not None:
            return hit
        known = self.grouper.known
        out, settled = [], True
        for t in tokenize(normalize(name or "")):
            a = known(t)
            settled = settled and a is not None
            out.append(a.key or t if a is not None else fold(t))
        if settled:   # a word grouped stays grouped the same way: the answer is final
            if len(cache) > 200_000:
                cache.clear()
            cache[name] = tuple(out)
        return tuple(out)

    def add_outlets(self, outlets: Iterable[str]) -> None:
        """Outlet names (as written) whose use as a gazetteer form is the outlet, not the entity."""
        known = {k for k, *_ in (e for v in self._index.values() for e in v)}
        keys = set(self._outlet_keys)
        for o in outlets:
            k = self._outlet_tuple(o) if o else ()
            if k and all(is_arabic(t) for t in k):
                if k in known:
                    keys.add(k)
        self._outlet_keys = frozenset(keys)

    def context(self, text: str = "", outlet: str | None = None) -> _ArticleContext:
        """A fresh per-article context: the article's outlet (when its name is a gazetteer form)
        and the outlet names the text writes alone between quotes."""
        global _QUOTED_RE
        own = self._outlet_tuple(outlet) if outlet and self._outlet_keys else None
        ctx = _ArticleContext(own if own in self._outlet_keys else None)
        if self._outlet_keys and text:
            if _QUOTED_RE is None:
                import re
                _QUOTED_RE = re.compile(r"[«\"“„‹]([^«»\"“”„‹›\n]{2,60})[»\"”›]")
            for m in _QUOTED_RE.finditer(text):
                k = self._outlet_tuple(m.group(1))
                if k in self._outlet_keys:
                    ctx.quoted[k] += 1
        return ctx

    def find(self, clause_tokens: list[tuple[str, str]], ctx: _ArticleContext | None = None
             ) -> list[tuple[str, str, int, int]]:
        """Mentions in one clause of (surface, norm) tokens: (canonical, type, start, end),
        token indices, ``end`` exclusive.

        >>> m.find([("للافروف", "للافروف")])
        [('لافروف', 'person', 0, 1)]
        """
        norms = [n for _, n in clause_tokens]
        return self.find_keys(norms, [self.grouper.key(n) for n in norms], ctx)

    def _is_outlet_use(self, ktuple, mk, i: int, L: int, n: int, ctx: _ArticleContext | None) -> bool:
        if ktuple not in self._outlet_keys:
            return False
        if i > 0 and mk[i - 1] in self._media:
            return True
        if i == 0 and L == n and ctx is not None:
            if ctx.quoted.get(ktuple, 0) > 0:
                ctx.quoted[ktuple] -= 1
                return True
            if ctx.outlet == ktuple:
                return True
        return False

    def form_starts(self, norms: list[str], keys: list[str | None] | None = None) -> list[int]:
        """The indices of the words that may start a gazetteer form, by their grouping key or
        their norm (:meth:`find_keys` finds nothing in a clause without one).  ``keys``, when
        given, are the words' keys: nothing may start when none of them or of the norms does."""
        if keys is not None and not self.may_match(norms, keys):
            return []
        flags = self._starts
        try:
            return list(itertools.compress(range(len(norms)), map(flags.__getitem__, norms)))
        except KeyError:
            if len(flags) > 2_000_000:
                flags.clear()
            index, key = self._index, self.grouper.key
            for t in norms:
                if t not in flags:
                    flags[t] = key(t) in index or t in index
            return list(itertools.compress(range(len(norms)), map(flags.__getitem__, norms)))

    def _norm_keys(self, norms: list[str]) -> list[str | None]:
        """:meth:`Grouper.key` of each word, from a cache of the words seen."""
        seen = self._keys
        try:
            return list(map(seen.__getitem__, norms))
        except KeyError:
            if len(seen) > 2_000_000:
                seen.clear()
            key = self.grouper.key
            for t in norms:
                if t not in seen:
                    seen[t] = key(t)
            return list(map(seen.__getitem__, norms))

    def may_match(self, norms: list[str], keys: list[str | None]) -> bool:
        """Can any of these words start a gazetteer form?  (A word's match key is its grouping key,
        or its norm when it has none.)  When not, :meth:`find_keys` finds nothing in them."""
        starts = self._index.keys()
        return not (starts.isdisjoint(keys) and starts.isdisjoint(norms))

    def find_keys(self, norms: list[str], keys: list[str | None], ctx: _ArticleContext | None = None
                  ) -> list[tuple[str, str, int, int]]:
        """Mentions in one clause given as its normalised words and their grouping keys
        (:meth:`Grouper.analyse_clause`): (canonical, type, start, end), word indices."""
        if not self.may_match(norms, keys):
            return []
        index = self._index
        out: list[tuple[str, str, int, int]] = []
        n = len(norms)
        i = 0
        mk = [k if k is not None else t for k, t in zip(keys, norms)]
        while i < n:
            cands = index.get(mk[i])
            if cands:
                for ktuple, name, etype, ambiguous in cands:
                    L = len(ktuple)
                    if i + L <= n and (L == 1 or tuple(mk[i:i + L]) == ktuple):
                        if L == 1 and self._adjective(norms, keys, mk, i, out):
                            continue
                        if self._outlet_keys and self._is_outlet_use(ktuple, mk, i, L, n, ctx):
                            i += L
                            break
                        if ambiguous:
                            after_name = (i > 0 and keys[i - 1] is not None and mk[i - 1] not in self._titles
                                          and not (out and out[-1][3] == i))
                            if ktuple[0] in self._chain and after_name:
                                i += L          # the end of another name: فيصل بن سلمان
                                break
                            if ctx is None or name not in ctx.seen:
                                i += L          # not settled by the article
                                break
                        elif ctx is not None and etype == "person":
                            ctx.seen.add(name)
                        if out and out[-1][0] == name and out[-1][3] == i:
                            out[-1] = (name, etype, out[-1][2], i + L)   # one mention, the longest span
                        else:
                            out.append((name, etype, i, i + L))
                        i += L
                        break
                else:
                    i += 1
            else:
                i += 1
        return out

    def _adjective(self, norms, keys, mk, i: int, out) -> bool:
        if self.grouper.is_adjective_use(norms, keys, i):
            return True
        # a definite nisba name right after a definite noun: الخطوط السعودية, الأندية السعودية
        if i == 0 or mk[i] not in self._nisba_names or not norms[i].startswith("ال"):
            return False
        pkey = keys[i - 1]
        if pkey is None or not norms[i - 1].startswith("ال"):
            return False
        if out and out[-1][3] == i:          # after a name: الإمارات السعودية? a list, not an adjective
            return False
        if mk[i - 1] in self._index or mk[i - 1] in self._titles:
            return False
        # the noun must be able to take a feminine adjective: ة / ات, or a broken plural shape
        # (فعول الخطوط، أفعال الأسواق، مفاعل المصارف); الوفد السعودية is verb-subject-object
        return _FEMININE_NOUN.match(norms[i - 1]) is not None

    def find_in_words(self, text: str, words: list[str], starts, ends, known: dict | None = None
                      ) -> list[tuple[str, str, int, int]]:
        """Mentions among the normalised ``words`` of ``text`` (with their character ``starts``),
        as :func:`core.arabic.word_spans` gives them: (canonical, type, first word, last
        word + 1).  The same mentions as :meth:`find_in_text`, found without tokenising again:
        a clause ends wherever a clause boundary stands between two words.

        >>> from core.arabic import word_spans
        >>> w, s, e = word_spans("قال للافروف")
        >>> m.find_in_words("قال للافروف", w, s, e)
        [('لافروف', 'person', 1, 2)]

        ``known`` (optional) is what :func:`count_article_grams` found on this same list of words
        (its ``shared``): the words that may start a form (``starts``), and when the text is its own
        clean form, the clause cuts (``cuts``) and the quoted outlet names (``quoted``), and when
        no word is a name-adjective, the words' keys (``keys``).
        """
        n = len(words)
        if not n:
            return []
        known = known or {}
        hits = known.get("starts")
        if hits is None:
            hits = self.form_starts(words)
        if not hits:
            return []
        cuts = known.get("cuts")
        if cuts is None:
            parts = _CLAUSE_SPLIT_RE.split(text)    # text, boundary, text, …: a boundary starts where a text ends
            cuts = [0]
            if len(parts) > 1:
                bounds = np.cumsum(np.fromiter(map(len, parts), dtype=np.int64, count=len(parts)))[0:-1:2]
                clause = np.searchsorted(bounds, np.asarray(starts), "right")
                cuts += (np.flatnonzero(clause[1:] != clause[:-1]) + 1).tolist()
            cuts.append(n)
        quoted = known.get("quoted")
        ctx = self.context(text) if quoted is None else _ArticleContext(None, quoted)
        keys = known.get("keys")
        out = []
        for c in _clauses_of(hits, cuts):
            a, b = cuts[c], cuts[c + 1]
            ks = self._norm_keys(words[a:b]) if keys is None else keys[a:b]
            for name, etype, s, e in self.find_keys(words[a:b], ks, ctx):
                out.append((name, etype, a + s, a + e))
        return out

    def find_in_text(self, text: str) -> list[tuple[str, str, int, int]]:
        """Mentions in raw text: (canonical, type, start_char, end_char), offsets into ``text``.

        >>> m.find_in_text("قال للافروف")
        [('لافروف', 'person', 4, 11)]
        """
        out = []
        seen = self._tokens
        if len(seen) > 2_000_000:     # a cache of the vocabulary as written, bounded
            seen.clear()
        get = seen.get
        key = self.grouper.key
        ctx = self.context(text)
        for a, b in clause_spans(text):
            spans = token_spans(text[a:b])
            if not spans:
                continue
            nks = []
            for t, _, _ in spans:
                nk = get(t)
                if nk is None:
                    n = normalize(t)
                    nk = seen[t] = (n, key(n))
                nks.append(nk)
            norms = [n for n, _ in nks]
            for name, etype, s, e in self.find_keys(norms, [k for _, k in nks], ctx):
                out.append((name, etype, a + spans[s][1], a + spans[e - 1][2]))
        return out


# ---------------------------------------------------------------------------
# One article
# ---------------------------------------------------------------------------

@dataclass
class ArticleCounts:
    """Everything counted in one article.

    * ``words``: word tokens, stop words included (numbers and Latin words count as words)
    * ``terms``: (n, key) → count, for unigrams, bigrams and trigrams of grouping keys
    * ``mentions``: entity canonical name → count
    * ``variants``: (alias group canonical, spelling as written) → count, e.g. ("سوريا", "سورية")
    """

    words: int = 0
    terms: Counter = field(default_factory=Counter)
    mentions: Counter = field(default_factory=Counter)
    variants: Counter = field(default_factory=Counter)


def count_article(text: str, grouper: Grouper, entity_matcher: EntityMatcher | None,
                  labeler: Labeler | None = None, forms: Labeler | None = None,
                  outlet: str | None = None) -> ArticleCounts:
    """Count words, terms (1–3-grams), entity mentions and alias spellings of one article.

    ``forms`` (optional) is fed every unigram key with the whole word as written, clitics
    included, so the merged forms of a term can be shown (لافروف ← للافروف).

    If ``labeler`` is given it is fed the (key, surface) pair of every counted term.

    >>> c = count_article("روسيا والولايات المتحدة", g, m)
    >>> c.words, c.terms[(2, "الولايات المتحده")], c.mentions["الولايات المتحدة"]
    (3, 1, 1)
    """
    words, grams, mentions, variants = count_article_grams(text, grouper, entity_matcher, labeler, forms, outlet)
    terms: Counter = Counter()
    for n, counted in enumerate(grams, 1):
        for key, c in counted.items():
            terms[(n, key)] = c
    return ArticleCounts(words, terms, mentions, variants)


def count_article_grams(text: str, grouper: Grouper, entity_matcher: EntityMatcher | None,
                        labeler: Labeler | None = None, forms: Labeler | None = None,
                        outlet: str | None = None, names=None, words=None, shared: dict | None = None
                        ) -> tuple[int, tuple[Counter, Counter, Counter], Counter, Counter]:
    """:func:`count_article` for the counting pass: ``(words, (unigrams, bigrams, trigrams),
    mentions, variants)``, each n-gram Counter in first-met order, with the labels and forms
    given to the labelers in bulk.

    The steps run on the article's words laid end to end, the clauses marked by where each
    starts: :func:`article_tokens` (words as written and normalised), :meth:`Grouper.analyse_words`
    (keys), :meth:`EntityMatcher.find_keys` per clause (mentions), the names.yaml units in the
    clauses where a name rule applies, then the n-grams of :func:`ngrams` (inside the runs of kept
    words, split at a clause start and at a stripped conjunction).

    ``outlet`` is the article's outlet (its own name is not a mention); ``names`` (optional, a
    :class:`core.names.CandidateFinder`) is shown every clause with its mentions, to collect
    names the gazetteer lacks.  ``words`` (optional) is ``(clean_surface(text), *article_words(clean)[:4])``
    when the caller has them already; ``shared`` (optional, a dict) receives what
    :meth:`EntityMatcher.find_in_words` can reuse on the same list of words (see its ``known``)."""
    if words is None:
        clean = clean_surface(text)
        texts, cuts, surfaces, norms = article_tokens(clean)
    else:
        clean, texts, cuts, surfaces, norms = words
    groups = grouper.alias_groups
    rules = grouper.name_rules
    special = rules.special
    ctx = entity_matcher.context(clean, outlet) if entity_matcher is not None else None
    if shared is not None and ctx is not None and clean == text:   # the quotes' context, before any use
        shared["quoted"] = Counter(ctx.quoted)
    recs = grouper.analyse_words(norms, cuts)
    keys = list(map(_KEY, recs))
    clauses = list(zip(cuts, cuts[1:]))
    mentions: Counter = Counter()
    variants: Counter = Counter()
    if entity_matcher is not None:
        # clause by clause (the article's context carries over), only the clauses where a word
        # may start a gazetteer form (or, for the names, lead to a name)
        starts = entity_matcher.form_starts(norms)
        if shared is not None:
            shared["starts"] = starts
            if clean == text:   # the same clauses in the text itself
                shared["cuts"] = cuts
            if grouper.adjective_forms.isdisjoint(norms):   # every key is the word's own
                shared["keys"] = keys
        matching = set(_clauses_of(starts, cuts)) if starts and entity_matcher.may_match(norms, keys) else set()
        naming = set(_clauses_of(names.trigger_words(norms, keys), cuts)) if names is not None else set()
        for c in sorted(matching | naming):
            a, b = clauses[c]
            found = entity_matcher.find_keys(norms[a:b], keys[a:b], ctx) if c in matching else []
            for name, _t, _s, _e in found:
                mentions[name] += 1
            if c in naming:
                names.clause(texts[c], norms[a:b], keys[a:b], found)
    for a, sf in itertools.compress(zip(recs, surfaces), map(_ALIAS, recs)):   # the words with an alias
        gi, b, e = a.alias
        variants[(groups[gi], sf[b:e])] += 1
    # the (key, label) and (key, word) pairs go straight into the labelers' bulk counts (add_pairs)
    out = _Grams(labeler._pairs if labeler is not None else None, forms._pairs if forms is not None else None)
    # the n-grams: runs of clauses without a name rule at once, a clause with one (rare) alone
    slow = [] if special.isdisjoint(keys) else [not special.isdisjoint(keys[a:b]) for a, b in clauses]
    conj = {i for i in itertools.compress(range(len(recs)), map(_START, recs)) if norms[i][0] in _CONJUNCTIONS}
    c = 0
    while c < len(clauses):
        if slow and slow[c]:
            a, b = clauses[c]
            out.name_clause(grouper, keys[a:b], recs[a:b], surfaces[a:b], norms[a:b])
            c += 1
            continue
        d = c + 1
        while d < len(clauses) and not (slow and slow[d]):
            d += 1
        a, b = cuts[c], cuts[d]
        breaks = {i - a for i in conj if a <= i < b} | {cuts[x] - a for x in range(c + 1, d)}
        out.plain(keys[a:b], recs[a:b], surfaces[a:b], breaks)
        c = d
    return len(norms), (Counter(out.uni), Counter(out.bi), Counter(out.tri)), mentions, variants


def _clauses_of(words: list[int], cuts: list[int]) -> list[int]:
    """The clauses (``cuts[c] <= word < cuts[c + 1]``) holding the given words (in order), once each."""
    out: list[int] = []
    for i in words:
        c = bisect_right(cuts, i) - 1
        if not out or out[-1] != c:
            out.append(c)
    return out


class _Grams:
    """The n-grams of one article as :func:`count_article_grams` collects them, in first-met order,
    with the (key, label) pairs counted in ``labels`` and the (key, word) pairs in ``forms`` (Counters,
    or None), in the order they are met."""

    def __init__(self, labels: Counter | None, forms: Counter | None):
        self.uni: list[str] = []
        self.bi: list[str] = []
        self.tri: list[str] = []
        self.labels = labels
        self.forms = forms

    def plain(self, keys, recs, surfaces, breaks) -> None:
        """Words without a name rule: every window of 1–3 kept words inside a run (a run ends at a
        removed word and at an index of ``breaks``: a clause start, a stripped conjunction)."""
        if self.forms is not None:
            self.forms.update([(key, sf) for key, sf in zip(keys, surfaces) if key is not None])
        runs = _runs(keys, breaks)
        grams = _windows(keys, keys, runs)
        self.uni += grams[0]
        self.bi += grams[1]
        self.tri += grams[2]
        if self.labels is not None:
            labs, inner = _labels(recs, surfaces)
            for g, lg in zip(grams, _windows(labs, inner, runs)):
                self.labels.update(zip(g, lg))

    def name_clause(self, grouper: Grouper, keys, recs, surfaces, norms) -> None:
        """One clause where a name rule applies: a connector (بن) is no term alone, an n-gram
        never starts or ends with a connector or cuts a title formula."""
        rules = grouper.name_rules
        connectors, no_start, no_end = rules.connectors, rules.no_start, rules.no_end
        keys, recs, surfaces, norms, ustart, uend = _name_units(grouper, norms, keys, recs, surfaces)
        if self.forms is not None:
            self.forms.update([(key, sf) for key, sf in zip(keys, surfaces) if key is not None])
        runs = _runs(keys, stripped_conjunctions(recs, norms))
        labels = self.labels
        if labels is not None:
            labs, inner = _labels(recs, surfaces)
        join = " ".join
        for x, y in runs:
            self.uni.extend(k for k in keys[x:y] if k not in connectors)
            if labels is not None:
                labels.update([(k, lb) for k, lb in zip(keys[x:y], labs[x:y]) if k not in connectors])
            for m, out in ((2, self.bi), (3, self.tri)):
                for i in range(x, y - m + 1):
                    j = i + m
                    if keys[i] in no_start or keys[j - 1] in no_end or ustart[i] < i or uend[j - 1] > j:
                        continue
                    gram = join(keys[i:j])
                    out.append(gram)
                    if labels is not None:
                        labels[(gram, join([labs[i], *inner[i + 1:j]]))] += 1


def _labels(recs, surfaces) -> tuple[list[str], list[str]]:
    """Each word's label (the grouped word as written: الأمم, not للأمم) and its form inside an
    n-gram (a word after the first keeps the preposition it was written with: الوكالة الدولية
    للطاقة الذرية)."""
    # _Analysis.surface inlined (a call a word); an al word's span is "ال" + what follows لل
    labs = [sf[a.start:a.end] if not a.al else "ال" + sf[a.start + 2:a.end] for a, sf in zip(recs, surfaces)]
    inner = [sf[:a.end] for a, sf in zip(recs, surfaces)] if any(map(_START, recs)) or any(map(_AL, recs)) else labs
    return labs, inner


# ---------------------------------------------------------------------------
# Corpus helpers
# ---------------------------------------------------------------------------

def norm_counts(texts: Iterable[str]) -> Counter:
    """Normalised-token frequencies of a corpus (the input of ``Grouper.build``)."""
    c: Counter = Counter()
    findall = _TOKEN_RE.findall
    for text in texts:
        c.update(findall(normalize(text or "")))
    return c


# ---------------------------------------------------------------------------
# Topics
# ---------------------------------------------------------------------------

#: Nisba endings (سوري, سورية, السوريين …): the ي and what may follow it (``NISBA_ENDINGS`` without
#: the duals, ة also as its folded ه), longest first, and the forms each may take: a
#: singular grows to its feminine and plurals, a plural never shrinks to the singular, which is
#: often another word (المدنيين "civilians" ↛ المدني as in الدفاع المدني, الصحفيين ↛ بيان صحفي).
_NISBA = tuple(sorted({"ي" + f for e in NISBA_ENDINGS if e not in NISBA_DUALS for f in (e, e.replace("ة", "ه"))},
                      key=lambda e: (-len(e), e)))
_NISBA_GROW = {"يين": ("يين", "يون"), "يون": ("يين", "يون"), "يات": ("يات",),
               "يه": ("يه", "ية", "يات"), "ية": ("يه", "ية", "يات"), "ي": _NISBA}


def key_variants(key: str) -> set[str]:
    """Clitic and spelling forms of one folded word key: ± the article ال, ة/ه (and its plural ات:
    عقوبة → عقوبات), the nisba endings a word may grow (ي → ية, يين, يون, يات; يين ↔ يون) and
    the plural ين → ون.  Never a
    shorter stem, which is another word (السارين does not give سار or سارة, البيانات does not give
    بيان), and no ending on a bare word (قطر does not give قطرة, حلب not حلبة, تعاون not تعاين).

    >>> sorted(key_variants("كيماوي"))[:4]
    ['الكيماوي', 'الكيماويات', 'الكيماوية', 'الكيماويه']
    >>> "بيان" in key_variants("البيانات"), "ساره" in key_variants("السارين")
    (False, False)
    """
    if not is_arabic(key):
        return {key}
    core = key[2:] if key.startswith("ال") and len(key) > 4 else key
    forms = {core}
    for suf in _NISBA:
        if core.endswith(suf) and len(core) - len(suf) >= 3:
            stem = core[:-len(suf)]
            forms.update(stem + e for e in _NISBA_GROW[suf])
            break
    else:
        if core.endswith(("ه", "ة")) and len(core) >= 4:
            forms.update((core[:-1] + "ه", core[:-1] + "ة", core[:-1] + "ات"))
        elif core.endswith("ين") and len(core) >= 5:
            forms.add(core[:-2] + "ون")
    return forms | {"ال" + w for w in forms}


def _spellings(key: str) -> set[str]:
    """The forms of an exact keyword (``=حماس``): its key and its ة/ه, ى/ي spellings only, so
    حماس does not match الحماس ("enthusiasm"), nor الدوري ("the league") الدورية ("the patrol")."""
    out = {key}
    if key.endswith(("ه", "ة")):
        out |= {key[:-1] + "ه", key[:-1] + "ة"}
    if key.endswith(("ي", "ى")):
        out |= {key[:-1] + "ي", key[:-1] + "ى"}
    return out


@functools.lru_cache(maxsize=1)
def _default_grouper() -> Grouper:
    from core.resources import load_resources
    return Grouper({}, load_resources())


def topic_keys(topics: Iterable[Topic], vocab_keys: Iterable[tuple[int, str]],
               grouper: Grouper | None = None) -> pd.DataFrame:
    """For each topic keyword (≤ 3 words), the vocabulary term keys it matches.

    Keywords are normalised and grouped like text (with ``grouper``, else with the default
    resources and no corpus), then matched by the forms of :func:`key_variants` per word (± ال,
    ة/ه, nisba and plural endings, never a shorter stem); a keyword written ``=word`` matches its
    own key only (with its ة/ه, ى/ي spellings).  Candidate keys are generated and
    looked up in the vocabulary set, so this is fast enough to run on every edit.  A key matched
    by two keywords of a topic belongs to the first.  Returns columns topic, keyword (as
    written), n, key.

    >>> topic_keys([Topic("cw", "كيماوي", "Chemical", ["سلاح كيماوي"])],
    ...            [(2, "السلاح الكيماوي"), (1, "كيماويه")], grouper=None).values.tolist()
    [['cw', 'سلاح كيماوي', 2, 'السلاح الكيماوي']]
    """
    vocab = vocab_keys if isinstance(vocab_keys, (set, frozenset)) else set(vocab_keys)
    g = grouper if grouper is not None else _default_grouper()
    rows: list[tuple[str, str, int, str]] = []
    for topic in topics:
        seen: set[tuple[int, str]] = set()
        for kw in topic.keywords:
            toks = tokenize(normalize(kw))
            if not toks or len(toks) > 3:
                continue
            keys = [g.key(t) for t in toks]
            if any(k is None for k in keys):
                continue
            n = len(keys)
            exact = kw.lstrip().startswith("=")
            for combo in itertools.product(*(sorted(_spellings(k) if exact else key_variants(k)) for k in keys)):
                cand = (n, " ".join(combo))
                if cand in vocab and cand not in seen:
                    seen.add(cand)
                    rows.append((topic.id, kw, n, cand[1]))
    return pd.DataFrame(rows, columns=["topic", "keyword", "n", "key"])
