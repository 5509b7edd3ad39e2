"""Properties that hold for any input (hypothesis): normalising, tokenising, grouping and counting,
the readers, and the CSV export.

* nothing crashes on arbitrary Unicode (Arabic ranges, harakat, tatweel, bidi controls, NUL …)
  or on arbitrary bytes named .jsonl/.csv/.txt/.zip/.gz;
* normalising twice is normalising once;
* harakat (U+064B–U+0652, U+0670) and tatweel (U+0640) inserted into words change no count;
* a CSV written by the export reads back (pandas) as the same cells, except the documented
  apostrophe before a cell a spreadsheet would run as a formula.
"""
from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.arabic import DIACRITICS, INVISIBLES, TATWEEL, clean_surface, normalize, tokenize
from core.export import _FORMULA_START, csv_bytes
from core.ingest import PROBLEM_REASONS, load, load_bytes, stream
from core.resources import load_resources
from core.textpipe import EntityMatcher, Grouper, count_article, norm_counts

#: Derandomised (the same examples on every run, no example database written): a failure reproduces.
_COMMON = dict(deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture])
SETTINGS = settings(max_examples=150, **_COMMON)
FEW = settings(max_examples=60, **_COMMON)

MARKS = [chr(c) for c in range(0x064B, 0x0653)] + ["\u0670", TATWEEL]
ARABIC_LETTERS = [chr(c) for c in range(0x0621, 0x063B)] + [chr(c) for c in range(0x0641, 0x064B)]
BIDI = [chr(c) for c in (0x200E, 0x200F, 0x061C, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067,
                         0x2068, 0x2069)]

#: Text as a corpus may hold it: arbitrary code points (no surrogates), weighted towards Arabic
#: letters, marks, presentation forms, digits, punctuation, spaces and invisible characters.
any_text = st.text(alphabet=st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(ARABIC_LETTERS + MARKS + BIDI + INVISIBLES + DIACRITICS),
    st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
    st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF),
    st.sampled_from(list(" \n\t\r\x00.,:;!?؟،؛\"'«»()-–—…0123456789٠١٢٣٤٥٦٧٨٩")),
), max_size=300)

#: Arabic words (letters only, with the usual clitics and the article), joined by spaces and punctuation.
arabic_word = st.tuples(
    st.sampled_from(["", "و", "ب", "ل", "وال", "بال", "لل", "ف", "ال"]),
    st.text(alphabet=st.sampled_from(ARABIC_LETTERS), min_size=2, max_size=7),
    st.sampled_from(["", "ه", "ها", "هم", "ة", "ات", "ين"]),
).map("".join)
arabic_text = st.lists(st.tuples(arabic_word, st.sampled_from([" ", " ", " ", "، ", ". ", "\n", ": "])),
                       min_size=1, max_size=40).map(lambda ws: "".join(w + s for w, s in ws))


@pytest.fixture(scope="module")
def res():
    return load_resources()


# -- normalising and tokenising --------------------------------------------------------------------

@SETTINGS
@given(any_text)
def test_normalize_is_idempotent_and_leaves_no_mark(s):
    once = normalize(s)
    assert normalize(once) == once
    assert clean_surface(clean_surface(s)) == clean_surface(s)
    assert normalize(clean_surface(s)) == once
    assert not set(once) & (set(MARKS) | set(BIDI) | set(INVISIBLES))


@SETTINGS
@given(any_text)
def test_tokens_are_non_empty_and_survive_normalising(s):
    tokens = tokenize(normalize(s))
    assert all(tokens)
    assert tokenize(normalize(" ".join(tokens))) == tokens


def insert_marks(text: str, data) -> str:
    """``text`` with harakat/tatweel inserted after some of its Arabic letters."""
    out = []
    for ch in text:
        out.append(ch)
        if ch in ARABIC_LETTERS and data.draw(st.booleans(), label="mark here"):
            out.append("".join(data.draw(st.lists(st.sampled_from(MARKS), min_size=1, max_size=3), label="marks")))
    return "".join(out)


@SETTINGS
@given(arabic_text, st.data())
def test_marks_inside_words_change_no_token(text, data):
    marked = insert_marks(text, data)
    assert tokenize(normalize(marked)) == tokenize(normalize(text))
    assert len(tokenize(marked)) == len(tokenize(text))   # marks never split a raw word either


# -- grouping and counting -----------------------------------------------------------------------

def counts_of(texts: list[str], res) -> list:
    grouper = Grouper.build(norm_counts(texts), res)
    matcher = EntityMatcher(res.gazetteer, grouper)
    out = []
    for t in texts:
        c = count_article(t, grouper, matcher)
        out.append((c.words, dict(c.terms), dict(c.mentions), dict(c.variants)))
    return out


@FEW
@given(st.lists(arabic_text, min_size=1, max_size=4), st.data())
def test_marks_and_tatweel_change_no_count(res, texts, data):
    """Word counts, term keys (1–3-grams), mentions and alias spellings are those of the bare text,
    with the grouping decided from the marked corpus's own vocabulary."""
    marked = [insert_marks(t, data) for t in texts]
    assert counts_of(marked, res) == counts_of(texts, res)


@SETTINGS
@given(st.lists(any_text, min_size=1, max_size=3))
@example(["A'À l'État"])   # found here: the clause rule split at an apostrophe the tokenizer keeps
def test_grouping_and_counting_never_crash(res, texts):
    vocab = norm_counts(texts)
    grouper = Grouper.build(vocab, res)
    matcher = EntityMatcher(res.gazetteer, grouper)
    for t in texts:
        c = count_article(t, grouper, matcher)
        assert c.words == len(tokenize(normalize(t)))
        assert all(n in (1, 2, 3) and key and c.terms[(n, key)] > 0 for n, key in c.terms)
        unigrams = sum(v for (n, _k), v in c.terms.items() if n == 1)
        assert unigrams <= c.words
        assert sum(vocab.values()) >= c.words


