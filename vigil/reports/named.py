"""Named individuals: how many people Vigil has documented by name in each category (arrested, still
detained, released, whereabouts unknown, incommunicado, in solitary, on hunger strike, sentenced by kind,
sentenced to death, executed, killed, injured), how many of them were minors, by verification level.

Counting rules (see ``docs/reports.md``):
- A person counts once per category, however many facts put them there; a person merged into another counts
  as that other person. Each person is counted at the highest verification level their facts reach.
- Retracted facts, and facts about retracted people, never count. A person whose facts in a category are all
  disputed appears under "disputed" only, never in the total.
- Arrests, releases, sentences, executions and casualties count when they happened inside the period and by
  the as-of date; "still detained" and the custody conditions are states on the as-of date.
- Minors: under 18 on the date of the fact (custody categories: on the arrest date; casualties: on the date
  of the killing or injury, or the age the source gave for it).
"""

# ruff: noqa: S608
# The SQL here is composed from fragments of our own: values are bound as parameters, ids are integers
# read from the database (``dialect.id_list``), table names come from the models.

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vigil.core.models import Term, Verification, Vocabulary
from vigil.custody.models import Case, Detention, Execution, Sentence, StatusObservation
from vigil.events.models import Casualty
from vigil.people.models import ADULT_AGE, Person
from vigil.reports.ages import minor_on
from vigil.reports.dialect import as_date, fetch_all, id_list
from vigil.reports.scope import Scope
from vigil.reports.timeframe import Frame
from vigil.reports.visibility import Visibility

# Highest first: the order of the columns of every breakdown.
LEVELS = (Verification.VERIFIED, Verification.CORROBORATED, Verification.REPORTED, Verification.DISPUTED)
_RANK = {
    Verification.VERIFIED: 3,
    Verification.CORROBORATED: 2,
    Verification.REPORTED: 1,
    Verification.DISPUTED: 0,
}

STATUS_CATEGORIES = ("whereabouts_unknown", "incommunicado", "solitary_confinement", "hunger_strike")
# Outcomes that end a detention without a release.
NOT_RELEASES = ("executed", "died_in_custody")

CATEGORY_LABELS: dict[str, Promise] = {
    "arrested": _("arrested"),
    "detained": _("still detained"),
    "released": _("released"),
    "whereabouts_unknown": _("whereabouts unknown"),
    "incommunicado": _("held incommunicado"),
    "solitary_confinement": _("in solitary confinement"),
    "hunger_strike": _("on hunger strike"),
    "sentenced": _("sentenced"),
    "sentenced_to_death": _("sentenced to death"),
    "executed": _("executed"),
    "killed": _("killed"),
    "injured": _("injured"),
}


@dataclass(frozen=True)
class Tally:
    """People counted, at the highest verification level their facts reach. ``total`` leaves out the
    disputed; ``by_level`` has every level, disputed included."""

    total: int = 0
    by_level: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class NamedCount:
    """One category of named individuals. ``code`` is stable (JSON, CSV); sentence kinds are
    ``sentence:<kind code>``."""

    code: str
    people: Tally
    minors: Tally
    term_name_en: str = ""
    term_name_fa: str = ""

    @property
    def label(self) -> str:
        if self.code in CATEGORY_LABELS:
            return str(CATEGORY_LABELS[self.code])
        from django.utils.translation import get_language

        name = self.term_name_fa if get_language() == "fa" and self.term_name_fa else self.term_name_en
        return str(_("sentenced: %(kind)s") % {"kind": name.lower()})


def _rank(alias: str) -> str:
    # Most facts are merely reported: that branch first.
    ranked = sorted(_RANK.items(), key=lambda item: item[0] != Verification.REPORTED)
    cases = " ".join(f"WHEN '{level}' THEN {rank}" for level, rank in ranked if rank)
    return f"(CASE {alias}.verification {cases} ELSE 0 END)"


def _term_ids(vocabulary: str, codes: tuple[str, ...] | None = None) -> dict[str, int]:
    terms = Term.objects.filter(vocabulary=vocabulary)
    if codes is not None:
        terms = terms.filter(code__in=codes)
    return dict(terms.values_list("code", "id"))


