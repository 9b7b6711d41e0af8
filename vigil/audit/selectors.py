"""Reading the audit log: checking the chain, finding recent failures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.audit.models import GENESIS_HASH, AuditAction, AuditEntry


@dataclass(frozen=True)
class Problem:
    sequence: int
    message: str


@dataclass
class ChainReport:
    entries: int = 0
    head_sequence: int = 0
    head_hash: str = GENESIS_HASH
    problems: list[Problem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def audit_verify(*, anchors: Sequence[tuple[int, str]] = ()) -> ChainReport:
    """Walk the chain in sequence order and say which entries were altered, deleted or moved.

    Each entry must carry the next sequence number, name the previous entry's hash, and hash to what it
    says. Entries removed from the end leave no gap: each of ``anchors`` (a sequence and hash noted earlier,
    e.g. from ``vigil audit head``) must still be in the chain, unchanged.
    """
    report = ChainReport()
    expected_sequence, expected_previous = 1, GENESIS_HASH
    anchored = dict(anchors)
    seen: set[int] = set()
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        report.entries += 1
        if entry.sequence > expected_sequence:
            first, last = expected_sequence, entry.sequence - 1
            report.problems.append(
                Problem(
                    first,
                    _("Entries #%(first)s to #%(last)s are missing (deleted).")
                    % {"first": first, "last": last}
                    if last > first
                    else _("Entry #%(first)s is missing (deleted).") % {"first": first},
                )
            )
        elif entry.sequence < expected_sequence:
            report.problems.append(
                Problem(
                    entry.sequence,
                    _("Entry #%(sequence)s is out of order (its number was changed or reused).")
                    % {"sequence": entry.sequence},
                )
            )
        if entry.previous_hash != expected_previous:
            report.problems.append(
                Problem(
                    entry.sequence,
                    _(
                        "Entry #%(sequence)s does not follow the entry before it: an entry before it was "
                        "deleted, altered or moved."
                    )
                    % {"sequence": entry.sequence},
                )
            )
        if entry.compute_hash() != entry.hash:
            report.problems.append(
                Problem(
                    entry.sequence,
                    _("Entry #%(sequence)s was altered: its content no longer matches its hash.")
                    % {"sequence": entry.sequence},
                )
            )
        if entry.sequence in anchored:
            seen.add(entry.sequence)
            if entry.hash != anchored[entry.sequence]:
                report.problems.append(
                    Problem(
                        entry.sequence,
                        _("Entry #%(sequence)s is not the entry that was anchored (its hash differs).")
                        % {"sequence": entry.sequence},
                    )
                )
        expected_sequence, expected_previous = max(expected_sequence, entry.sequence + 1), entry.hash
        report.head_sequence, report.head_hash = entry.sequence, entry.hash
    for sequence in sorted(set(anchored) - seen):
        report.problems.append(
            Problem(
                sequence,
                _("The anchored entry #%(sequence)s is gone: the log was cut back to #%(head)s.")
                % {"sequence": sequence, "head": report.head_sequence},
            )
        )
    return report


def recent_failures(*, username: str = "", client: str = "", within: dt.timedelta) -> int:
    """Failed sign-ins (password or two-factor code) for ``username`` or from ``client`` within the last
    ``within``: what lockout counts. A success in between does not reset the count, so a stolen password
    cannot buy fresh guesses at the code by signing in again."""
    failures = AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, at__gte=timezone.now() - within)
    if username:
        failures = failures.filter(object_repr=username)
    if client:
        failures = failures.filter(detail__client=client)
    return failures.count()
