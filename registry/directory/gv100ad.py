"""Reading the Federal Statistical Office's municipality directory in its GV100AD format.

GV100AD ("Gemeindeverzeichnis, ASCII-Datei") is a fixed-width text file, one record a line; the
first two characters are the record type (Satzart). Columns, 1-based as the office's record
description counts them:

====== ============================================================================
1–2    record type: 10 Land, 20 Regierungsbezirk, 30 Region (Baden-Württemberg only),
       40 Kreis, 50 Gemeindeverband, 60 Gemeinde
3–10   Gebietsstand (territorial status) as JJJJMMTT
11–12  Land · 13 Regierungsbezirk · 14–15 Kreis · 16–18 Gemeinde (11–18: the AGS);
       a record fills only the places of its own level (a Region its digit in 14)
19–22  Gemeindeverband (types 50 and 60)
23–72  name · 73–122 seat of the administration (types 10 to 50)
123–124 text key (Textkennzeichen, types 40, 50, 60: see ``TEXT_KEYS``)
129–139 area in hectares · 140–150 population · 151–161 of which male (type 60)
====== ============================================================================

Further columns of type 60 (postcode, tax office, courts, Bundestag constituency) are not read.

The reader streams: it holds one line at a time and returns plain :class:`Record` values.
It decodes each line as UTF-8 and, where that fails, as ISO-8859-1 (the office ships
ISO-8859-1; copies re-saved by spreadsheet tools are UTF-8), and slices by characters, so an
umlaut counts as one column in either encoding. It never guesses at a damaged line: a line it
cannot read raises :class:`DirectoryError` with the line number, so an import can refuse the
whole file. Record types it does not know (a later edition may add some) are counted and
skipped; blank lines are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO

RECORD_TYPES = {"10": "Land", "20": "Regierungsbezirk", "30": "Region", "40": "Kreis",
                "50": "Gemeindeverband", "60": "Gemeinde"}
TEXT_KEYS = {
    "41": "kreisfreie Stadt", "42": "Stadtkreis", "43": "Kreis", "44": "Landkreis",
    "45": "Regionalverband",
    "50": "verbandsfreie Gemeinde", "51": "Amt", "52": "Samtgemeinde", "53": "Verbandsgemeinde",
    "54": "Verwaltungsgemeinschaft", "55": "Kirchspielslandgemeinde", "56": "Verwaltungsverband",
    "57": "VG-Trägermodell", "58": "erfüllende Gemeinde",
    "60": "Markt", "61": "kreisfreie Stadt", "62": "Stadtkreis", "63": "Stadt", "64": "Gemeinde",
    "65": "gemeindefreies Gebiet, bewohnt", "66": "gemeindefreies Gebiet, unbewohnt",
    "67": "Große Kreisstadt",
}
"""The directory's text keys in words. 64 is "kreisangehörige Gemeinde" in the record
description; here simply "Gemeinde", the word towns use."""

KEY_COLUMNS = {"10": 2, "20": 3, "30": 4, "40": 5, "50": 5, "60": 8}
"""How many places of the key (from column 11) belong to a record of each type."""
NAME_START = 22
LINE_WIDTH = 220
MAX_LINE_BYTES = 2000
"""A real line has about 220 characters; a longer one means this is not a GV100AD file."""
MAX_RECORDS = 200_000
"""The real directory has about 16,000 records; more means the wrong file (or an attack)."""


class DirectoryError(ValueError):
    """The file cannot be read as a municipality directory; ``line`` is 1-based (0: the
    file as a whole)."""

    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line


@dataclass(frozen=True, slots=True)
class Record:
    line: int
    record_type: str
    """"10" … "60"."""
    as_of: date
    key: str
    """The record's own key: 2 digits for a Land, 3 a Regierungsbezirk, 4 a Region, 5 a Kreis,
    5 + 4 a Gemeindeverband (Kreis and Verband), 8 a Gemeinde (the AGS)."""
    name: str
    seat: str | None = None
    text_key: str | None = None
    association: str | None = None
    """The Gemeindeverband (4 digits) of a Gemeinde."""
    area_ha: int | None = None
    population: int | None = None


@dataclass(slots=True)
class Reading:
    """What a whole file held: its records in file order, and what was passed over."""

    records: list[Record] = field(default_factory=list)
    unknown_types: dict[str, int] = field(default_factory=dict)
    """Skipped lines by their record type."""
    latin1_lines: int = 0
    """Lines that were not UTF-8 and were read as ISO-8859-1."""

    @property
    def as_of(self) -> date | None:
        return max((r.as_of for r in self.records), default=None)


def read_file(path: Path) -> Reading:
    with path.open("rb") as stream:
        return read_stream(stream)


def read_stream(stream: BinaryIO) -> Reading:
    """Every record of the file, or :class:`DirectoryError` for the first line that is wrong."""
    reading = Reading()
    for number, raw in enumerate(_lines(stream), 1):
        text = _decode(raw, first=number == 1)
        if text is None:
            reading.latin1_lines += 1
            text = raw.decode("latin-1").rstrip("\r\n")
        if not text.strip():
            continue
        record_type = text[:2]
        if not (record_type.isascii() and record_type.isdigit()):
            raise DirectoryError(number, f"starts with {record_type!r}, not with a two-digit "
                                 "record type (Satzart): is this a GV100AD file?")
        if record_type not in RECORD_TYPES:
            reading.unknown_types[record_type] = reading.unknown_types.get(record_type, 0) + 1
            continue
        if len(reading.records) >= MAX_RECORDS:
            raise DirectoryError(number, f"more than {MAX_RECORDS} records: this is not the "
                                 "municipality directory")
        reading.records.append(parse_line(text, number))
    if not reading.records:
        raise DirectoryError(0, "no GV100AD records (record types 10 to 60) in this file")
    return reading


def parse_line(text: str, number: int) -> Record:
    """One line of a known record type."""
    record_type = text[:2]
    label = f"record type {record_type} ({RECORD_TYPES[record_type]})"
    if len(text.rstrip()) <= NAME_START:
        raise DirectoryError(number, f"{label} is cut short: {len(text.rstrip())} characters, "
                             f"the name starts in column {NAME_START + 1}")
    line = text.ljust(LINE_WIDTH)
    as_of = _date(line[2:10], number)
    key = line[10:10 + KEY_COLUMNS[record_type]]
    if record_type == "50":
        key += line[18:22]
    if not (key.isascii() and key.isdigit()):
        raise DirectoryError(number, f"the key of a {label} (from column 11) must be digits, "
                             f"not {key!r}")
    name = line[NAME_START:72].strip()
    if not name:
        raise DirectoryError(number, f"{label} has no name (columns 23–72)")
    seat, text_key = line[72:122].strip() or None, line[122:124].strip() or None
    if record_type != "60":
        return Record(line=number, record_type=record_type, as_of=as_of, key=key, name=name,
                      seat=seat, text_key=text_key)
    association = line[18:22].strip() or None
    if association is not None and not (association.isascii() and association.isdigit()):
        raise DirectoryError(number, f"the Gemeindeverband (columns 19–22) must be digits, "
                             f"not {association!r}")
    return Record(line=number, record_type=record_type, as_of=as_of, key=key, name=name,
                  text_key=text_key, association=association,
                  area_ha=_number(line, 128, 139, "area in hectares", number),
                  population=_number(line, 139, 150, "population", number))


def _lines(stream: BinaryIO) -> Iterator[bytes]:
    number = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            raise DirectoryError(number, f"longer than {MAX_LINE_BYTES} bytes: this is not a "
                                 "GV100AD file")
        yield raw


def _decode(raw: bytes, *, first: bool) -> str | None:
    if first and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        return None


def _date(text: str, number: int) -> date:
    try:
        if not (text.isascii() and text.isdigit()):
            raise ValueError
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise DirectoryError(number, f"the Gebietsstand (columns 3–10) must be a date as "
                             f"JJJJMMTT, not {text!r}") from None


def _number(line: str, start: int, end: int, what: str, number: int) -> int:
    """A right-aligned number filling columns ``start + 1`` to ``end`` (the office pads with
    zeros); digits that stop short mean a line cut off or shifted, not a smaller number."""
    raw = line[start:end]
    text = raw.strip()
    if text.isascii() and text.isdigit() and raw.endswith(text):
        return int(text)
    if not text:
        problem = "missing (the line ends early)"
    elif text.isascii() and text.isdigit():
        problem = f"{text!r} stops before column {end} (the line is cut off or shifted)"
    else:
        problem = repr(text)
    raise DirectoryError(number, f"the {what} (columns {start + 1}–{end}) must be a number: "
                         f"{problem}")
