"""Print the CLDR part of core/resources/gazetteer.yaml (countries and time-zone exemplar cities).

Source: the Unicode CLDR locale data (Unicode License v3, permissive), as shipped in the ``babel``
package (BSD).  babel is NOT a dependency of Marsad: run this once, by hand, where babel is
installed (``pip install --target /tmp/babelpkg babel``; ``PYTHONPATH=/tmp/babelpkg python
scripts/gazetteer_cldr.py``), and paste its output into the gazetteer.  Names already in the
gazetteer (any form) and names that are also ordinary Arabic words are left out (listed below).
"""
import re
import sys
from pathlib import Path

from babel import Locale

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from core.resources import load_gazetteer, DEFAULT_DIR  # noqa: E402

#: Countries whose Arabic name is also an everyday word (مالي "financial", بنين "boys", عُمان/عمّان
#: Oman/Amman), or which the gazetteer already has under another English name.
SKIP_COUNTRIES = {"ML", "BJ", "OM", "PS", "TR", "MM", "EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "XK", "AQ"}
#: Time-zone exemplar cities kept (capitals and large cities likely in news); others are left out.
CITIES = """Africa/Addis_Ababa Africa/Asmara Africa/Dakar Africa/Dar_es_Salaam Africa/Nairobi Africa/Kinshasa
Africa/Lagos Africa/Johannesburg Africa/Kampala Africa/Kigali Africa/Casablanca Africa/Nouakchott Africa/Juba
Africa/Ndjamena Africa/Niamey Africa/Bamako America/New_York America/Chicago America/Los_Angeles America/Havana
America/Caracas America/Bogota America/Lima America/Santiago America/Buenos_Aires America/Sao_Paulo
America/Mexico_City America/Toronto Asia/Muscat Asia/Karachi Asia/Kolkata Asia/Dhaka Asia/Colombo
Asia/Kathmandu Asia/Jakarta Asia/Kuala_Lumpur Asia/Manila Asia/Bangkok Asia/Shanghai Asia/Hong_Kong
Asia/Taipei Asia/Tashkent Asia/Samarkand Asia/Baku Asia/Tbilisi Asia/Yerevan Asia/Almaty Asia/Nicosia
Asia/Yangon Europe/Amsterdam Europe/Athens Europe/Belgrade Europe/Bucharest Europe/Budapest
Europe/Copenhagen Europe/Dublin Europe/Lisbon Europe/Madrid Europe/Minsk Europe/Oslo Europe/Prague
Europe/Sofia Europe/Stockholm Europe/Warsaw Europe/Zurich Europe/Vatican Europe/Sarajevo
Australia/Sydney Australia/Melbourne""".split()


def main() -> None:
    have = {f for e in load_gazetteer(DEFAULT_DIR / "gazetteer.yaml") for f in e.norm_forms}
    have_en = {e.name_en.lower() for e in load_gazetteer(DEFAULT_DIR / "gazetteer.yaml")}
    from core.arabic import normalize, tokenize

    def norm(s):
        return " ".join(tokenize(normalize(s)))

    ar, en = Locale("ar"), Locale("en")
    print("# --- countries (CLDR territory names) ---")
    for code, name in sorted(ar.territories.items(), key=lambda kv: kv[1]):
        if not re.fullmatch(r"[A-Z]{2}", code) or code in SKIP_COUNTRIES:
            continue
        name = re.sub(r"\s*\(.*?\)", "", name).strip()
        if "،" in name or norm(name) in have or en.territories[code].lower() in have_en:
            continue
        have.add(norm(name))
        print(f"- {{name: {name}, name_en: {en.territories[code]}, type: place}}")
    print("# --- cities (CLDR exemplar cities of time zones) ---")
    for zone in CITIES:
        city = ar.time_zones.get(zone, {}).get("city")
        if not city or norm(city) in have:
            continue
        have.add(norm(city))
        en_city = zone.split("/")[-1].replace("_", " ")
        print(f"- {{name: {city}, name_en: {en_city}, type: place}}")


if __name__ == "__main__":
    main()