def _and(*conditions: str) -> str:
    return " AND ".join(f"({condition})" for condition in conditions if condition)


class NamedQueries:
    """The SQL of the named counts for one frame, scope and visibility; also used to list the people."""

    def __init__(self, frame: Frame, scope: Scope, visibility: Visibility) -> None:
        self.frame, self.scope, self.visibility = frame, scope, visibility
        self.person_table = frame.table(Person)
        release_kinds = _term_ids(Vocabulary.RELEASE_KIND, NOT_RELEASES)
        self.not_release_ids = id_list(set(release_kinds.values()))

    def person_join(self, fact_person_column: str) -> str:
        """Joins the fact's person as ``p`` and, for a merged person, the person merged into as ``pm``."""
        return (
            f"JOIN {self.person_table} p ON p.id = {fact_person_column} "
            f"LEFT JOIN {self.person_table} pm ON pm.id = p.merged_into_id"
        )

    # Two levels of merging resolved in SQL; the merge service re-points older merges to the survivor.
    person_key = "COALESCE(pm.merged_into_id, p.merged_into_id, p.id)"

    def counted(self, *aliases: str) -> str:
        """The records under these aliases are neither retracted nor hidden from the reader."""
        parts: list[str] = []
        for alias in aliases:
            parts.append(f"{alias}.verification <> '{Verification.RETRACTED}'")
            parts.append(self.visibility.sql(alias))
        return _and(*parts)

    # Detentions -----------------------------------------------------------------------------------------

    def detention_from(self) -> str:
        return f"{self.frame.table(Detention)} d {self.person_join('d.person_id')}"

    def detention_where(self) -> str:
        return _and(self.counted("d", "p"), self.scope.detention_sql(self.frame, "d"))

    def arrested(self) -> str:
        return _and(self.frame.happened("d", "arrested"), self.frame.in_period("d", "arrested"))

    def ended(self) -> str:
        """The detention may have ended by the as-of date (a release or outcome dated then or earlier, or
        recorded without a date)."""
        return f"((d.released_on IS NULL AND d.release_kind_id IS NOT NULL) OR {self.frame.possibly('d', 'released')})"

    def detained(self) -> str:
        return _and(self.frame.happened("d", "arrested"), f"NOT {self.ended()}")

    def released(self) -> str:
        released = (
            f"((d.released_on IS NULL AND d.release_kind_id IS NOT NULL) "
            f"OR {self.frame.happened_known('d', 'released')})"
        )
        not_death = f"(d.release_kind_id IS NULL OR d.release_kind_id NOT IN {self.not_release_ids})"
        return _and(released, not_death, self.frame.in_period("d", "released"))

    def minor_at_arrest(self) -> str:
        day = self.frame.day_or_as_of("d", "arrested")
        return minor_on(self.frame.dialect, "p", day, dated="d.arrested_on IS NOT NULL")

    # Custody conditions ---------------------------------------------------------------------------------

    def status_ids(self) -> dict[str, int]:
        return _term_ids(Vocabulary.CUSTODY_STATUS, STATUS_CATEGORIES)

    def status_from(self) -> str:
        return (
            f"{self.frame.table(StatusObservation)} s JOIN {self.frame.table(Detention)} d "
            f"ON d.id = s.detention_id {self.person_join('d.person_id')}"
        )

    def status_where(self, status_ids: dict[str, int]) -> str:
        return _and(
            self.counted("s", "d", "p"),
            f"s.status_id IN {id_list(set(status_ids.values()))}",
            self.scope.detention_sql(self.frame, "d"),
            self.detained(),
            self.frame.happened("s", "started"),
            f"NOT {self.frame.possibly('s', 'ended')}",
        )

    # Sentences and executions ---------------------------------------------------------------------------

    def sentence_from(self) -> str:
        return (
            f"{self.frame.table(Sentence)} sn JOIN {self.frame.table(Case)} cs ON cs.id = sn.case_id "
            f"{self.person_join('cs.person_id')} LEFT JOIN {self.frame.table(Detention)} d ON d.id = cs.detention_id"
        )

    def sentence_where(self) -> str:
        return _and(
            self.counted("sn", "cs", "p"),
            self.scope.case_sql(self.frame, "cs"),
            self.frame.happened("sn", "issued"),
            self.frame.in_period("sn", "issued"),
        )

    def execution_from(self) -> str:
        return (
            f"{self.frame.table(Execution)} x {self.person_join('x.person_id')} "
            f"LEFT JOIN {self.frame.table(Case)} cs ON cs.id = x.case_id "
            f"LEFT JOIN {self.frame.table(Detention)} d ON d.id = cs.detention_id"
        )

    def execution_where(self) -> str:
        return _and(
            self.counted("x", "p"),
            self.scope.execution_sql(self.frame, "x"),
            self.frame.happened("x", "executed"),
            self.frame.in_period("x", "executed"),
        )

    def minor_at_arrest_or(self, alias: str, prefix: str) -> str:
        day = f"COALESCE(d.arrested_on, {self.frame.day_or_as_of(alias, prefix)})"
        dated = f"(d.arrested_on IS NOT NULL OR {alias}.{prefix}_on IS NOT NULL)"
        return minor_on(self.frame.dialect, "p", day, dated=dated)

    # Casualties -----------------------------------------------------------------------------------------

    def casualty_from(self) -> str:
        return f"{self.frame.table(Casualty)} c {self.person_join('c.person_id')}"

    def casualty_where(self) -> str:
        return _and(
            self.counted("c", "p"),
            self.scope.casualty_sql(self.frame, "c"),
            self.frame.happened("c", "occurred"),
            self.frame.in_period("c", "occurred"),
        )

    def casualty_minor(self) -> str:
        day = self.frame.day_or_as_of("c", "occurred")
        at_date = minor_on(self.frame.dialect, "p", day, dated="c.occurred_on IS NOT NULL")
        return f"(CASE WHEN c.age_reported IS NOT NULL THEN c.age_reported < {ADULT_AGE} ELSE {at_date} END)"


