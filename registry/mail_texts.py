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


def relay_message_mail(sender: str, sender_organisation: str, recipient_organisation: str,
                       subject: str, text: str, about: tuple[str, str] | None,
                       answer_link: str, report_link: str) -> tuple[str, str]:
    """A member of one organisation writes to another (the relay): who wrote, never their
    address; ``about`` is the (German, English) line naming the need or solution, if any."""
    about_de = f"Es geht um: {about[0]}\n\n" if about else ""
    about_en = f"This is about: {about[1]}\n\n" if about else ""
    german = (f"Guten Tag,\n\n"
              f"{sender} ({sender_organisation}) schreibt über {PRODUCT} an "
              f"{recipient_organisation}:\n\n{about_de}"
              f"Betreff: {subject}\n\n{text}\n\n"
              f"Die E-Mail-Adresse von {sender} geben wir erst weiter, wenn Sie antworten. "
              f"Antworten Sie über diesen Link (nicht mit „Antworten“ in Ihrem "
              f"E-Mail-Programm):\n\n{answer_link}\n\n"
              "Mit Ihrer Antwort erhält die Person Ihre E-Mail-Adresse, und Sie erhalten "
              "ihre; danach schreiben Sie sich direkt.\n\n"
              f"Ist diese Nachricht unerwünscht oder missbräuchlich, melden Sie sie hier:\n"
              f"{report_link}\n\n"
              f"Sie erhalten diese E-Mail, weil Sie Mitglied von {recipient_organisation} bei "
              f"{PRODUCT} sind.")
    english = (f"Hello,\n\n"
               f"{sender} ({sender_organisation}) writes to {recipient_organisation} through "
               f"{PRODUCT}:\n\n{about_en}"
               f"Subject: {subject}\n\n{text}\n\n"
               f"We pass on the e-mail address of {sender} only when you answer. Answer with "
               f"this link (not with \"Reply\" in your mail program):\n\n{answer_link}\n\n"
               "With your answer the person receives your e-mail address and you receive "
               "theirs; from then on you write to each other directly.\n\n"
               f"If this message is unwanted or abusive, report it here:\n{report_link}\n\n"
               f"You receive this e-mail because you are a member of {recipient_organisation} "
               f"on {PRODUCT}.")
    return _subject(f"Nachricht von {_line(sender_organisation, 40)}: {_line(subject)}",
                    "message from another organisation"), _body(german, english)


def relay_answer_mail(answerer: str, answerer_organisation: str, address: str,
                      subject: str, text: str) -> tuple[str, str]:
    """The answer to a relayed message, to its sender; replying reaches the answerer."""
    german = (f"Guten Tag,\n\n"
              f"{answerer} ({answerer_organisation}) hat auf Ihre Nachricht „{subject}“ "
              f"geantwortet:\n\n{text}\n\n"
              f"Ab jetzt schreiben Sie sich direkt: „Antworten“ in Ihrem E-Mail-Programm geht "
              f"an {answerer} <{address}>. Ihre E-Mail-Adresse wurde {answerer} mitgeteilt.")
    english = (f"Hello,\n\n"
               f"{answerer} ({answerer_organisation}) answered your message \"{subject}\":"
               f"\n\n{text}\n\n"
               f"From now on you write to each other directly: \"Reply\" in your mail program "
               f"goes to {answerer} <{address}>. Your e-mail address was given to {answerer}.")
    return _subject(f"Antwort von {_line(answerer_organisation, 40)}: {_line(subject)}",
                    "answer to your message"), _body(german, english)


