"""Write corpus.jsonl: ANT excerpt bodies re-dressed as two fictional outlets with page furniture
nobody wrote a rule for (the same bytes on every run).  Run: python tests/data/furniture/_make.py"""
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXCERPT = HERE.parent / "ant_excerpt.jsonl"
CITIES = ["الرياض", "جدة", "الدمام", "مكة المكرمة", "أبها", "تبوك", "بريدة", "الطائف"]
TAGS = ["السعودية", "الاقتصاد", "النفط", "الرياضة", "التعليم", "الصحة", "المرور", "الطقس", "الثقافة"]


def bodies():
    seen = set()
    for line in EXCERPT.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = (row.get("text") or "").strip()
        paras = [p.strip() for p in text.split("\n") if len(p.split()) >= 12]
        if len(paras) >= 2 and row.get("title") and text not in seen:
            seen.add(text)
            yield row["title"].strip(), paras[:4], row["date"][:10]


def main():
    rnd = random.Random(20261202)
    rows = []
    for i, (title, paras, date) in enumerate(bodies()):
        if i >= 50:
            break
        if i < 40:   # "الأفق": every kind of furniture
            first = f"{rnd.choice(CITIES)} - الأفق: {paras[0]}"
            last = f"{paras[-1]} (وكالة الأفق) {rnd.randint(0, 23):02d}:{rnd.randint(0, 59):02d} ت م"
            lines = [first, *paras[1:-1], last]
            if i % 2 == 0:
                lines.append("الوسوم: " + "، ".join(rnd.sample(TAGS, 3)))
            lines.append("التالي السابق")
            if i % 4 == 1:
                lines += [f"للتواصل مع الكاتب أرسل رسالة SMS تبدأ بالرمز ({rnd.randint(10, 999)}) إلى 88{rnd.randint(100, 999)}"]
            lines.append("تابعوا آخر الأخبار على موقع الأفق www.alofoq.example")
            outlet = "الأفق"
        else:        # "النجمة": no furniture; a closing line three of its articles share stays content
            lines = list(paras)
            if i in (41, 43, 45):
                lines.append("وتبقى الأسئلة مفتوحة حول مستقبل هذا الملف في الأشهر المقبلة.")
            outlet = "النجمة"
        rows.append({"id": f"f{i:03d}", "outlet": outlet, "date": date, "title": title, "text": "\n".join(lines)})
    # the same text in two outlets: reuse, not a duplicate (both are kept)
    rows.append({**rows[45], "id": "f900", "outlet": "الأفق", "text": rows[45]["text"]})
    # the same text twice in one outlet: a duplicate
    rows.append({**rows[46], "id": "f901"})
    with open(HERE / "corpus.jsonl", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