@dataclass(frozen=True)
class _Facts:
    """One kind of fact (detentions, custody conditions, sentences, executions, casualties) as rows of the
    ``facts`` union: who, at what level, whether a minor, when, and which categories, as bits of one integer
    (``categories(bits)``: SQL, given each category's bit)."""

    codes: list[str]
    source: str
    where: str
    rank: str
    minor: str
    day: str
    categories: Callable[[dict[str, int]], str]


@dataclass(frozen=True)
class NamedOverview:
    """The named counts, how many distinct people the report lists, and the most at risk of them."""

    counts: list[NamedCount]
    people: int
    listed: list[int]  # person keys, most at risk first


def sentence_kinds() -> list[Term]:
    return list(Term.objects.filter(vocabulary=Vocabulary.SENTENCE_KIND).order_by("id"))


def _sentence_codes(kinds: list[Term]) -> list[str]:
    death = any(kind.code == "death" for kind in kinds)
    return ["sentenced", *(["sentenced_to_death"] if death else []), *(f"sentence:{k.code}" for k in kinds)]


def category_codes(queries: NamedQueries, kinds: list[Term]) -> list[str]:
    """Every category a report counts, in the order of the kinds of fact."""
    statuses = [code for code in STATUS_CATEGORIES if code in queries.status_ids()]
    return [
        "arrested",
        "detained",
        "released",
        *statuses,
        *_sentence_codes(kinds),
        "executed",
        "killed",
        "injured",
    ]