def relay_contact_mail(sender: str, sender_organisation: str, address: str,
                       subject: str) -> tuple[str, str]:
    """To the person who answered: the sender's address, now that they talk directly."""
    german = (f"Guten Tag,\n\n"
              f"Ihre Antwort auf „{subject}“ ist an {sender} ({sender_organisation}) "
              f"gegangen, zusammen mit Ihrer E-Mail-Adresse. Die Adresse von {sender} ist "
              f"{address}; „Antworten“ auf diese E-Mail geht direkt dorthin.")
    english = (f"Hello,\n\n"
               f"your answer to \"{subject}\" went to {sender} ({sender_organisation}), "
               f"together with your e-mail address. The address of {sender} is {address}; "
               "\"Reply\" to this e-mail goes there directly.")
    return _subject(f"Kontakt zu {_line(sender_organisation, 40)}",
                    "contact details"), _body(german, english)


def match_digest_mail(need: str, need_url: str, solutions: Iterable[str],
                      organisations: Iterable[str], more: int = 0) -> tuple[str, str]:
    """New matches for a need (at most one such mail per need and day)."""
    solutions, organisations = list(solutions), list(organisations)
    more_de = f"… und {more} weitere.\n\n" if more else ""
    more_en = f"... and {more} more.\n\n" if more else ""
    german = (f"Guten Tag,\n\n"
              f"für Ihren Bedarf „{need}“ hat {PRODUCT} Neues gefunden.\n\n"
              + _listing("Lösungen", solutions) + _listing("Kommunen mit ähnlichem Bedarf",
                                                           organisations)
              + more_de
              + f"Gründe und Einzelheiten: {need_url}\n\n"
              f"Sie erhalten diese E-Mail (höchstens eine am Tag je Bedarf), weil Sie Mitglied "
              f"der Organisation sind, die den Bedarf bei {PRODUCT} eingestellt hat.")
    english = (f"Hello,\n\n"
               f"{PRODUCT} found something new for your need \"{need}\".\n\n"
               + _listing("Solutions", solutions) + _listing("Towns with a similar need",
                                                             organisations)
               + more_en
               + f"Reasons and details: {need_url}\n\n"
               f"You receive this e-mail (at most one a day per need) because you are a member "
               f"of the organisation that posted the need on {PRODUCT}.")
    return _subject(f"Neue Treffer für {_line(need, 50)}", "new matches for your need"), _body(
        german, english)


def stale_need_mail(need: str, need_url: str, days: int) -> tuple[str, str]:
    """A need nobody touched for ``days`` days: is it still open?"""
    german = (f"Guten Tag,\n\n"
              f"Ihr Bedarf „{need}“ ist bei {PRODUCT} seit {days} Tagen unverändert. Ist er "
              f"noch aktuell?\n\n{need_url}\n\n"
              "Dort können Sie ihn bearbeiten, als gelöst markieren (mit der Lösung, die Sie "
              "jetzt nutzen) oder zurückziehen. Ist er noch offen, ändern Sie nichts; wir "
              "fragen erst nach der nächsten Änderung wieder.\n\n"
              f"Sie erhalten diese E-Mail, weil Sie Mitglied der Organisation sind, die den "
              f"Bedarf bei {PRODUCT} eingestellt hat.")
    english = (f"Hello,\n\n"
               f"your need \"{need}\" on {PRODUCT} has not changed for {days} days. Is it "
               f"still open?\n\n{need_url}\n\n"
               "There you can edit it, mark it solved (with the solution you use now) or "
               "withdraw it. If it is still open, change nothing; we ask again only after its "
               "next change.\n\n"
               f"You receive this e-mail because you are a member of the organisation that "
               f"posted the need on {PRODUCT}.")
    return _subject(f"Ist „{_line(need, 50)}“ noch aktuell?", "is your need still open?"), \
        _body(german, english)


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


def _listing(heading: str, names: list[str]) -> str:
    if not names:
        return ""
    return f"{heading}:\n" + "".join(f"- {_line(name, 120)}\n" for name in names) + "\n"


def _subject(german: str, english: str) -> str:
    return f"{PRODUCT}: {german} / {english}"


def _body(german: str, english: str) -> str:
    return german + SEPARATOR + english + "\n"
