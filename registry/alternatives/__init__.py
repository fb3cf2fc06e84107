"""Lock-in exit: the proprietary products towns use today, as the words people type for them.

Towns look for the open alternative to what they already run ("Alternative zu Doodle", "statt
MS Teams", "Ersatz für SharePoint"). This package holds the vocabulary of those products as data
(``data/products.toml``) and recognises a product in a user's words (``find_product``). Search,
pages and solutions' declared alternatives build on it later; see docs/alternatives.md.
"""

from __future__ import annotations

from .products import (
    KINDS,
    LEAD_PHRASES,
    Product,
    ProductVocabularyError,
    find_product,
    parse_products,
    products,
    replaced_products,
)
from .purposes import KIND_PURPOSES, purpose_terms

__all__ = ["KIND_PURPOSES", "KINDS", "LEAD_PHRASES", "Product", "ProductVocabularyError",
           "find_product", "parse_products", "products", "purpose_terms", "replaced_products"]
