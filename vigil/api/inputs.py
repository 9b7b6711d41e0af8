"""What the API accepts for writes. Dates of facts are text as documenters write them (Jalali or
Gregorian, Persian or Latin digits, to the day, month or year: ``1404/10/18``, ``2026-01-08``, ``Dey
1404``); codes are vocabulary, gazetteer and facility codes (see the reference endpoints)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from vigil.api.routers.common import CODE, CODE_MAX, MAX_ID, IsoDay
from vigil.core.text import CONTROL_CHARACTERS

Code = str
CodeItem = Annotated[str, Field(max_length=CODE_MAX, pattern=CODE)]


class Input(Schema):
    """A write's body: text with invisible control characters (NUL, bidirectional overrides ...) is refused
    before it reaches a service or the database, wherever it appears; so is a key the body does not take
    (a misspelt "summery_en" changed nothing and answered 200)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and CONTROL_CHARACTERS.search(text) for text in texts):
            raise ValueError("Text contains invisible control characters; send it as plain text.")
        return value


TEXT_MAX = 5000
FuzzyText = str


def code_field(description: str = "", default: str = "") -> Code:
    return Field(default, max_length=CODE_MAX, pattern=CODE, description=description)


def date_field(description: str) -> FuzzyText:
    return Field("", max_length=40, description=description)


Reason = Field(
    ..., min_length=1, max_length=500, description="Why: usually the source the change comes from."
)
Confidentiality = Literal["public", "internal", "restricted"]


class CitationIn(Input):
    source_id: int = Field(..., ge=1, le=MAX_ID)
    quote: str = Field("", max_length=TEXT_MAX)
    quote_language: str = Field("", max_length=8)
    translation: str = Field("", max_length=TEXT_MAX)
    translation_method: Literal["none", "human", "machine", "post_edited"] = "none"
    relation: Literal[
        "unknown",
        "victim",
        "relative",
        "witness",
        "lawyer",
        "fellow_prisoner",
        "official",
        "monitor",
        "media",
    ] = "unknown"
    locator: str = Field("", max_length=200)


Sources = Field(..., min_length=1, max_length=20, description="At least one source for the fact.")


class NameIn(Input):
    text: str = Field(..., min_length=1, max_length=200)
    kind: Literal["birth", "alias", "transliteration", "misspelling"] = "birth"
    primary: bool = False


class PersonIn(Input):
    reason: str = Reason
    names: list[NameIn] = Field(..., min_length=1, max_length=20)
    sources: list[CitationIn] = Sources
    gender: Literal["female", "male", "other", "unknown"] = "unknown"
    birth: FuzzyText = date_field("Date of birth, to the day, month or year.")
    reported_age: int | None = Field(None, ge=0, le=130)
    age_reported_on: IsoDay | None = None
    ethnicity: Code = code_field()
    religion: Code = code_field()
    occupations: list[CodeItem] = Field(default_factory=list, max_length=20)
    residence: Code = code_field("Place code.")
    summary_en: str = Field("", max_length=TEXT_MAX)
    summary_fa: str = Field("", max_length=TEXT_MAX)
    confidentiality: Confidentiality = "internal"


class PersonPatch(Input):
    """Only the fields given are changed."""

    reason: str = Reason
    sources: list[CitationIn] = Field(default_factory=list, max_length=20)
    gender: Literal["female", "male", "other", "unknown"] | None = None
    birth: FuzzyText | None = Field(None, max_length=40)
    reported_age: int | None = Field(None, ge=0, le=130)
    age_reported_on: IsoDay | None = None
    ethnicity: Code | None = Field(None, max_length=CODE_MAX, pattern=CODE)
    religion: Code | None = Field(None, max_length=CODE_MAX, pattern=CODE)
    occupations: list[CodeItem] | None = Field(None, max_length=20)
    summary_en: str | None = Field(None, max_length=TEXT_MAX)
    summary_fa: str | None = Field(None, max_length=TEXT_MAX)
    confidentiality: Confidentiality | None = None


class NameAddIn(NameIn):
    reason: str = Reason
    source_id: int | None = Field(None, ge=1, le=MAX_ID)


class SourceIn(Input):
    reason: str = Reason
    kind: Code = Field(..., max_length=CODE_MAX, pattern=CODE)
    title: str = Field(..., min_length=1, max_length=500)
    publisher: Code = code_field("Organization code.")
    author: str = Field("", max_length=200)
    url: str = Field("", max_length=1000)
    published_on: IsoDay | None = None
    language: str = Field("fa", max_length=8)
    reliability: Literal["A", "B", "C", "D", "E", "F"] = "F"
    credibility: Literal["1", "2", "3", "4", "5", "6"] = "6"
    confidentiality: Confidentiality = "internal"


class DetentionIn(Input):
    reason: str = Reason
    sources: list[CitationIn] = Sources
    arrested: FuzzyText = date_field("Date of the arrest; empty when unknown.")
    arrest_place: Code = code_field("Place code.")
    facility: Code = code_field("Facility code of where the person was first held.")
    event_id: int | None = Field(None, ge=1, le=MAX_ID)
    note: str = Field("", max_length=TEXT_MAX)
    confidentiality: Confidentiality | None = None


class StatusIn(Input):
    reason: str = Reason
    sources: list[CitationIn] = Sources
    status: Code = Field(..., max_length=CODE_MAX, pattern=CODE, description="Custody status code.")
    started: FuzzyText = date_field("Since when.")
    ended: FuzzyText = date_field("Until when; empty while it goes on.")
    note: str = Field("", max_length=TEXT_MAX)


