"""Every number behind the activity windows and the maintenance signals, in one place.

In the spirit of Open CoDE's badges: few, simple, explainable rules over six months. Change a
number here and both the measurement and the sentences shown to users follow.
"""

RECENT_WINDOW_DAYS = 60
"""The short window: is something happening right now?"""
WINDOW_DAYS = 180
"""The main window ("six months") every maintenance level is judged on."""

ACTIVE_MIN_COMMITS = 5
"""Level 1 "active": at least this many commits on the default branch in WINDOW_DAYS."""
RELEASED_MIN_TAGS = 1
"""Level 2 "released": level 1 plus at least this many tags in WINDOW_DAYS."""
TEAM_MIN_AUTHORS = 2
"""Level 3 "team": level 2 plus at least this many distinct author e-mails in WINDOW_DAYS."""
DORMANT_AFTER_DAYS = WINDOW_DAYS
""""dormant": no commit on the default branch for at least this many days (or none at all)."""

MAX_WINDOW_COMMITS = 100_000
"""Commits read per repository for the windows; beyond that counts are lower bounds."""