# -- the readers -----------------------------------------------------------------------------------

def check_loaded(result) -> None:
    for p in result.problems:
        assert p.reason in PROBLEM_REASONS, p
        assert p.file
    for a in result.articles:
        assert a.text.strip() and a.id


def streamed(path: Path) -> tuple[int, list]:
    s = stream([path])
    n = sum(1 for _ in s.records)
    return n, s.assembler.problems


@pytest.mark.parametrize("ext", [".jsonl", ".csv", ".txt", ".tsv", ".json", ".zip", ".gz", ".jsonl.gz", ".csv.gz"])
@FEW
@given(data=st.binary(max_size=2000))
def test_readers_never_crash_on_arbitrary_bytes(tmp_path_factory, ext, data):
    path = tmp_path_factory.mktemp("bytes") / f"input{ext}"
    path.write_bytes(data)
    check_loaded(load([path]))
    check_loaded(load_bytes(path.name, data))
    n, problems = streamed(path)
    assert all(p.reason in PROBLEM_REASONS for p in problems)


text_lines = st.lists(any_text, max_size=8)


@FEW
@given(lines=text_lines, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1256"]))
def test_readers_never_crash_on_arbitrary_text_files(tmp_path_factory, lines, encoding):
    folder = tmp_path_factory.mktemp("text")
    body = "\n".join(lines)
    raw = body.encode(encoding, errors="replace") if encoding == "cp1256" else body.encode(encoding)
    for name in ("a.jsonl", "b.csv", "c.txt", "d.tsv"):
        (folder / name).write_bytes(raw)
    (folder / "e.jsonl.gz").write_bytes(gzip.compress(raw))
    check_loaded(load([folder]))
    assert all(p.reason in PROBLEM_REASONS for p in streamed(folder)[1])


@FEW
@given(members=st.lists(st.tuples(any_text.filter(bool), st.binary(max_size=300)), max_size=5))
def test_zip_with_arbitrary_member_names_and_bytes(tmp_path_factory, members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members:
            zf.writestr(name.replace("\x00", "") or "x", data)
    path = tmp_path_factory.mktemp("zip") / "up.zip"
    path.write_bytes(buf.getvalue())
    result = load([path])
    check_loaded(result)
    assert all(a.source_file.startswith(f"{path}:") for a in result.articles)
    check_loaded(load_bytes("up.zip", buf.getvalue()))


# -- the CSV export --------------------------------------------------------------------------------

cell = st.one_of(any_text, st.sampled_from(["=1+2", "+33", "-5", "@SUM(A1)", "\tx", "\rx", "＝1", "'=x", ""]))


def expected_cell(v: str) -> str:
    return "'" + v if v.startswith(_FORMULA_START) else v


@SETTINGS
@given(st.lists(st.tuples(cell, cell, st.integers(-10**12, 10**12)), min_size=1, max_size=12))
def test_csv_export_round_trips(rows):
    df = pd.DataFrame(rows, columns=["النص", "outlet", "n"])
    back = pd.read_csv(io.BytesIO(csv_bytes(df)), dtype={"النص": str, "outlet": str}, keep_default_na=False,
                       encoding="utf-8-sig")
    assert list(back.columns) == ["النص", "outlet", "n"]
    assert back["النص"].tolist() == [expected_cell(r[0]) for r in rows]
    assert back["outlet"].tolist() == [expected_cell(r[1]) for r in rows]
    assert back["n"].tolist() == [r[2] for r in rows]   # numbers stay numbers (a negative one too)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(-1, 3), st.integers(1, 4), st.integers(1, 3)), max_size=60),
       st.integers(0, 8))
def test_each_codes_top_rows_are_its_first_rows_of_the_full_sort(rows, limit):
    """keywords' per-outlet pick (a partition, then a sort of the candidates) keeps, for every code >= 0, the
    first ``limit`` rows of the sort of every row by count and articles (descending) and term id, ties
    included; rows of code -1 (no outlet) never."""
    import numpy as np

    from core.analysis.keywords import _top_rows_per_code

    codes = np.array([r[0] for r in rows], dtype=np.int8)
    cnt = np.array([r[1] for r in rows], dtype=np.int64)
    art = np.array([r[2] for r in rows], dtype=np.int64)
    tid = np.arange(len(rows), dtype=np.int32)[::-1].copy()
    order = [i for i in sorted(range(len(rows)), key=lambda i: (codes[i], -cnt[i], -art[i], tid[i])) if codes[i] >= 0]
    want, seen = [], {}
    for i in order:
        seen[codes[i]] = seen.get(codes[i], 0) + 1
        if seen[codes[i]] <= limit:
            want.append(i)
    assert _top_rows_per_code(codes, cnt, art, tid, limit).tolist() == want


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 5000), max_size=300))
def test_unique_ids_equal_numpys_unique_with_its_inverse(ids):
    """The term-id dedup of the outlet comparisons is numpy's ``unique(return_inverse=True)``, for any ids."""
    import numpy as np

    from core.analysis.distinctive import unique_ids

    arr = np.array(ids, dtype=np.int32)
    got, place = unique_ids(arr)
    want, inverse = np.unique(arr, return_inverse=True)
    assert got.tolist() == want.tolist() and place.tolist() == inverse.tolist()
