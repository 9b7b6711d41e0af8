"""The staff forms' own fields: numbers typed as documenters type them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from vigil.staff.forms import WholeNumberField


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("2,300", 2300), ("۲٬۳۰۰", 2300), ("۲,۳۰۰", 2300), ("1,250,000", 1250000), ("۲۳۰۰", 2300)],
)
def test_a_number_is_read_with_its_thousands_grouped(typed: str, kept: int) -> None:
    """A count copied from a report ("2,300", "۲٬۳۰۰") was refused with "Enter a whole number"."""
    assert WholeNumberField().clean(typed) == kept


@pytest.mark.parametrize("typed", ["2,30", "1,5", "23,00,000", ",300", "2300,"])
def test_a_number_grouped_wrongly_is_refused(typed: str) -> None:
    """Only thousands are grouped: "1,5" (a decimal comma?) is not read as 15."""
    with pytest.raises(ValidationError):
        WholeNumberField().clean(typed)
