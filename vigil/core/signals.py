"""Signals of Vigil's own. Django sends no ``post_save`` for rows written in bulk, so the bulk writer
(``vigil.core.services.create_many_with_history``) sends ``records_created`` once per model and batch; what
follows saves (name keys, the search index, cached public pages) listens to both."""

from django.dispatch import Signal

# sender: the model; instances: the new records, saved and with their primary keys.
records_created = Signal()
