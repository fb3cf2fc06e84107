"""From the directory's records to the organisations Allmende keeps, and the names that
certainly mean one of them. Pure functions over plain values; nothing here writes.

Which records become organisations:

- a Land (10) → kind ``state``, official type "Land", key 2 digits (``01`` … ``16``);
- a Kreis (40) → kind ``district``, key 5 digits as the directory gives it (``03159``), type
  Kreis, Landkreis or Regionalverband — except a kreisfreie Stadt or Stadtkreis (text key 41,
  42): the same body is listed again as a Gemeinde, and it is kept once, as that Gemeinde;
- a Gemeinde (60) → kind ``municipality``, key the 8-digit AGS, type Gemeinde, Stadt, Markt,
  kreisfreie Stadt, Stadtkreis or Große Kreisstadt, with its Kreis as ``district`` (none for a
  kreisfreie Stadt), its area and population. Unincorporated areas (gemeindefreie Gebiete,
  65 and 66: forests, lakes) are no body anyone speaks for and are left out.

Regierungsbezirke, Regionen and Gemeindeverbände (Ämter, Verbandsgemeinden …) are read but not
kept: no organisation kind fits them yet. The keys keep the directory's own lengths, so the
Land Berlin (``11``), the Kreis Berlin (``11000``) and the Gemeinde Berlin (``11000000``) never
collide. Population and area of a Land or Kreis are the sums over its Gemeinden (the directory
gives figures for Gemeinden only), unincorporated areas included.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from registry.normalise import slugify

from .gv100ad import TEXT_KEYS, DirectoryError, Record

KREISFREI = ("41", "42")
"""Text keys of a Kreis that is one city (listed again as a Gemeinde with 61 or 62)."""
UNINCORPORATED = ("65", "66")
ABBREVIATIONS = {"st": "Stadt", "m": "Markt", "gkst": "Große Kreisstadt"}
"""Bavaria's short designations after the comma ("Aichach, St")."""
DESIGNATIONS = {
    "Gemeinde": ("Gemeinde",),
    "Markt": ("Markt", "Marktgemeinde"),
    "Stadt": ("Stadt",),
    "Große Kreisstadt": ("Stadt", "Große Kreisstadt"),
    "kreisfreie Stadt": ("Stadt", "kreisfreie Stadt"),
    "Stadtkreis": ("Stadt", "Stadtkreis"),
    "Kreis": ("Kreis",),
    "Landkreis": ("Landkreis",),
    "Regionalverband": ("Regionalverband",),
    "Land": ("Land", "Bundesland"),
}
"""What people write before a name to say which body they mean ("Stadt Eberbach")."""
FREISTAATEN = ("Bayern", "Sachsen", "Thüringen")


@dataclass(frozen=True, slots=True)
class OfficialOrganisation:
    official_key: str
    name: str
    kind: str
    official_type: str | None
    state: str | None
    district: str | None
    population: int | None
    area_km2: float | None
    line: int


def official_organisations(records: list[Record],
                           laender: dict[str, str] | None = None) -> list[OfficialOrganisation]:
    """The Länder, Kreise and Gemeinden of a directory, in file order. ``laender`` names a Land
    by its key where the file lacks the Land's record."""
    _refuse_repeated_keys(records)
    land_names = dict(laender or {})
    land_names.update({r.key: r.name for r in records if r.record_type == "10"})
    kreise = {r.key: r for r in records if r.record_type == "40"}
    gemeinden = [r for r in records if r.record_type == "60"]
    population: Counter[str] = Counter()
    area: Counter[str] = Counter()
    for gemeinde in gemeinden:
        for prefix in (gemeinde.key[:2], gemeinde.key[:5]):
            population[prefix] += gemeinde.population or 0
            area[prefix] += gemeinde.area_ha or 0
    result = []
    for record in records:
        state = land_names.get(record.key[:2])
        if record.record_type == "10":
            result.append(_organisation(record, "state", "Land", state, None,
                                        population.get(record.key), area.get(record.key)))
        elif record.record_type == "40" and record.text_key not in KREISFREI:
            result.append(_organisation(record, "district", TEXT_KEYS.get(record.text_key or ""),
                                        state, None, population.get(record.key),
                                        area.get(record.key)))
        elif record.record_type == "60" and record.text_key not in UNINCORPORATED:
            kreis = kreise.get(record.key[:5])
            district = None
            if kreis is not None and kreis.text_key not in KREISFREI \
                    and record.text_key not in ("61", "62"):
                district = kreis.name
            official_type = TEXT_KEYS.get(record.text_key) if record.text_key else "Gemeinde"
            result.append(_organisation(record, "municipality", official_type, state, district,
                                        record.population, record.area_ha))
    return result


def unincorporated(records: list[Record]) -> int:
    return sum(1 for r in records if r.record_type == "60" and r.text_key in UNINCORPORATED)


def certain_names(name: str, official_type: str | None) -> set[str]:
    """The slugs of the names that certainly mean this body: its designation before its name
    ("Stadt Eberbach", "Landeshauptstadt München", "Landkreis Göttingen"), the directory's
    own spelling when it carries the designation ("Eberbach, Stadt"), and a Kreis name that
    says Kreis ("Hochtaunuskreis"). Never the bare name: "Göttingen" is a Stadt and a Landkreis.
    """
    base, _comma, suffix = name.partition(", ")
    base = base.strip()
    names = {f"{word} {base}" for word in DESIGNATIONS.get(official_type or "", ())}
    if suffix.strip():
        names |= {name, f"{ABBREVIATIONS.get(suffix.strip().casefold(), suffix.strip())} {base}"}
    if official_type in ("Kreis", "Landkreis") and "kreis" in base.casefold():
        names.add(base)
    if official_type == "Land" and base in FREISTAATEN:
        names.add(f"Freistaat {base}")
    return {slug for slug in map(slugify, names) if slug}


def designated_name(name: str, official_type: str | None) -> str:
    """The name with its designation in front, as people write it ("Eberbach, Stadt" →
    "Stadt Eberbach", the Landkreis "Göttingen" → "Landkreis Göttingen"): one of the
    ``certain_names``, and what new organisations' slugs are made of."""
    base, _comma, suffix = name.partition(", ")
    suffix = suffix.strip()
    if suffix:
        return f"{ABBREVIATIONS.get(suffix.casefold(), suffix)} {base.strip()}"
    if official_type in ("Kreis", "Landkreis") and "kreis" in base.casefold():
        return name
    words = DESIGNATIONS.get(official_type or "")
    return f"{words[0]} {name}" if words else name


def _organisation(record: Record, kind: str, official_type: str | None, state: str | None,
                  district: str | None, population: int | None,
                  area_ha: int | None) -> OfficialOrganisation:
    return OfficialOrganisation(
        official_key=record.key, name=" ".join(record.name.split()), kind=kind,
        official_type=official_type, state=state, district=district, population=population,
        area_km2=round(area_ha / 100, 2) if area_ha is not None else None, line=record.line)


def _refuse_repeated_keys(records: list[Record]) -> None:
    seen: dict[tuple[str, str], int] = {}
    for record in records:
        first = seen.setdefault((record.record_type, record.key), record.line)
        if first != record.line:
            raise DirectoryError(record.line, f"the key {record.key} of record type "
                                 f"{record.record_type} was already on line {first}")
