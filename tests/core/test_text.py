"""Plain text as Vigil stores it: markup and script URLs refused, prose kept."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from vigil.core.text import validate_plain_text


@pytest.mark.parametrize(
    "text",
    [
        "Missing data: no family contact",  # refused as a data: URL
        "Data: from the family",
        "age < 18",
        "I <3 Iran",
        "javascript is not mentioned here",
        "محمد\u200cرضا",  # a ZWNJ is part of Persian spelling
        "\u200fمهسا امینی",  # a right-to-left mark
    ],
)
def test_prose_is_kept(text: str) -> None:
    validate_plain_text(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("<script>alert(1)</script>", "markup"),
        ('<img src=x onerror="alert(1)">', "markup"),
        ("javascript:alert(1)", "script_url"),
        ("JavaScript : alert(1)", "script_url"),
        ("data:text/html;base64,PHNjcmlwdD4=", "script_url"),
        ("see data: image/svg+xml,<svg", "markup"),
        ("Evil\u202eName", "control"),  # shown as "EvilemaN": a right-to-left override
        ("Ali\u2066Reza", "control"),
        ("nul\x00byte", "control"),
    ],
)
def test_markup_and_script_urls_are_refused(text: str, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_plain_text(text)
    assert refused.value.code == code