def _facts(queries: NamedQueries, kinds: list[Term]) -> list[_Facts]:
    status_ids = queries.status_ids()
    statuses = [code for code in STATUS_CATEGORIES if code in status_ids]
    death = next((kind.pk for kind in kinds if kind.code == "death"), None)
    frame = queries.frame
    sentence_codes = _sentence_codes(kinds)

    def detention_categories(bit: dict[str, int]) -> str:
        # Whether the arrest has happened is asked once per row: it is the costly part.
        return (
            f"CASE WHEN {frame.happened('d', 'arrested')} THEN "
            f"(CASE WHEN {frame.in_period('d', 'arrested')} THEN {bit['arrested']} ELSE 0 END) + "
            f"(CASE WHEN {queries.ended()} THEN 0 ELSE {bit['detained']} END) ELSE 0 END + "
            f"CASE WHEN {queries.released()} THEN {bit['released']} ELSE 0 END"
        )

    def status_categories(bit: dict[str, int]) -> str:
        cases = " ".join(f"WHEN {status_ids[code]} THEN {bit[code]}" for code in statuses)
        return f"CASE s.status_id {cases} ELSE 0 END"

    def sentence_categories(bit: dict[str, int]) -> str:
        kinds_sql = " ".join(f"WHEN {kind.pk} THEN {bit[f'sentence:{kind.code}']}" for kind in kinds)
        death_sql = (
            f" + CASE WHEN sn.kind_id = {death} THEN {bit['sentenced_to_death']} ELSE 0 END" if death else ""
        )
        return f"{bit['sentenced']} + CASE sn.kind_id {kinds_sql} ELSE 0 END{death_sql}"

    return [
        _Facts(
            ["arrested", "detained", "released"],
            queries.detention_from(),
            queries.detention_where(),
            _rank("d"),
            queries.minor_at_arrest(),
            "d.arrested_on",
            detention_categories,
        ),
        _Facts(
            statuses,
            queries.status_from(),
            queries.status_where(status_ids),
            _rank("s"),
            queries.minor_at_arrest(),
            "s.started_on",
            status_categories,
        ),
        _Facts(
            sentence_codes,
            queries.sentence_from(),
            queries.sentence_where(),
            _rank("sn"),
            queries.minor_at_arrest_or("sn", "issued"),
            "sn.issued_on",
            sentence_categories,
        ),
        _Facts(
            ["executed"],
            queries.execution_from(),
            queries.execution_where(),
            _rank("x"),
            queries.minor_at_arrest_or("x", "executed"),
            "x.executed_on",
            lambda bit: str(bit["executed"]),
        ),
        _Facts(
            ["killed", "injured"],
            queries.casualty_from(),
            queries.casualty_where(),
            _rank("c"),
            queries.casualty_minor(),
            "c.occurred_on",
            lambda bit: (
                f"CASE c.kind WHEN '{Casualty.Kind.KILLED}' THEN {bit['killed']} ELSE {bit['injured']} END"
            ),
        ),
    ]


# How a person ranks on the list (higher first): the most serious category they are in.
_SEVERITY = [
    (6, ("executed", "killed")),
    (5, ("sentenced_to_death",)),
    (4, STATUS_CATEGORIES),
    (3, ("sentenced",)),
    (2, ("detained",)),
]


def severity(code: str) -> int:
    """How serious being in the category ``code`` is, for the order of the list (1: the others)."""
    return next((level for level, group in _SEVERITY if code in group), 1)


