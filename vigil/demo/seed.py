"""Load the seed case through the domain services, as a documenter would have entered it.

Every fact is public and sourced. No individual is invented: where the sources give only a number, the
demo holds a reported figure ("HRANA, 9 January 2026: at least 2,300 arrested"), not people.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from vigil.accounts.actors import system_actor
from vigil.accounts.models import User
from vigil.core.dates import FuzzyDate, Precision
from vigil.custody.services import detention_record, status_record
from vigil.events.models import Event
from vigil.events.services import event_record
from vigil.organizations.selectors import organization_by_name
from vigil.people.services import NameInput, person_create
from vigil.places.models import Facility, Place
from vigil.places.selectors import facility_by_name, place_by_name
from vigil.sources.models import Source
from vigil.sources.services import CitationInput, figure_record, source_create

REASON = "Demo data: the seed case of the campaign report of 9 January 2026"
CAMPAIGN_REPORT_TITLE = "Campaign report on the uprising in Iran, 9 January 2026"


def _day(year: int, month: int, day: int) -> FuzzyDate:
    return FuzzyDate(dt.date(year, month, day), Precision.DAY)


def _place(name: str) -> Place:
    found = place_by_name(name)
    if found is None:
        raise LookupError(f"The gazetteer has no place called {name!r}; run `vigil load_reference` first.")
    return found


def _facility(name: str) -> Facility:
    found = facility_by_name(name)
    if found is None:
        raise LookupError(f"The gazetteer has no facility called {name!r}; run `vigil load_reference` first.")
    return found


def demo_loaded() -> bool:
    return Source.objects.filter(title=CAMPAIGN_REPORT_TITLE).exists()


@transaction.atomic
def demo_load(*, actor: User | None = None) -> dict[str, int]:
    """Load the seed case once; returns what was created (nothing when it is already there)."""
    if demo_loaded():
        return {}
    actor = actor or system_actor()  # the demo is the system's own: it must be able to publish
    sources = _sources(actor)
    events = _events(actor, sources)
    people = _people(actor, sources, events)
    figures = _figures(actor, sources)
    return {"sources": len(sources), "events": len(events), "people": people, "reported figures": figures}


def _sources(actor: User | None) -> dict[str, Source]:
    return {
        "campaign": source_create(
            actor=actor,
            reason=REASON,
            confidentiality="public",
            kind="campaign_report",
            title=CAMPAIGN_REPORT_TITLE,
            published_on=dt.date(2026, 1, 9),
            language="en",
            reliability="B",
            credibility="2",
        ),
        "hrana": source_create(
            actor=actor,
            reason=REASON,
            confidentiality="public",
            kind="ngo_report",
            title="HRANA: the first 13 days of the protests, figures as of 9 January 2026",
            publisher=organization_by_name("HRANA"),
            published_on=dt.date(2026, 1, 9),
            language="fa",
            reliability="B",
            credibility="2",
        ),
        "son": source_create(
            actor=actor,
            reason=REASON,
            confidentiality="public",
            kind="family_testimony",
            title="Ali Rahmani, son of Narges Mohammadi: his mother and 38 other activists have disappeared",
            author="Ali Rahmani",
            published_on=dt.date(2026, 1, 7),
            language="en",
            reliability="B",
            credibility="3",
        ),
        "evin": source_create(
            actor=actor,
            reason=REASON,
            confidentiality="public",
            kind="statement",
            title="Statement of Kurdish political prisoners from the women's ward of Evin prison, January 2026",
            language="fa",
            reliability="C",
            credibility="3",
        ),
    }


def _events(actor: User | None, sources: dict[str, Source]) -> dict[str, Event]:
    cite = [CitationInput(source=sources["campaign"])]
    uprising = event_record(
        actor=actor,
        reason=REASON,
        citations=cite,
        confidentiality="public",
        kind="uprising",
        title_en="Uprising of 2025–26",
        title_fa="خیزش ۱۴۰۴",
        started=_day(2025, 12, 28),
        place=_place("Iran"),
        description_en=(
            "Began with a strike at Tehran's Grand Bazaar as the rial fell to 1.46 million to the US dollar; "
            "students joined; protests spread to the western provinces (Kurds, Lurs, Arabs), then east "
            "(Mashhad, Zahedan)."
        ),
        description_fa=(
            "با اعتصاب بازار بزرگ تهران در پی سقوط ریال به یک میلیون و چهارصد و شصت هزار ریال در برابر دلار آغاز شد؛ "
            "دانشجویان پیوستند؛ اعتراض‌ها به استان‌های غربی (کردها، لرها، عرب‌ها) و سپس شرق (مشهد، زاهدان) گسترش یافت."
        ),
    )
    memorial = event_record(
        actor=actor,
        reason=REASON,
        citations=cite,
        confidentiality="public",
        kind="memorial",
        title_en="Memorial for lawyer Khosrow Alikordi attacked, Mashhad",
        title_fa="یورش به مراسم یادبود خسرو علیکردی، وکیل، در مشهد",
        started=_day(2025, 12, 12),
        place=_place("Mashhad"),
        tactics=["assault_on_mourners", "mass_arrest"],
        description_en=(
            "Security forces attacked the memorial for lawyer Khosrow Alikordi, who had died in suspicious "
            "circumstances; about 50 mourners were detained and held without contact, charges or lawyer."
        ),
    )
    return {
        "uprising": uprising,
        "bazaar": event_record(
            actor=actor,
            reason=REASON,
            citations=cite,
            confidentiality="public",
            kind="strike",
            title_en="Strike at Tehran's Grand Bazaar",
            title_fa="اعتصاب بازار بزرگ تهران",
            started=_day(2025, 12, 28),
            place=_place("Tehran"),
            part_of=uprising,
        ),
        "memorial": memorial,
        "lorestan": event_record(
            actor=actor,
            reason=REASON,
            citations=cite,
            confidentiality="public",
            kind="funeral",
            title_en="Mourners resist an assault on a protester's funeral, Lorestan",
            title_fa="مقاومت عزاداران در برابر یورش به مراسم تشییع یک معترض، لرستان",
            started=_day(2026, 1, 2),
            place=_place("Lorestan"),
            part_of=uprising,
            tactics=["assault_on_mourners"],
            description_en="Funeral of a 22-year-old protester; the mourners resisted the assault.",
        ),
        "malekshahi": event_record(
            actor=actor,
            reason=REASON,
            citations=cite,
            confidentiality="public",
            kind="protest",
            title_en="Security forces fire on marchers from rooftops and raid the hospital, Malekshahi",
            title_fa="تیراندازی از پشت‌بام‌ها به راهپیمایان و یورش به بیمارستان، ملکشاهی",
            started=_day(2026, 1, 3),
            place=_place("Malekshahi"),
            part_of=uprising,
            tactics=["live_fire", "rooftop_snipers", "hospital_raid", "tear_gas"],
            description_en=(
                "Several marchers killed and dozens injured; the hospital was raided with tear gas. By "
                "6 January residents reportedly controlled the town."
            ),
        ),
        "kurdish_strike": event_record(
            actor=actor,
            reason=REASON,
            citations=cite,
            confidentiality="public",
            kind="general_strike",
            title_en="General strike called by Kurdish organizations in Kurdish-majority provinces",
            title_fa="اعتصاب عمومی به فراخوان سازمان‌های کرد در استان‌های کردنشین",
            started=_day(2026, 1, 8),
            place=_place("Kurdistan"),
            part_of=uprising,
        ),
        "hunger_strike": event_record(
            actor=actor,
            reason=REASON,
            citations=cite,
            confidentiality="public",
            kind="collective_hunger_strike",
            title_en="Kurdish political prisoners on hunger strike in Evin, Yazd and Sanandaj prisons",
            title_fa="اعتصاب غذای زندانیان سیاسی کرد در زندان‌های اوین، یزد و سنندج",
            started=_day(2026, 1, 8),
            facility=_facility("Evin"),
            part_of=uprising,
        ),
    }


def _people(actor: User | None, sources: dict[str, Source], events: dict[str, Event]) -> int:
    campaign = CitationInput(source=sources["campaign"])
    son = CitationInput(
        source=sources["son"],
        quote="My mother and 38 other activists have disappeared.",
        quote_language="en",
        relation="relative",
    )

    narges = person_create(
        actor=actor,
        reason=REASON,
        confidentiality="public",
        names=[NameInput("نرگس محمدی", is_primary=True), NameInput("Narges Mohammadi", is_primary=True)],
        citations=[campaign],
        gender="female",
        occupations=["human_rights_defender", "journalist"],
        summary_en="Human-rights defender, 2023 Nobel Peace Prize laureate.",
        summary_fa="مدافع حقوق بشر، برنده جایزه صلح نوبل ۲۰۲۳.",
    )
    sepideh = person_create(
        actor=actor,
        reason=REASON,
        confidentiality="public",
        names=[NameInput("سپیده قلیان", is_primary=True), NameInput("Sepideh Gholian", is_primary=True)],
        citations=[campaign],
        gender="female",
        occupations=["labour_activist"],
        summary_en="Labour-rights activist.",
        summary_fa="فعال حقوق کارگران.",
    )
    for person in (narges, sepideh):
        detention = detention_record(
            actor=actor,
            reason=REASON,
            confidentiality="public",
            person=person,
            arrested=_day(2025, 12, 12),
            arrest_place=_place("Mashhad"),
            event=events["memorial"],
            citations=[campaign],
        )
        for status in ("incommunicado", "no_lawyer", "solitary_confinement"):
            status_record(
                actor=actor,
                reason=REASON,
                detention=detention,
                status=status,
                started=_day(2025, 12, 12),
                citations=[campaign],
            )
        if person is narges:
            status_record(
                actor=actor,
                reason=REASON,
                detention=detention,
                status="whereabouts_unknown",
                started=_day(2026, 1, 7),
                citations=[son, campaign],
            )

    person_create(
        actor=actor,
        reason=REASON,
        confidentiality="public",
        names=[NameInput("خسرو علیکردی", is_primary=True), NameInput("Khosrow Alikordi", is_primary=True)],
        citations=[campaign],
        gender="male",
        occupations=["lawyer"],
        summary_en="Lawyer who died in suspicious circumstances; his memorial in Mashhad was attacked.",
        summary_fa="وکیلی که در شرایط مشکوک درگذشت؛ به مراسم یادبود او در مشهد یورش برده شد.",
    )

    varisheh = person_create(
        actor=actor,
        reason=REASON,
        confidentiality="public",
        names=[NameInput("وریشه مرادی", is_primary=True), NameInput("Varisheh Moradi", is_primary=True)],
        citations=[campaign, CitationInput(source=sources["evin"])],
        gender="female",
        ethnicity="kurd",
        summary_en="Kurdish political prisoner held in the women's ward of Evin prison.",
        summary_fa="زندانی سیاسی کرد در بند زنان زندان اوین.",
    )
    detention = detention_record(
        actor=actor,
        reason=REASON,
        confidentiality="public",
        person=varisheh,
        arrested=FuzzyDate.unknown(),
        facility=_facility("Evin women's ward"),
        citations=[CitationInput(source=sources["evin"])],
    )
    status_record(
        actor=actor,
        reason=REASON,
        detention=detention,
        status="hunger_strike",
        started=_day(2026, 1, 8),
        citations=[campaign, CitationInput(source=sources["evin"])],
    )
    return 4


def _figures(actor: User | None, sources: dict[str, Source]) -> int:
    hrana, campaign, son = sources["hrana"], sources["campaign"], sources["son"]
    start, end = dt.date(2025, 12, 28), dt.date(2026, 1, 9)
    national = [
        ("protests", "more_than", 512, "more than 512 protests"),
        ("provinces_with_protests", "exactly", 31, "in all 31 provinces"),
        ("killed", "at_least", 50, "at least 50 protesters killed"),
        ("killed_minors", "at_least", 7, "at least 7 of them under 18"),
        ("arrested", "at_least", 2300, "at least 2,300 arrested"),
        ("arrested_minors", "at_least", 167, "at least 167 under 18"),
        ("universities_with_protests", "exactly", 35, "student protests at 35 universities"),
    ]
    for metric, qualifier, value, wording in national:
        figure_record(
            actor=actor,
            reason=REASON,
            source=hrana,
            metric=metric,
            qualifier=qualifier,
            value=value,
            value_text=wording,
            published_on=end,
            period_start=start,
            period_end=end,
            place=_place("Iran"),
        )
    # Vague quantities are coded conservatively (ACLED: "dozens" = 12); the wording is kept beside them.
    local = [
        (campaign, "arrested", "about", 50, "about 50 mourners detained", "Mashhad", dt.date(2025, 12, 12)),
        (
            son,
            "disappeared",
            "at_least",
            39,
            "Narges Mohammadi and 38 other activists",
            "Iran",
            dt.date(2026, 1, 7),
        ),
        (campaign, "killed", "at_least", 2, "several killed", "Malekshahi", dt.date(2026, 1, 3)),
        (campaign, "injured", "at_least", 12, "dozens injured", "Malekshahi", dt.date(2026, 1, 3)),
        (campaign, "hunger_strikers", "at_least", 14, "at least 14 Kurdish political prisoners", "Iran", end),
    ]
    for source, metric, qualifier, value, wording, place, day in local:
        figure_record(
            actor=actor,
            reason=REASON,
            source=source,
            metric=metric,
            qualifier=qualifier,
            value=value,
            value_text=wording,
            published_on=source.published_on or end,
            period_start=day,
            period_end=day if metric != "disappeared" else dt.date(2026, 1, 7),
            place=_place(place),
        )
    return len(national) + len(local)
