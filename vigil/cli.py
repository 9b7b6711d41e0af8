"""The ``vigil`` console command: Vigil's own commands first, every Django management command behind them."""

from __future__ import annotations

import os
import sys

VIGIL_COMMANDS = {
    "setup": "Migrate the database, load reference and demo data, create the first staff login.",
    "runserver": "Serve the staff workspace (and later the public site) for development.",
    "load_reference": "Load or update vocabularies, the gazetteer, facilities and organizations.",
    "load_demo": "Load the seed case (the situation of 9 January 2026) as demo data.",
    "report": "Print a situation report as of a date (text, markdown, JSON or CSV).",
    "match": "Find people recorded more than once and queue them for review.",
    "import": "Import people, detentions, statuses, casualties, events or figures from CSV, XLSX or JSON.",
    "export": "Export a full backup, public CSV/JSON, Popolo JSON or ACLED-style events CSV.",
    "reindex": "Rebuild the search index of people and events.",
    "rebuild_report_summary": "Rebuild the summary national reports read (after a restore or a bulk load).",
    "api_token": "Issue or revoke a personal API token for a staff user.",
    "alerts": "Evaluate the risk rules and send the alerts that are due (run daily).",
    "audit": "Verify the hash-chained audit log (`vigil audit verify`) or print its head.",
    "two_factor": "Show, reset or print the current second-factor code of a user.",
    "rotate_keys": "Re-encrypt restricted fields under a new key.",
    "migrate": "Apply database migrations.",
    "createsuperuser": "Create an administrator account.",
}


def usage() -> str:
    width = max(len(name) for name in VIGIL_COMMANDS)
    lines = [
        "usage: vigil COMMAND [options]",
        "",
        "Vigil documents political prisoners and the victims of protest crackdowns.",
        "",
        "Commands:",
        *(f"  {name.ljust(width)}  {text}" for name, text in VIGIL_COMMANDS.items()),
        "",
        "`vigil COMMAND --help` explains one command; `vigil help` lists every Django management command.",
        "The database is SQLite in ./var unless DATABASE_URL is set (e.g. postgres://user@host/vigil).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help"):
        print(usage())
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["vigil", *args])


if __name__ == "__main__":
    main()