def named_overview(queries: NamedQueries, *, list_limit: int = 0) -> NamedOverview:
    """Every category of named individuals (in the order reports show them), how many people the report
    names, and the ``list_limit`` most at risk of them, in one statement: each kind of fact is read once,
    people are grouped once.

    For each person, the highest level reached in each category (and among the facts where they were a
    minor); then the number of people at each level. Only established facts (not disputed) put a person on
    the list; the most serious category first, the most recent fact first."""
    kinds = sentence_kinds()
    branches = _facts(queries, kinds)
    codes = [code for branch in branches for code in branch.codes]
    # Each fact's categories as bits of one integer: the rows grouped per person stay narrow.
    bit = {code: 1 << index for index, code in enumerate(codes)}
    members = [
        f"SELECT {queries.person_key} AS person_key, {branch.rank} AS rank, "
        f"CASE WHEN {branch.minor} THEN 1 ELSE 0 END AS minor, {branch.day} AS day, "
        f"{branch.categories(bit)} AS categories FROM {branch.source} WHERE {branch.where}"
        for branch in branches
    ]
    severity = " ".join(
        f"WHEN (categories & {sum(bit[code] for code in group if code in bit)}) <> 0 THEN {level}"
        for level, group in _SEVERITY
    )
    per_person = ", ".join(
        f"MAX(CASE WHEN (categories & {bit[code]}) <> 0 THEN rank END) AS c{index}, "
        f"MAX(CASE WHEN (categories & {bit[code]}) <> 0 AND minor = 1 THEN rank END) AS m{index}"
        for index, code in enumerate(codes)
    )
    listable = "rank >= 1 AND categories <> 0"
    # FILTER rather than COUNT(CASE ...): both databases skip the row without building a value.
    aggregates = []
    for index in range(len(codes)):
        for name in (f"c{index}", f"m{index}"):
            aggregates.append(f"COUNT(*) FILTER (WHERE {name} >= 1)")
            aggregates.extend(f"COUNT(*) FILTER (WHERE {name} = {_RANK[level]})" for level in LEVELS)
    aggregates.append("COUNT(*) FILTER (WHERE severity IS NOT NULL)")
    sql = (
        f"WITH per_person AS (SELECT person_key, {per_person}, "
        f"MAX(CASE WHEN {listable} THEN CASE {severity} ELSE 1 END END) AS severity, "
        f"MAX(CASE WHEN {listable} THEN day END) AS day "
        f"FROM ({' UNION ALL '.join(members)}) facts GROUP BY person_key) "
        f"SELECT 0, NULL, NULL, NULL, {', '.join(aggregates)} FROM per_person"
    )
    if list_limit > 0:
        # The same statement returns the people to list, so that per_person is built once.
        empty = ", ".join(["NULL"] * len(aggregates))
        sql += (
            f" UNION ALL SELECT 1, person_key, severity, day, {empty} FROM (SELECT person_key, severity, day "
            "FROM per_person WHERE severity IS NOT NULL ORDER BY severity DESC, day DESC NULLS LAST, person_key "
            f"LIMIT {int(list_limit)}) listed"
        )
    rows = fetch_all(sql, queries.frame.params)
    values = next(row for row in rows if row[0] == 0)[4:]
    listed = sorted(
        (row for row in rows if row[0] == 1),
        key=lambda row: (
            -int(row[2]),
            row[3] is None,
            -(as_date(row[3]).toordinal() if row[3] else 0),
            row[1],
        ),
    )
    step = 1 + len(LEVELS)
    found: dict[str, tuple[Tally, Tally]] = {}
    for index, code in enumerate(codes):
        tallies = []
        for part in (0, 1):
            start = (index * 2 + part) * step
            numbers = [int(value or 0) for value in values[start : start + step]]
            tallies.append(Tally(numbers[0], dict(zip(LEVELS, numbers[1:], strict=True))))
        found[code] = (tallies[0], tallies[1])
    return NamedOverview(in_report_order(found, kinds), int(values[-1] or 0), [int(row[1]) for row in listed])


def shown(counts: list[NamedCount]) -> list[NamedCount]:
    """The categories a report shows: those with someone in them (or someone disputed), and a kind of
    sentence only where it has no category of its own (death sentences are "sentenced to death")."""
    codes = {count.code for count in counts}
    return [
        count
        for count in counts
        if (count.people.total or count.people.by_level.get("disputed"))
        and not (count.code == "sentence:death" and "sentenced_to_death" in codes)
    ]


def in_report_order(found: dict[str, tuple[Tally, Tally]], kinds: list[Term]) -> list[NamedCount]:
    """The categories counted (people, minors), in the order reports show them."""
    names = {f"sentence:{kind.code}": (kind.name_en, kind.name_fa) for kind in kinds}
    order = ["arrested", "detained", "released", *STATUS_CATEGORIES, "sentenced", "sentenced_to_death"]
    order += [f"sentence:{kind.code}" for kind in kinds] + ["executed", "killed", "injured"]
    return [NamedCount(code, *found[code], *names.get(code, ("", ""))) for code in order if code in found]
