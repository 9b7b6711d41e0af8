"""Reads for the public website and the HTTP API. Every function takes the reader (``viewer``: None or an
anonymous user for the public) and decides what they may see through ``vigil.core.visibility``."""

from vigil.public.selectors.changes import Change, figures_listed, recent_changes
from vigil.public.selectors.directory import DirectoryFilters, people_filtered, people_ranked
from vigil.public.selectors.events import EventPage, event_page, events_listed
from vigil.public.selectors.facts import CurrentSituation, Situation, current_situation, with_facts
from vigil.public.selectors.people import Moved, Profile, person_fields, person_profile

__all__ = [
    "Change",
    "CurrentSituation",
    "DirectoryFilters",
    "EventPage",
    "Moved",
    "Profile",
    "Situation",
    "current_situation",
    "event_page",
    "events_listed",
    "figures_listed",
    "people_filtered",
    "people_ranked",
    "person_fields",
    "person_profile",
    "recent_changes",
    "with_facts",
]
