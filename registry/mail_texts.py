"""The texts of every mail Allmende sends: each function returns ``(subject, body)``.

A mail goes to one person whose language we do not know, and our readers are German municipal
staff: so the German text comes first and the English one follows below a separator, in the
same message. Bodies are plain text; names and messages from publiccode.yml files are put in
as they are (nothing is rendered), only made single-line where they go into a subject.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .publiccode.findings import Finding

SEPARATOR = "\n\n" + "-" * 60 + "\n\n"
MAX_FINDINGS = 20
"""A mail lists this many findings; the solution page has all of them."""
PRODUCT = "Allmende"


def verification_mail(name: str, link: str) -> tuple[str, str]:
    """The link that confirms a new account's e-mail address."""
    german = (f"Hallo {name},\n\n"
              f"bitte bestätigen Sie Ihre E-Mail-Adresse für {PRODUCT}, indem Sie diesen Link "
              f"öffnen:\n\n{link}\n\n"
              "Der Link ist nur begrenzt gültig. Wenn Sie sich nicht registriert haben, "
              "ignorieren Sie diese E-Mail; es wird dann nichts weiter geschehen.")
    english = (f"Hello {name},\n\n"
               f"please confirm your e-mail address for {PRODUCT} by opening this link:\n\n"
               f"{link}\n\n"
               "The link is valid for a limited time only. If you did not sign up, ignore "
               "this e-mail; nothing else will happen.")
    return _subject("E-Mail-Adresse bestätigen", "Confirm your e-mail address"), _body(
        german, english)


def password_reset_mail(name: str, link: str) -> tuple[str, str]:
    """The link that lets an account holder choose a new password."""
    german = (f"Hallo {name},\n\n"
              f"für Ihr Konto bei {PRODUCT} wurde ein neues Passwort angefordert. Mit diesem "
              f"Link können Sie es festlegen:\n\n{link}\n\n"
              "Der Link ist nur begrenzt gültig. Wenn Sie das nicht angefordert haben, "
              "ignorieren Sie diese E-Mail; Ihr Passwort bleibt unverändert.")
    english = (f"Hello {name},\n\n"
               f"a new password was requested for your {PRODUCT} account. Choose it with this "
               f"link:\n\n{link}\n\n"
               "The link is valid for a limited time only. If you did not ask for this, "
               "ignore this e-mail; your password stays as it is.")
    return _subject("Passwort zurücksetzen", "Reset your password"), _body(german, english)


def became_invalid_mail(solution: str, page_url: str, repository_url: str,
                        findings: Iterable[Mapping[str, Any]]) -> tuple[str, str]:
    """A solution whose publiccode.yml was valid does not validate any more."""
    lines, more = finding_lines(findings)
    listing = "\n".join(lines) or "(keine Details / no details)"
    german = (f"Guten Tag,\n\n"
              f"die publiccode.yml von „{solution}“ ({repository_url}) ist nicht mehr gültig. "
              f"{PRODUCT} zeigt weiter die letzte gültige Fassung, bis die Datei korrigiert ist. "
              f"Gefunden wurde:\n\n{listing}\n"
              + (f"… und {more} weitere.\n" if more else "")
              + f"\nAlle Meldungen: {page_url}\n"
              "Prüfen können Sie die Datei vorab mit `allmende validate publiccode.yml`.\n\n"
              "Sie erhalten diese E-Mail, weil Sie das Repository bei "
              f"{PRODUCT} registriert haben.")
    english = (f"Hello,\n\n"
               f"the publiccode.yml of \"{solution}\" ({repository_url}) is no longer valid. "
               f"{PRODUCT} keeps showing the last valid version until the file is fixed. "
               f"We found:\n\n{listing}\n"
               + (f"... and {more} more.\n" if more else "")
               + f"\nAll findings: {page_url}\n"
               "You can check the file beforehand with `allmende validate publiccode.yml`.\n\n"
               f"You receive this e-mail because you registered the repository with {PRODUCT}.")
    return _subject(f"publiccode.yml von {_line(solution)} ungültig",
                    "publiccode.yml no longer valid"), _body(german, english)


def unreachable_mail(solution: str, page_url: str, repository_url: str,
                     error: str) -> tuple[str, str]:
    """The harvest could not read a solution's repository (after it had last succeeded)."""
    german = (f"Guten Tag,\n\n"
              f"{PRODUCT} konnte das Repository von „{solution}“ ({repository_url}) beim "
              f"letzten Abgleich nicht lesen:\n\n{error}\n\n"
              "Der Eintrag bleibt unverändert und der nächste Abgleich versucht es erneut. "
              "Ist das Repository umgezogen, privat geworden oder gelöscht, aktualisieren Sie "
              f"bitte die Registrierung.\n\nZum Eintrag: {page_url}\n\n"
              f"Sie erhalten diese E-Mail, weil Sie das Repository bei {PRODUCT} registriert "
              "haben.")
    english = (f"Hello,\n\n"
               f"{PRODUCT} could not read the repository of \"{solution}\" ({repository_url}) "
               f"during the last harvest:\n\n{error}\n\n"
               "The entry stays as it was and the next harvest tries again. If the repository "
               "moved, became private or was deleted, please update the registration.\n\n"
               f"The entry: {page_url}\n\n"
               f"You receive this e-mail because you registered the repository with {PRODUCT}.")
    return _subject(f"Repository von {_line(solution)} nicht erreichbar",
                    "repository unreachable"), _body(german, english)


def test_mail() -> tuple[str, str]:
    """``allmende mail test``: proof that the mail settings work."""
    german = ("Diese Test-E-Mail zeigt, dass die E-Mail-Einstellungen von "
              f"{PRODUCT} funktionieren. Umlaute: äöüß.")
    english = (f"This test e-mail shows that {PRODUCT}'s mail settings work. "
               "Non-ASCII: äöüß.")
    return _subject("Test-E-Mail", "test e-mail"), _body(german, english)


def finding_lines(findings: Iterable[Mapping[str, Any]],
                  limit: int = MAX_FINDINGS) -> tuple[list[str], int]:
    """Errors first, as ``publiccode.yml:LINE:COLUMN: KEY: MESSAGE``; and how many were left
    out beyond ``limit``."""
    ordered = sorted(map(Finding.from_stored, findings), key=lambda f: not f.is_error)
    lines = [finding.format("publiccode.yml") for finding in ordered]
    return lines[:limit], max(0, len(lines) - limit)


def _line(text: str, limit: int = 60) -> str:
    """One line of at most ``limit`` characters: fit for a subject."""
    single = " ".join(str(text).split())
    return single if len(single) <= limit else single[:limit - 1] + "…"


def _subject(german: str, english: str) -> str:
    return f"{PRODUCT}: {german} / {english}"


def _body(german: str, english: str) -> str:
    return german + SEPARATOR + english + "\n"
