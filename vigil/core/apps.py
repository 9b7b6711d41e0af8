from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


def sqlite_folders_made(databases: dict[str, dict[str, Any]]) -> list[Path]:
    """Make the missing folder of each SQLite database file (owner-only, as ``vigil setup`` makes the data
    folder), so that any command, not only ``setup``, can create the database; the folders made."""
    made = []
    for database in databases.values():
        if not str(database.get("ENGINE", "")).endswith("sqlite3"):
            continue
        name = str(database.get("NAME") or "")
        if not name or name == ":memory:" or name.startswith("file:"):
            continue
        folder = Path(name).parent
        if not folder.exists():
            folder.mkdir(mode=0o700, parents=True)
            made.append(folder)
    return made


class CoreConfig(AppConfig):
    name = "vigil.core"
    label = "core"
    verbose_name = _("Core: vocabularies and shared rules")

    def ready(self) -> None:
        sqlite_folders_made(settings.DATABASES)
