"""Reading single cells: ages, quantities, links and formulas."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from vigil.exchange.cells import is_formula, parse_age, parse_quantity, split_links


@pytest.mark.parametrize("text", ["17", "۱۷", "17 years", "17-year-old", "۱۷ ساله", "17 yrs"])
def test_ages_are_read_in_any_digits_and_wording(text: str) -> None:
    """Every common way of writing an age gives the number."""
    assert parse_age(text) == 17


def test_an_unreadable_age_says_how_to_write_it() -> None:
    """The message lists the accepted forms."""
    with pytest.raises(ValidationError, match="write 17, ۱۷, 17 years"):
        parse_age("about seventeen")


@pytest.mark.parametrize(("text", "value"), [("2300", 2300), ("2,300", 2300), ("۲٬۳۰۰", 2300), ("more than 512", 512),
                                             ("dozens", 12), ("صدها", 100)])  # fmt: skip
def test_quantities_and_vague_words_are_coded(text: str, value: int) -> None:
    """Separators and Persian digits are read; vague words are coded as ACLED does."""
    assert parse_quantity(text) == value


@pytest.mark.parametrize(
    ("text", "formula"),
    [("=SUM(A1:A2)", True), ("@SUM(A1)", True), ("+cmd|' /C calc'!A0", True), ("-2+3+cmd|' /C calc'!A0", True),
     ("+ cmd|' /C calc'!A0", True), ("@ SUM(A1)", True),
     ("+98 21 5555 0000", False), ("- arrested at home", False), ("- arrested (in Tehran)", False),
     ("@IranNewsAgency0", False), ("-17", False)],
)  # fmt: skip
def test_formulas_are_told_from_phones_bullets_and_handles(text: str, formula: bool) -> None:
    """Only what a spreadsheet would run counts as a formula."""
    assert is_formula(text) is formula


def test_links_are_split_on_commas_spaces_and_lines() -> None:
    """A cell of several links gives each once, in order."""
    assert split_links("https://a.org/1, https://b.org/2\nhttps://a.org/1 https://c.org/3") == [
        "https://a.org/1", "https://b.org/2", "https://c.org/3"
    ]  # fmt: skip
