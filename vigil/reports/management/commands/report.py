"""``vigil report``: a situation report as of a date, as text, Markdown, JSON or CSV."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from vigil.accounts.models import User
from vigil.core.dates import Precision, parse_fuzzy_date
from vigil.reports.render.data import render_csv, render_json
from vigil.reports.render.text import render_text
from vigil.reports.scope import scope_resolve
from vigil.reports.selectors import DEFAULT_PEOPLE_LIMIT, report_as_of


def _day(text: str) -> dt.date:
    """A day as documenters write it (2026-01-09, 1404/10/19, 19 Dey 1404 ...); a month or year is refused."""
    try:
        value = parse_fuzzy_date(text)
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from error
    if value.precision != Precision.DAY or value.value is None:
        raise CommandError(f"“{text}” is not a day; give a full date such as 2026-01-09 or 1404/10/19.")
    return value.value


class Command(BaseCommand):
    help = (
        "Print a situation report as of a date: what sources report, the people Vigil has documented by "
        "name, events, and the named individuals with their sources. By default the public view (public "
        "records only) of the record as it stands now."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--as-of", required=True, help="The date the report is as of (valid time).")
        parser.add_argument(
            "--known-on",
            help="Read the record as it stood at the end of this day (recorded time); default: now.",
        )
        parser.add_argument(
            "--scope",
            default="",
            help="A province or city (code or name, e.g. ir-tehran, Ilam, کرمانشاه), facility:NAME or "
            "university:NAME; default: the whole country.",
        )
        parser.add_argument(
            "--from", dest="period_start", help="Count arrests, killings, events from this day on."
        )
        parser.add_argument("--since", help="Add the changes since the report as it read on this day.")
        parser.add_argument("--format", choices=["text", "markdown", "json", "csv"], default="text")
        parser.add_argument("--language", choices=["en", "fa"], default="en")
        parser.add_argument(
            "--people",
            type=int,
            default=DEFAULT_PEOPLE_LIMIT,
            help="How many named individuals to list (0: none).",
        )
        parser.add_argument(
            "--as-user",
            help="Report as this staff user sees it (internal records included); default: the public view.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        viewer = None
        if options["as_user"]:
            viewer = User.objects.filter(username=options["as_user"]).first()
            if viewer is None:
                raise CommandError(f"No user is called “{options['as_user']}”.")
        with translation.override(options["language"]):
            try:
                report = report_as_of(
                    as_of=_day(options["as_of"]),
                    known_on=_day(options["known_on"]) if options["known_on"] else None,
                    scope=scope_resolve(options["scope"]),
                    period_start=_day(options["period_start"]) if options["period_start"] else None,
                    since=_day(options["since"]) if options["since"] else None,
                    viewer=viewer,
                    people_limit=max(options["people"], 0),
                )
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            renderers = {
                "text": lambda: render_text(report),
                "markdown": lambda: render_text(report, markdown=True),
                "json": lambda: render_json(report),
                "csv": lambda: render_csv(report),
            }
            self.stdout.write(renderers[options["format"]](), ending="")
