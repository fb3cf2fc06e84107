"""Needs (Bedarfe): what towns are looking for, posted in their own words.

- ``vocabulary``: fields of action, operating models, budget bands (codes; words in web/).
- ``service``: posting, editing, the life cycle (open → in exchange → solved or withdrawn),
  moderation; every change audited.

Matching needs to solutions and towns lives above the search index (``market``); this package
is ground floor and knows nothing of search.
"""
