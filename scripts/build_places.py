"""Build assets/catalog/places.json: every postal place (poststed) in Nordland → its municipality.

Where the data comes from
-------------------------
1. Posten Norge / Bring, *Postnummerregister* (the official register of Norwegian postcodes and postal
   places, each with the number of the municipality it lies in), file ``Postnummerregister-ansi.txt``
   published at https://www.bring.no/postnummerregister-ansi.txt (tab-separated, Windows-1252:
   postcode, postal place, municipality number, municipality name, category G/P/B/S).
   This machine cannot reach bring.no, so the file was read as a verbatim copy that a scheduled GitHub
   "Flat Data" action downloaded from that URL on 2024-10-01T12:22:31Z:
   repository https://github.com/mahdiislam/postal-norge, commit
   fc14e9448a5b9b725a2da8cc7bd03dac2bbee2f9, path ``postnummerregister-ansi.txt``
   (SHA-256 below). To get it again::

       git clone https://github.com/mahdiislam/postal-norge
       git -C postal-norge show fc14e9448a5b9b725a2da8cc7bd03dac2bbee2f9:postnummerregister-ansi.txt \
           > Postnummerregister-ansi.txt

2. A newer copy of the same register (postcodes as of 2026-01-05), used only to pick up postal places
   that Posten renamed or added after October 2024 (e.g. 8275 Storjord i Tysfjord → Storjorda i
   Tysfjorden); older names are kept as ``former_names`` so both spellings are found. It is a
   third-party redistribution (MIT licence) that does not name its upstream:
   https://github.com/aprestmo/norway-geodata, commit 97b15cd65b3ae43890bac5a3bc3c82343ba1d152,
   path ``data/postal-codes-2026.json``. Optional: without it the 2024 register alone is used.

Both files were read on 2026-11-30 (``retrieved`` in the output). The raw files are not committed
(they cover all of Norway and are someone else's copies); the SHA-256 sums below pin the exact input,
and the script refuses another file until SOURCES is updated to describe it.

Postal names in the register are upper case; the display name is derived deterministically
(each word capitalised, hyphenated parts too; "i", "på", "ved", "og", "av" stay lower case after the
first word), and checked against the mixed-case names of the newer copy where both exist.

What the list is not: it holds Posten's postal places, which cover every address in Nordland, but not
smaller settlements, suburbs or Sámi place names that have no postal place of their own (SSB's urban
settlements and Kartverket's place-name register, SSR, could not be read from here). The output says so
(``"complete": false``).

Usage::

    .venv/bin/python scripts/build_places.py --register Postnummerregister-ansi.txt \
        [--newer postal-codes-2026.json] [--out assets/catalog/places.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUNICIPALITIES_FILE = ROOT / "assets" / "catalog" / "municipalities.json"
DEFAULT_OUT = ROOT / "assets" / "catalog" / "places.json"
COUNTY_PREFIX = "18"  # Nordland's municipality numbers are 1804–1875 since 2020
RETRIEVED = "2026-11-30"  # the day the files below were read

SOURCES = {
    "register": {
        "id": "bring-postnummerregister-2024-10-01",
        "name": "Posten Norge / Bring: Postnummerregister (postcodes, postal places, municipality numbers)",
        "publisher": "Posten Norge AS (Bring)",
        "url": "https://www.bring.no/postnummerregister-ansi.txt",
        "register_date": "2024-10-01",
        "copy": {
            "repository": "https://github.com/mahdiislam/postal-norge",
            "commit": "fc14e9448a5b9b725a2da8cc7bd03dac2bbee2f9",
            "path": "postnummerregister-ansi.txt",
            "note": "verbatim download of the url above by a scheduled GitHub Flat Data action, "
            "2024-10-01T12:22:31Z",
        },
        "sha256": "525a1c1aec3683bca3f34a0be52de2b3d16be0e93013c70d034b0da34af08e0f",
        "licence": "Published by Posten/Bring for free download; no licence text accompanies the file. "
        "Attribution: 'Postnummerregister, Posten Norge AS (Bring)'. Confirm terms before release.",
    },
    "newer": {
        "id": "postnummerregister-copy-2026-01-05",
        "name": "Postcodes and postal places as of 2026-01-05 (third-party copy of Posten's register)",
        "publisher": "Alexander Prestmo (norway-geodata); upstream not stated",
        "url": "https://github.com/aprestmo/norway-geodata",
        "register_date": "2026-01-05",
        "copy": {
            "repository": "https://github.com/aprestmo/norway-geodata",
            "commit": "97b15cd65b3ae43890bac5a3bc3c82343ba1d152",
            "path": "data/postal-codes-2026.json",
            "note": "used only for postal places renamed or added since 2024-10-01",
        },
        "sha256": "8211d8f54473d947f36c52e8db899a47ce4cb35ed9d88fc6a449295333c65ed4",
        "licence": "MIT (Copyright (c) 2025 Alexander Prestmo)",
    },
}

SMALL_WORDS = {"I", "PÅ", "VED", "OG", "AV"}


class BuildError(Exception):
    """The input is not what SOURCES describes, or it disagrees with municipalities.json."""


def display_name(postal_name: str) -> str:
    """'MO I RANA' → 'Mo i Rana', 'NORD-SOLVÆR' → 'Nord-Solvær' (deterministic, see module doc)."""
    words = postal_name.split()
    out = []
    for i, word in enumerate(words):
        if i > 0 and word in SMALL_WORDS:
            out.append(word.lower())
        else:
            out.append("-".join(part[:1] + part[1:].lower() for part in word.split("-")))
    return " ".join(out)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check_hash(path: Path, source: dict) -> None:
    digest = _sha256(path)
    if digest != source["sha256"]:
        raise BuildError(
            f"{path} has SHA-256 {digest}, not the {source['sha256']} that SOURCES[{source['id']!r}] "
            "describes: update SOURCES (url, dates, copy, sha256) for the new file first"
        )


def read_register(path: Path) -> dict[str, tuple[str, int, str]]:
    """Postcode → (postal name, municipality number, category) for Nordland, from Bring's ANSI file."""
    _check_hash(path, SOURCES["register"])
    rows: dict[str, tuple[str, int, str]] = {}
    for line_no, line in enumerate(path.read_text(encoding="cp1252").splitlines(), 1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 5:
            raise BuildError(f"{path}:{line_no}: expected 5 tab-separated fields, got {len(fields)}")
        postcode, name, municipality, _municipality_name, category = (f.strip() for f in fields)
        if municipality.startswith(COUNTY_PREFIX):
            rows[postcode] = (name, int(municipality), category)
    return rows


def read_newer(path: Path) -> dict[str, tuple[str, int]]:
    """Postcode → (mixed-case postal name, municipality number) for Nordland, from the 2026 copy."""
    _check_hash(path, SOURCES["newer"])
    rows: dict[str, tuple[str, int]] = {}
    for item in json.loads(path.read_text(encoding="utf-8")):
        if str(item["id"]).startswith(COUNTY_PREFIX):
            rows[str(item["code"])] = (str(item["place"]).strip(), int(item["id"]))
    return rows


def build(register: dict[str, tuple[str, int, str]], newer: dict[str, tuple[str, int]] | None) -> dict:
    """The places.json document (sorted, so the same input always gives the same bytes)."""
    municipalities = {
        m["number"]: m["name"] for m in json.loads(MUNICIPALITIES_FILE.read_text("utf-8"))["municipalities"]
    }
    reg_id = SOURCES["register"]["id"]
    new_id = SOURCES["newer"]["id"]
    warnings: list[str] = []

    # postcode → (display name, municipality, category, seen in which sources, former display name)
    per_code: dict[str, dict] = {}
    for code, (upper, number, category) in register.items():
        per_code[code] = {
            "name": display_name(upper),
            "upper": upper,
            "municipality": number,
            "category": category,
            "seen_in": {reg_id},
            "former": None,
        }
    if newer is not None:
        for code, (cased, number) in newer.items():
            if display_name(cased.upper()) != cased:
                warnings.append(
                    f"{code}: casing rule gives {display_name(cased.upper())!r}, copy has {cased!r}"
                )
            entry = per_code.get(code)
            if entry is None:
                per_code[code] = {
                    "name": cased,
                    "upper": cased.upper(),
                    "municipality": number,
                    "category": None,
                    "seen_in": {new_id},
                    "former": None,
                }
                continue
            if entry["municipality"] != number:
                warnings.append(f"{code}: municipality {entry['municipality']} (2024) → {number} (2026)")
                entry["municipality"] = number
            if entry["upper"] != cased.upper():
                entry["former"] = entry["name"]
                entry["name"], entry["upper"] = cased, cased.upper()
            entry["seen_in"].add(new_id)

    unknown = sorted({e["municipality"] for e in per_code.values()} - set(municipalities))
    if unknown:
        raise BuildError(f"municipality numbers not in municipalities.json: {unknown}")

    by_name: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for code, entry in per_code.items():
        by_name[entry["name"]].append((code, entry))

    places = []
    for name, entries in by_name.items():
        # A place belongs where most of its postcodes are (street-address codes count double);
        # ties go to the lowest number.
        weight = Counter()
        for _code, e in entries:
            weight[e["municipality"]] += 2 if e["category"] in ("G", "B", None) else 1
        primary = min(weight, key=lambda n: (-weight[n], n))
        place = {
            "name": name,
            "municipality": primary,
            "postal_name": entries[0][1]["upper"],
            "postcodes": sorted(code for code, _e in entries),
        }
        others = sorted(set(weight) - {primary})
        if others:
            place["also_in_municipalities"] = others
        former = sorted({e["former"] for _c, e in entries if e["former"]})
        if former:
            place["former_names"] = former
        place["seen_in"] = sorted(set().union(*(e["seen_in"] for _c, e in entries)))
        places.append(place)
    places.sort(key=lambda p: (p["name"].casefold(), p["municipality"]))

    missing = sorted(set(municipalities) - {p["municipality"] for p in places})
    sources = [SOURCES["register"]] + ([SOURCES["newer"]] if newer is not None else [])
    return {
        "description": "Postal places (poststeder) in Nordland and the municipality each lies in, so that "
        "the municipality search finds towns and villages (Mo i Rana → Rana).",
        "source": sources,
        "retrieved": RETRIEVED,
        "checked": RETRIEVED,
        "attribution": "Postnummerregister © Posten Norge AS (Bring)",
        "complete": False,
        "completeness_note": "Every postal place in Posten's register for Nordland (which covers every "
        "address) is listed, but not smaller settlements, suburbs and villages without a postal place of "
        "their own, nor Sámi place names (the register has none). SSB's urban settlements (tettsteder) and "
        "Kartverket's place-name register (SSR, CC BY 4.0) would add them; neither could be read when this "
        "was built. Display names are derived from the register's upper-case names (see "
        "scripts/build_places.py).",
        "municipalities_without_place": missing,
        "builder": "scripts/build_places.py",
        "warnings": warnings,
        "places": places,
    }


def dump(document: dict) -> str:
    """JSON with one place per line: small diffs when the register changes."""
    head = {k: v for k, v in document.items() if k != "places"}
    text = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
    lines = [json.dumps(p, ensure_ascii=False) for p in document["places"]]
    return text + ',\n "places": [\n  ' + ",\n  ".join(lines) + "\n ]\n}\n"


def main(argv: list[str] | None = None) -> int:
    """Command line: read the raw register file(s), write places.json, print a summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--register", type=Path, required=True, help="Bring's Postnummerregister-ansi.txt")
    parser.add_argument("--newer", type=Path, help="postal-codes-2026.json (optional, see module doc)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    try:
        register = read_register(args.register)
        newer = read_newer(args.newer) if args.newer else None
        document = build(register, newer)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    args.out.write_text(dump(document), encoding="utf-8")
    codes = sum(len(p["postcodes"]) for p in document["places"])
    print(f"{len(document['places'])} places with {codes} Nordland postcodes → {args.out}")
    for warning in document["warnings"]:
        print(f"warning: {warning}")
    if document["municipalities_without_place"]:
        print(f"municipalities without a postal place: {document['municipalities_without_place']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
