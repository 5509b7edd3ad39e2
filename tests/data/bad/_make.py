"""Writes the bad-input corpus of tests/data/bad/ (run once: ``.venv/bin/python tests/data/bad/_make.py``).

Every file is tiny; the two bombs expand to 2 MiB at most and trip the caps because
tests/test_bad_inputs.py lowers them (MANIFEST.json "caps").  The good articles are crafted
sentences, one distinct sentence per article, so no good article is a duplicate of another."""
from __future__ import annotations

import gzip
import json
import stat
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

SUBJECTS = ["وزير الخارجية", "المتحدث باسم الحكومة", "رئيس البرلمان", "وزارة الصحة", "المصرف المركزي",
            "نقابة المعلمين", "الهلال الأحمر", "وزير الاقتصاد", "محافظ المدينة", "وزارة الزراعة",
            "هيئة الطيران", "اتحاد الكرة", "وزير التعليم", "الدفاع المدني", "غرفة التجارة",
            "وزارة النقل", "مجلس الوزراء", "وزير الطاقة", "بلدية العاصمة", "هيئة الأرصاد",
            "وزير العدل", "جامعة الدولة", "مديرية الآثار", "وزير السياحة", "شركة الكهرباء",
            "وزارة المياه", "لجنة الانتخابات", "وزير الإسكان", "هيئة الاستثمار", "مكتب الإحصاء"]
VERBS = ["أعلن", "أكد", "نفى", "أوضح", "كشف"]
OBJECTS = ["خطة جديدة لتطوير الخدمات في المحافظات الشمالية", "نتائج الاجتماع الدوري مع ممثلي القطاع الخاص",
           "موعد افتتاح المشروع الذي طال انتظاره", "أرقام الربع الأول من العام الجاري",
           "تفاصيل الاتفاق الموقع مع الشركاء الإقليميين"]

_n = 0


def sentence() -> str:
    """A new, distinct article text each call."""
    global _n
    s, v, o = SUBJECTS[_n % len(SUBJECTS)], VERBS[(_n // len(SUBJECTS)) % len(VERBS)], OBJECTS[_n % len(OBJECTS)]
    _n += 1
    return f"{v} {s} اليوم {o}، وقال إن العمل سيستمر خلال الأسابيع المقبلة وفق الجدول المعلن."


def jsonl(rows) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


STAMP = (2020, 1, 1, 0, 0, 0)   # fixed, so running this again writes the same bytes


def special(name: str, mode: int, data: bytes = b"") -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name, STAMP)
    info.create_system = 3
    info.external_attr = mode << 16
    return info, data


def write_zip(path: Path, members) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(zipfile.ZipInfo(name, STAMP), data, zipfile.ZIP_DEFLATED)


def main() -> None:
    w = HERE
    # encodings
    (w / "cp1256_line.jsonl").write_bytes(
        (json.dumps({"id": "enc1", "text": sentence()}, ensure_ascii=False) + "\n").encode("utf-8")
        + (json.dumps({"id": "enc2", "text": sentence()}, ensure_ascii=False) + "\n").encode("cp1256")
        + (json.dumps({"id": "enc3", "text": sentence()}, ensure_ascii=False) + "\n").encode("utf-8"))
    (w / "latin1_byte.csv").write_bytes(
        f"id,text\nlat1,{sentence()}\nlat2,".encode("utf-8") + "Café ".encode("latin-1")
        + f"{sentence()}\nlat3,{sentence()}\n".encode("utf-8"))
    # CSV syntax
    (w / "unterminated_quote.csv").write_text(
        f'id,text\nq1,"{sentence()}"\nq2,"{sentence()}\nq3,{sentence()}\n', encoding="utf-8")
    (w / "stray_quote.csv").write_text(
        f'id,text\ns1,{sentence()}\ns2,قال "نعم" ثم {sentence()}\ns3,{sentence()}\n', encoding="utf-8")
    (w / "header_only.csv").write_text("id,text,outlet,date\n", encoding="utf-8")
    (w / "no_text_rows.csv").write_text(f"id,text\nt1,{sentence()}\nt2,\nt3,   \nt4,{sentence()}\n", encoding="utf-8")
    # JSON Lines
    (w / "broken_line.jsonl").write_text(
        jsonl([{"id": "b1", "text": sentence()}]) + '{"id": "b2", "text": "نص مقطوع\n'
        + jsonl([{"id": "b3", "text": sentence()}]), encoding="utf-8")
    dup = sentence()
    (w / "duplicate_row.jsonl").write_text(
        jsonl([{"id": "d1", "text": dup}, {"id": "d2", "text": dup}, {"id": "d3", "text": sentence()}]), encoding="utf-8")
    (w / "invisible_outlet.jsonl").write_text(
        jsonl([{"id": "v1", "text": sentence(), "outlet": "\u200b\u200f\u2067\u2069"},
               {"id": "v2", "text": sentence(), "outlet": "سانا"}]), encoding="utf-8")
    # whole files
    (w / "empty.txt").write_bytes(b"")
    (w / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (w / "report.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 60)
    (w / "letter.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 60)
    # zip members
    write_zip(w / "traversal.zip", [("../escape.txt", sentence()), ("corpus/zt_ok.txt", sentence())])
    write_zip(w / "absolute.zip", [("/etc/escape.txt", sentence()), ("za_ok.txt", sentence())])
    with zipfile.ZipFile(w / "symlink.zip", "w") as zf:
        zf.writestr(*special("corpus/link.txt", stat.S_IFLNK | 0o777, b"../../etc/passwd"))
        zf.writestr(zipfile.ZipInfo("corpus/zs_ok.txt", STAMP), sentence())
    with zipfile.ZipFile(w / "device.zip", "w") as zf:
        zf.writestr(*special("corpus/fifo.txt", stat.S_IFIFO | 0o644))
        zf.writestr(*special("corpus/disk.txt", stat.S_IFBLK | 0o644))
        zf.writestr(zipfile.ZipInfo("corpus/zd_ok.txt", STAMP), sentence())
    # bombs (512 KiB and 2 MiB of zeros, ~1000:1; the caps are lowered by the test)
    write_zip(w / "zip_bomb.zip", [("bomb.txt", b"0" * (512 << 10)), ("zb_ok.txt", sentence())])
    with open(w / "gzip_bomb.jsonl.gz", "wb") as f:
        f.write(gzip.compress(b" " * (2 << 20), 9, mtime=0))


if __name__ == "__main__":
    main()
