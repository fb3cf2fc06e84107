"""The words a need is described with, declared once: codes here, their German and English
words in the web layer (web/market/words.py), the reasoning in docs/needs.md.

**Fields of action** (Handlungsfelder) follow the Smart City Charta and the model projects
(Modellprojekte Smart Cities): the list towns already sort their projects by. Each is mapped to
the publiccode.yml audience scopes and categories that usually serve it, so a need in a field
finds solutions whose metadata says the same thing in the standard's words.
"""

from __future__ import annotations

from dataclasses import dataclass

from registry.publiccode.vocabularies import CATEGORIES, SCOPES


@dataclass(frozen=True, slots=True)
class FieldOfAction:
    code: str
    scopes: tuple[str, ...] = ()
    """publiccode.yml ``intendedAudience.scope`` values that address this field."""
    categories: tuple[str, ...] = ()
    """publiccode.yml ``categories`` typical for it."""


FIELDS_OF_ACTION: dict[str, FieldOfAction] = {field.code: field for field in (
    FieldOfAction("mobility", ("transportation",), ("fleet-management",)),
    FieldOfAction("energy", ("energy",), ("facility-management",)),
    FieldOfAction("environment", ("environment", "agriculture"), ("data-collection",)),
    FieldOfAction("administration", ("government", "local-authorities", "justice"), (
        "document-management", "workflow-management", "business-process-management",
        "appointment-scheduling", "customer-service-and-support", "e-signature",
        "procurement", "taxes-management", "accounting", "budgeting", "hr", "payroll",
        "office", "productivity-suite", "collaboration", "identity-management",
        "billing-and-invoicing", "call-center-management")),
    FieldOfAction("education", ("education", "research"), (
        "learning-management-system", "educational-content", "integrated-library-system")),
    FieldOfAction("health_social", ("healthcare", "welfare", "society"), ()),
    FieldOfAction("participation", ("society",), (
        "digital-citizenship", "survey", "feedback-and-reviews-management", "online-community",
        "whistleblowing")),
    FieldOfAction("economy", ("finance-and-economic-development", "employment",
                              "manufacturing"), ("e-commerce", "grant-management",
                                                 "payment-gateway", "mobile-payment")),
    FieldOfAction("security", ("security", "emergency-services", "defence"), ("it-security",)),
    FieldOfAction("culture_tourism", ("culture", "tourism", "sport"), (
        "event-management", "online-booking", "digital-asset-management")),
    FieldOfAction("urban_planning", ("infrastructures",), (
        "geographic-information-systems", "cad", "property-management",
        "real-estate-management")),
    FieldOfAction("data_infrastructure", ("science-and-technology", "infrastructures"), (
        "data-analytics", "data-visualization", "business-intelligence", "cloud-management",
        "network-management", "it-management", "it-service-management", "backup")),
)}
"""Mobilität; Energie; Umwelt und Klima; Verwaltung; Bildung; Gesundheit und Soziales;
Beteiligung; Wirtschaft und Handel; Sicherheit; Kultur und Tourismus; Stadtplanung und Bauen;
Daten und digitale Infrastruktur."""

OPERATING_MODELS = ("self_hosted", "it_provider", "saas", "shared")
"""selbst betrieben (own IT); kommunaler IT-Dienstleister; SaaS by a company; shared operation
by several towns."""

BUDGET_BANDS = ("none", "under_10k", "10k_50k", "50k_250k", "over_250k")
"""Euro per year, all costs: none means "no budget yet" (a need may come before the money)."""


def fields_for(scopes: tuple[str, ...] | list[str],
               categories: tuple[str, ...] | list[str]) -> list[str]:
    """The fields of action a solution's audience scopes and categories point to."""
    scopes, categories = set(scopes), set(categories)
    return [code for code, field in FIELDS_OF_ACTION.items()
            if scopes & set(field.scopes) or categories & set(field.categories)]


def _check() -> None:
    """The mapping names only values of the standard (a typo would silently match nothing)."""
    for field in FIELDS_OF_ACTION.values():
        unknown = (set(field.scopes) - SCOPES) | (set(field.categories) - CATEGORIES)
        if unknown:
            raise AssertionError(f"field of action {field.code}: not in publiccode.yml: "
                                 f"{sorted(unknown)}")


_check()