class StatusEndIn(Input):
    reason: str = Reason
    sources: list[CitationIn] = Sources
    ended: FuzzyText = Field(..., min_length=1, max_length=40, description="When it stopped.")


class ReleaseIn(Input):
    reason: str = Reason
    sources: list[CitationIn] = Sources
    released: FuzzyText = date_field("Date of the release; empty when unknown.")
    release_kind: Code = Field(..., max_length=CODE_MAX, pattern=CODE, description="Release kind code.")


class TransferIn(Input):
    reason: str = Reason
    sources: list[CitationIn] = Sources
    to_facility: Code = Field(..., max_length=CODE_MAX, pattern=CODE, description="Facility code.")
    transferred: FuzzyText = date_field("Date of the transfer; empty when unknown.")
    note: str = Field("", max_length=TEXT_MAX)


CaseStageName = Literal["investigation", "indictment", "trial", "verdict", "appeal", "final", "retrial"]


class CaseIn(Input):
    reason: str = Reason
    sources: list[CitationIn] = Sources
    detention_id: int | None = Field(None, ge=1, le=MAX_ID, description="The detention the case arose from.")
    court: Code = code_field("Organization code of the court.")
    branch: str = Field("", max_length=50)
    judge: str = Field("", max_length=200)
    charges: list[CodeItem] = Field(default_factory=list, max_length=20, description="Charge codes.")
    activities: list[CodeItem] = Field(
        default_factory=list, max_length=20, description="Codes of the activities persecuted for."
    )
    stage: CaseStageName = "investigation"
    note: str = Field("", max_length=TEXT_MAX)
    confidentiality: Confidentiality | None = None


class CaseStageIn(Input):
    reason: str = Reason
    sources: list[CitationIn] = Sources
    stage: CaseStageName
    occurred: FuzzyText = date_field("Date of the step; empty when unknown.")
    note: str = Field("", max_length=TEXT_MAX)


class SentenceIn(Input):
    """One penalty: "5 years and 74 lashes" is two sentences, prison and lashes."""

    reason: str = Reason
    sources: list[CitationIn] = Sources
    kind: Code = Field(..., max_length=CODE_MAX, pattern=CODE, description="Sentence kind code.")
    stage: CaseStageName = "verdict"
    issued: FuzzyText = date_field("Date the sentence was issued; empty when unknown.")
    prison_months: int | None = Field(
        None, ge=1, le=12_000, description="Term in months (prison, exile, bans)."
    )
    lashes: int | None = Field(None, ge=1, le=32_767)
    fine: str = Field("", max_length=100)
    text: str = Field("", max_length=TEXT_MAX, description="The wording of the sentence.")


class ExecutionIn(Input):
    reason: str = Reason
    sources: list[CitationIn] = Sources
    executed: FuzzyText = date_field("Date of the execution; empty when unknown.")
    case_id: int | None = Field(None, ge=1, le=MAX_ID, description="The case that led to it.")
    facility: Code = code_field("Facility code.")
    note: str = Field("", max_length=TEXT_MAX)


class EventIn(Input):
    reason: str = Reason
    sources: list[CitationIn] = Sources
    kind: Code = Field(..., max_length=CODE_MAX, pattern=CODE)
    title_en: str = Field(..., min_length=1, max_length=300)
    title_fa: str = Field("", max_length=300)
    started: FuzzyText = date_field("When it started.")
    ended: FuzzyText = date_field("When it ended.")
    place: Code = code_field("Place code.")
    facility: Code = code_field("Facility code.")
    university: Code = code_field("University code.")
    part_of_id: int | None = Field(None, ge=1, le=MAX_ID)
    tactics: list[CodeItem] = Field(default_factory=list, max_length=20)
    description_en: str = Field("", max_length=TEXT_MAX)
    description_fa: str = Field("", max_length=TEXT_MAX)
    confidentiality: Confidentiality = "public"


class FigureIn(Input):
    reason: str = Reason
    source_id: int = Field(..., ge=1, le=MAX_ID)
    metric: Code = Field(..., max_length=CODE_MAX, pattern=CODE)
    qualifier: Literal["at_least", "more_than", "about", "up_to", "exactly"]
    value: int = Field(..., ge=0, le=2_000_000_000)
    value_text: str = Field("", max_length=200)
    published_on: IsoDay
    period_start: IsoDay | None = None
    period_end: IsoDay
    place: Code = code_field("Place code (one scope at most).")
    facility: Code = code_field("Facility code.")
    university: Code = code_field("University code.")
    note: str = Field("", max_length=TEXT_MAX)
    confidentiality: Confidentiality = "public"


class CasualtyIn(Input):
    reason: str = Reason
    sources: list[CitationIn] = Sources
    kind: Literal["killed", "injured"]
    occurred: FuzzyText = date_field("Date of the death or injury; empty when unknown.")
    place: Code = code_field("Place code.")
    event_id: int | None = Field(None, ge=1, le=MAX_ID)
    cause: Code = code_field("Cause code (live fire, pellets, beating ...).")
    perpetrator: Code = code_field("Organization code of the alleged perpetrator.")
    in_custody: bool = False
    age_reported: int | None = Field(None, ge=0, le=130, description="Age at the time, as reported.")
    confidentiality: Confidentiality | None = None


class InvolvementIn(Input):
    reason: str = Reason
    sources: list[CitationIn] = Sources
    person_id: int = Field(..., ge=1, le=MAX_ID)
    role: Code = Field(..., max_length=CODE_MAX, pattern=CODE, description="Involvement role code.")
    note: str = Field("", max_length=TEXT_MAX)
