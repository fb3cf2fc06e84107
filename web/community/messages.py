"""What went wrong, in the reader's language: ``AccountError`` codes of the services as
sentences, shown with Flask's message flashing (category ``community``)."""

from __future__ import annotations

from flask import flash
from flask_babel import lazy_gettext as _l

from registry.accounts import AccountError

CATEGORY = "community"
ERROR_CATEGORY = "community-error"
SENTENCES = {
    "not_member": _l("Nur Mitglieder der Organisation können das angeben."),
    "not_admin": _l("Das dürfen nur Administratorinnen und Administratoren."),
    "use_case_too_long": _l("Die Beschreibung des Einsatzes ist zu lang (höchstens 2000 "
                            "Zeichen)."),
    "instance_url": _l("Die Adresse der Installation muss mit http:// oder https:// "
                       "beginnen."),
    "instance_url_too_long": _l("Die Adresse der Installation ist zu lang (höchstens 2000 "
                                "Zeichen)."),
    "since_future": _l("Das Datum „seit“ liegt in der Zukunft."),
    "since_invalid": _l("Das Datum „seit“ ist kein gültiges Datum (JJJJ-MM-TT)."),
    "email_unverified": _l("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse."),
    "cannot_suspend_self": _l("Sie können Ihr eigenes Konto nicht sperren."),
    "reason_missing": _l("Bitte geben Sie einen Grund an."),
    "organisation_name": _l("Die Organisation braucht einen Namen (bis 200 Zeichen)."),
    "organisation_kind": _l("Bitte wählen Sie eine Art der Organisation."),
    "organisation_state": _l("Bitte wählen Sie ein Bundesland aus der Liste."),
    "organisation_website": _l("Die Website muss mit http:// oder https:// beginnen."),
    "organisation_domain": _l("Die E-Mail-Domain muss wie musterstadt.de aussehen."),
    "organisation_exists": _l("Eine Organisation mit diesem Namen oder amtlichen Schlüssel "
                              "gibt es schon."),
    "official_key_form": _l("Der amtliche Schlüssel ist ein AGS (8 Ziffern) oder ein ARS "
                            "(12 Ziffern)."),
    "official_key_land": _l("Ein amtlicher Schlüssel beginnt mit der Nummer des Landes, 01 "
                            "bis 16."),
    "official_key_state": _l("Dieser amtliche Schlüssel gehört zu einem anderen Bundesland."),
    "publisher_unknown": _l("Einen Herausgeber mit dieser Nummer gibt es nicht."),
    "organisation_missing": _l("Bitte wählen Sie eine Ihrer Organisationen."),
    "declaration_hidden": _l("Diese Angabe hat die Administration verborgen; entfernen kann "
                             "sie nur die Administration."),
}


def sentence(error: AccountError) -> str:
    """The sentence for ``error``; the service's English message for codes without one."""
    found = SENTENCES.get(error.code)
    return str(found) if found is not None else str(error)


def done(message: str) -> None:
    flash(message, CATEGORY)


def failed(error: AccountError | str) -> None:
    flash(sentence(error) if isinstance(error, AccountError) else error, ERROR_CATEGORY)
