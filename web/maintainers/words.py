"""Words for the maintainer pages: states, forges, history entries, and the back end's English
sentences in the reader's language.

The registration services speak complete English sentences (``registry.registrations``: "the
web layer translates them"); :data:`translate` gives them in the reader's language with a
:class:`~web.phrasebook.Phrasebook` of the services' own templates. A check message is several
sentences in a row ("publiccode.yml is valid. Ownership is not proven yet: …"), so the
phrasebook translates sentence by sentence.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry.registrations import repository_urls as urls
from registry.registrations import service

from ..finding_words import finding_text
from ..phrasebook import Phrasebook

FLASH = "maintainers"
FLASH_ERROR = "maintainers-error"

REGISTRATION_STATES = {"pending": _l("wartet auf den Nachweis"), "verified": _l("bestätigt")}
PROOFS = {"file": _l("Datei .allmende-verify"), "email": _l("E-Mail-Adresse in der publiccode.yml")}
FORGES = {"gitlab": "GitLab", "github": "GitHub", "gitea": "Gitea/Forgejo", "git": "Git"}
FORGE_CHOICES = (("", _l("automatisch erkennen")), ("gitlab", "GitLab"), ("github", "GitHub"),
                 ("gitea", "Gitea/Forgejo"), ("git", _l("Git (ohne Forge)")))
SOLUTION_STATES = {"valid": _l("gültig"), "invalid": _l("ungültig"),
                   "unlisted": _l("nicht mehr gelistet"), "removed": _l("entfernt")}
ACTIONS = {"registration.create": _l("Registrierung angelegt"),
           "registration.check": _l("Geprüft"),
           "registration.verify": _l("Eigentum nachgewiesen"),
           "registration.rotate_secret": _l("Neues Webhook-Geheimnis erzeugt"),
           "registration.delete": _l("Registrierung entfernt")}
NOTIFICATIONS = {"became_invalid": _l("Die publiccode.yml ist ungültig geworden"),
                 "unreachable": _l("Das Repository war nicht erreichbar")}
HARVEST_REASONS = {"registration": _l("nach der Registrierung"), "webhook": _l("per Webhook"),
                   "api": _l("auf Wunsch eines Maintainers"), "admin": _l("durch die Verwaltung")}
SEVERITIES = {"error": _l("Fehler"), "warning": _l("Warnung"), "note": _l("Hinweis")}


def words(table: dict[str, object], key: str | None) -> str:
    return str(table.get(key or "", key or "–"))


# -- the back end's sentences ----------------------------------------------------------------

_HOW = {service.HOW["file"]: _l("die Datei .allmende-verify"),
        service.HOW["email"]: _l("Ihre E-Mail-Adresse in der publiccode.yml")}
_WORDY = {"name", "url", "host", "token", "status", "errors", "limit", "target", "part", "kind",
          "path", "forge", "owner"}
_RECURSIVE = {"detail"}
"""Values that are sentences of their own (the reason a verified registration stays)."""

# (the English template, with {placeholders}; the German sentence, with %(placeholders)s)
_TEMPLATES: list[tuple[str, Callable[[], str]]] = [
    (urls.NOT_A_URL, lambda: _("Bitte geben Sie die Adresse des Repositorys an, etwa "
                               "https://gitlab.example.org/gruppe/projekt.")),
    (urls.TOO_LONG, lambda: _("Die Adresse des Repositorys ist länger als %(max)d Zeichen.",
                              max=urls.MAX_URL_CHARS)),
    (urls.HTTPS_ONLY, lambda: _("Die Adresse des Repositorys muss mit https:// beginnen.")),
    (urls.NO_CREDENTIALS, lambda: _("Die Adresse darf keinen Benutzernamen und kein Passwort "
                                    "enthalten; registriert werden nur öffentliche "
                                    "Repositorys.")),
    (urls.NO_QUERY, lambda: _("Die Adresse darf kein „?“ und kein „#“ enthalten; bitte geben "
                              "Sie die Adresse des Repositorys selbst an.")),
    (urls.NO_HOST, lambda: _("Die Adresse des Repositorys enthält keinen Hostnamen.")),
    (urls.BAD_HOST, lambda: _("Der Hostname „%(host)s“ ist ungültig.")),
    (urls.LOCAL_NAME, lambda: _("„%(host)s“ ist ein lokaler Hostname; registriert werden können "
                                "nur Repositorys im öffentlichen Internet.")),
    (urls.ODD_IP, lambda: _("„%(host)s“ ist eine IP-Adresse in ungewöhnlicher Schreibweise; "
                            "bitte verwenden Sie den Hostnamen des Repositorys.")),
    (urls.PRIVATE_IP, lambda: _("„%(host)s“ ist keine öffentliche Adresse (%(reason)s); "
                                "registriert werden können nur Repositorys im öffentlichen "
                                "Internet.")),
    (urls.NO_PATH, lambda: _("Die Adresse nennt kein Repository: Sie braucht den Eigentümer "
                             "und den Namen, etwa https://github.com/eigentuemer/name.")),
    (urls.PAGE_NOT_REPO, lambda: _("Das ist die Adresse einer Seite im Repository; bitte geben "
                                   "Sie die Adresse des Repositorys selbst an, etwa "
                                   "https://%(host)s/%(owner)s/%(name)s.")),
    (urls.TWO_PARTS, lambda: _("Eine %(forge)s-Adresse hat nach dem Hostnamen genau zwei Teile, "
                               "den Eigentümer und den Namen, etwa "
                               "https://%(host)s/eigentuemer/name.")),
    (urls.BAD_PART, lambda: _("Der Teil „%(part)s“ der Adresse enthält nicht erlaubte "
                              "Zeichen.")),
    (urls.UNKNOWN_TYPE, lambda: _("Unbekannte Art von Repository „%(kind)s“; bitte wählen Sie "
                                  "eine aus der Liste.")),
    (service.NO_PUBLICCODE, lambda: _("Im Hauptzweig des Repositorys liegt auf oberster Ebene "
                                      "keine publiccode.yml (oder publiccode.yaml). Legen Sie "
                                      "eine an und prüfen Sie dann erneut.")),
    (service.NOT_PROVEN, lambda: _("Das Eigentum ist noch nicht nachgewiesen: Legen Sie im "
                                   "Hauptzweig eine Datei namens .allmende-verify mit dem "
                                   "Inhalt %(token)s an, oder tragen Sie Ihre bestätigte "
                                   "E-Mail-Adresse in der publiccode.yml unter "
                                   "maintenance.contacts ein. Prüfen Sie dann erneut.")),
    (service.WRONG_PROOF, lambda: _("Die Datei .allmende-verify enthält nicht den Prüfcode "
                                    "%(token)s dieser Registrierung. Ersetzen Sie ihren Inhalt "
                                    "durch den Prüfcode und prüfen Sie erneut.")),
    (service.VERIFIED, lambda: _("Eigentum nachgewiesen durch %(how)s. Das Repository wird in "
                                 "Kürze abgerufen.")),
    (service.STILL_VERIFIED, lambda: _("Das Repository bleibt registriert. %(detail)s")),
    (service.IS_VALID, lambda: _("%(name)s ist gültig.")),
    (service.SHOWN_WITH_ERRORS,
     lambda: _("%(name)s enthält %(errors)s Fehler; die Lösung steht mit einem Hinweis im "
               "Katalog, bis sie behoben sind.")),
    (service.NOT_SHOWN,
     lambda: _("%(name)s kann nicht im Katalog erscheinen (%(reason)s).")),
    # registry.registrations.repository_files (its sentences are not constants)
    ("{name} is larger than the limit of {limit} {unit}.",
     lambda: _("%(name)s ist größer als die Grenze von %(limit)s %(unit)s.")),
    ("Could not read {name} from {url}: the forge answered HTTP {status}.",
     lambda: _("%(name)s konnte nicht von %(url)s gelesen werden: Die Forge antwortete mit "
               "HTTP %(status)s.")),
    ("Could not read {name} from {url}: {detail}",
     lambda: _("%(name)s konnte nicht von %(url)s gelesen werden: %(detail)s")),
    ("{url} is not public (the forge answered HTTP {status} for {name}); only public "
     "repositories can be registered.",
     lambda: _("%(url)s ist nicht öffentlich (die Forge antwortete auf %(name)s mit HTTP "
               "%(status)s); registriert werden können nur öffentliche Repositorys.")),
    ("{url} sent us to {target} instead of {name}; is the repository public?",
     lambda: _("%(url)s leitete zu %(target)s weiter statt zu %(name)s; ist das Repository "
               "öffentlich?")),
    ("Could not ask {host} about the repository: {detail}",
     lambda: _("%(host)s konnte nicht nach dem Repository gefragt werden: %(detail)s")),
    ("{host} does not know the repository {path}, or it is not public.",
     lambda: _("%(host)s kennt das Repository %(path)s nicht, oder es ist nicht öffentlich.")),
    ("{host} did not tell the repository's default branch (HTTP {status}); is it a Gitea or "
     "Forgejo server?",
     lambda: _("%(host)s nannte den Hauptzweig des Repositorys nicht (HTTP %(status)s); ist es "
               "ein Gitea- oder Forgejo-Server?")),
    ("Could not clone {url}: {detail}",
     lambda: _("%(url)s konnte nicht geklont werden: %(detail)s")),
]


_PHRASEBOOK = Phrasebook(_TEMPLATES, words=_WORDY, nested=_RECURSIVE,
                         rewrite={"how": lambda how: _HOW.get(how, how),
                                  "reason": lambda reason: finding_text(reason).rstrip(".")},
                         sentences=True)

translate = _PHRASEBOOK.translate
"""The back end's ``message`` in the reader's language (unchanged when not recognised or when
the reader reads English)."""
