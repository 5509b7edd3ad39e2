"""Encodings: real Arabic text written in each encoding must come back exactly; binary and
unreadable bytes must be reported, never loaded as garbage."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from core.ingest import load, load_bytes
from core.ingest.encoding import NotText, Undecodable, decode_bytes, letter_likelihood, plausibility

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
SEEDS = sorted(SAMPLE.glob("*.txt"))
ENCODABLE_IN_SINGLE_BYTE = SEEDS[:4]  # seed 004 holds characters outside cp1256/ISO-8859-6


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_unicode_encodings_round_trip(tmp_path, seed, encoding):
    text = seed.read_text(encoding="utf-8")
    path = _write(tmp_path, seed.name, text.encode(encoding))
    result = load(path)
    assert result.problems == []
    assert result.articles[0].text_original == text


@pytest.mark.parametrize("encoding", ["cp1256", "iso8859_6"])
@pytest.mark.parametrize("seed", ENCODABLE_IN_SINGLE_BYTE, ids=lambda p: p.name[:3])
def test_arabic_single_byte_encodings_round_trip(tmp_path, seed, encoding):
    text = seed.read_text(encoding="utf-8")
    data = text.encode(encoding)
    assert data.decode("cp1256") != text or encoding == "cp1256"  # a blind cp1256 decode would be wrong
    decoded, used = decode_bytes(data)
    assert (decoded, used) == (text, encoding)
    result = load(_write(tmp_path, seed.name, data))
    assert result.articles[0].text_original == text


def test_iso8859_6_read_as_cp1256_is_recognised_as_garbage():
    raw = "قال وزير الخارجية الروسي إن العلاقات في أدنى مستوياتها".encode("iso8859_6")
    wrong, right = raw.decode("cp1256"), raw.decode("iso8859_6")
    assert "è" in wrong or "ê" in wrong             # و and ي become Latin letters
    assert plausibility(right) > 0.85 > plausibility(wrong)
    assert letter_likelihood(right) > letter_likelihood(wrong)


def test_short_cp1256_line_without_commas_is_still_cp1256():
    text = "أعلنت إثيوبيا وإريتريا انتهاء الحرب بينهما رسميا"
    assert decode_bytes(text.encode("cp1256")) == (text, "cp1256")


def test_metadata_csv_in_cp1256_is_read(tmp_path):
    (tmp_path / "a.txt").write_bytes("قال الوزير إن الاجتماع كان مفيدا.".encode("cp1256"))
    (tmp_path / "metadata.csv").write_bytes("file,outlet,date\na.txt,قاسيون,2017-04-12\n".encode("cp1256"))
    result = load(tmp_path)
    assert result.problems == []
    assert result.articles[0].outlet == "قاسيون"


def test_png_renamed_txt_is_not_text(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    result = load(_write(tmp_path, "photo.txt", png))
    assert result.articles == []
    [problem] = result.problems
    assert (problem.file, problem.row, problem.reason) == (str(tmp_path / "photo.txt"), None, "not-text")
    assert "PNG" in problem.detail


def test_nul_bytes_are_not_text():
    with pytest.raises(NotText):
        decode_bytes(b"abc\x00\x01\x02\x03\x00\xff\xfe\x00\x10\x11\x00\x00\x00")


def test_random_high_bytes_are_undecodable(tmp_path):
    rng = random.Random(7)
    data = bytes(b for b in rng.randbytes(3000) if b >= 0x80)
    with pytest.raises(Undecodable):
        decode_bytes(data)
    result = load(_write(tmp_path, "noise.txt", data))
    assert [p.reason for p in result.problems] == ["undecodable"]


@pytest.mark.parametrize("data", [b"", b"   \n\t\n", "\u00a0\u200b\u200f \n".encode("utf-8"), b"\xef\xbb\xbf"])
def test_empty_and_blank_files_are_reported_empty(tmp_path, data):
    result = load(_write(tmp_path, "blank.txt", data))
    assert result.articles == []
    assert [(p.reason, p.row) for p in result.problems] == [("empty", None)]


def test_one_bad_file_does_not_cost_the_others(tmp_path):
    _write(tmp_path, "a.txt", "قال الوزير إن الاجتماع كان مفيدا.".encode("utf-8"))
    _write(tmp_path, "b.txt", b"\x89PNG\r\n\x1a\n" + bytes(100))
    _write(tmp_path, "c.txt", "أكد المتحدث أن المحادثات ستستمر.".encode("utf-16"))
    result = load(tmp_path)
    assert sorted(a.id for a in result.articles) == ["a", "c"]
    assert [(Path(p.file).name, p.reason) for p in result.problems] == [("b.txt", "not-text")]


def test_load_bytes_decodes_an_upload():
    text = "قال لافروف في موسكو إن المحادثات كانت صريحة."
    result = load_bytes("upload.txt", text.encode("iso8859_6"))
    assert [a.text_original for a in result.articles] == [text]
    assert result.articles[0].source_file == "upload.txt"
