"""What a product is for, in the words a catalogue description would use: "does the same job".

Few descriptions in the catalogue say which product they replace, and a product's publiccode.yml
categories are broad (a council information system shares ``document-management`` with every
e-file system). The plain words for the job — "Ratsinformationssystem", "Formulare",
"Texterkennung" — find the solutions that do it, in German and, through the search's concepts,
in other languages. A product names its own (``purpose`` in products.toml) where its kind's are
too wide; otherwise its kind's below apply.
"""

from __future__ import annotations

from .products import Product

KIND_PURPOSES: dict[str, tuple[str, ...]] = {
    "office": ("Textverarbeitung", "Tabellenkalkulation", "Bürosoftware"),
    "email": ("E-Mail", "Groupware"),
    "video_conferencing": ("Videokonferenz", "Webkonferenz"),
    "messaging": ("Messenger", "Chat"),
    "collaboration": ("Zusammenarbeit", "Kollaboration"),
    "file_sharing": ("Dateiablage", "Dateiaustausch", "Cloud-Speicher"),
    "survey": ("Umfrage", "Fragebogen"),
    "forms": ("Formular", "Antragsformular"),
    "appointments": ("Terminvergabe", "Terminbuchung"),
    "document_management": ("Dokumentenmanagement", "E-Akte", "Aktenverwaltung"),
    "gis": ("Geoinformationssystem", "Geodaten", "Karte"),
    "cad": ("CAD", "Konstruktion"),
    "ticketing": ("Ticketsystem", "Helpdesk", "Servicedesk"),
    "cms": ("Content-Management", "Webseite", "Redaktionssystem"),
    "participation": ("Bürgerbeteiligung", "Beteiligung"),
    "council_information": ("Ratsinformationssystem", "Sitzungsdienst", "Sitzungsmanagement"),
    "ai_assistant": ("Chatbot", "Sprachmodell", "KI-Assistent"),
    "translation": ("Übersetzung",),
    "database": ("Datenbank",),
    "project_management": ("Projektmanagement", "Aufgabenverwaltung"),
    "e_learning": ("Lernplattform", "E-Learning"),
    "password_manager": ("Passwortverwaltung", "Passwortmanager"),
    "remote_support": ("Fernwartung", "Fernzugriff"),
    "virtualization": ("Virtualisierung",),
    "diagram": ("Diagramm", "Whiteboard"),
    "graphics": ("Bildbearbeitung", "Grafik"),
    "pdf": ("PDF",),
    "operating_system": ("Betriebssystem",),
    "erp": ("Haushaltswesen", "Finanzbuchhaltung", "Kassenverfahren"),
    "crm": ("Kundenbeziehungsmanagement", "Kundenverwaltung"),
    "hr": ("Personalverwaltung", "Personalwesen"),
    "telephony": ("Telefonie", "Telefonanlage"),
    "newsletter": ("Newsletter",),
    "other": (),
}
"""Per kind of ``products.KINDS``: words for the job (tested to cover every kind)."""


def purpose_terms(product: Product) -> tuple[str, ...]:
    """The words for what ``product`` does: its own, else its kind's."""
    return product.purpose or KIND_PURPOSES.get(product.kind, ())
