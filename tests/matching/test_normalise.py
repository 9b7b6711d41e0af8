"""Names reduced to keys that survive a change of script and spelling."""

import pytest
from django.utils import translation

from vigil.core.text import fold_name
from vigil.matching.normalise import MAX_NAME_CHARS, analyse_name, blocking_keys, lookup_keys


def key(text: str) -> str:
    return analyse_name(text).key


def test_the_four_spellings_of_narges_mohammadi_share_one_key():
    """Latin spellings with one or two m, and Persian script with Persian or Arabic yeh, share a key."""
    keys = {key(name) for name in ("Narges Mohammadi", "Narges Mohamadi", "نرگس محمدی", "نرگس محمدي")}
    assert keys == {"mhmdy nrgs"}


@pytest.mark.parametrize(
    "spellings",
    [
        ("Hossein", "Hosein", "Hussein", "Hosseyn", "حسین"),
        ("Mohammad", "Mohamad", "Muhammad", "Mohammed", "محمد"),
        ("Mousavi", "Musavi", "Moosavi", "موسوی"),
        ("Ghasemi", "Qasemi", "قاسمی"),
        ("Khosravi", "Xosravi", "خسروی"),
        ("Rezaei", "Rezaee", "Rezai", "رضایی", "رضائی"),
        ("Jafari", "Ja'fari", "Ja’fari", "جعفری"),
        ("Alizadeh", "Alizade", "Ali-Zadeh Karimi", "علیزاده", "علی‌زاده"),
        ("Morteza", "Murtaza", "مرتضی"),
        ("Davood", "Davoud", "Dawood", "داوود", "داود"),
    ],
)
def test_common_transliterations_share_the_persian_key(spellings):
    """kh/x, gh/q, ou/u/oo, ee/i, doubled letters, -zadeh/-zade, apostrophes and alef maqsura fold together."""
    first = analyse_name(spellings[0]).skeletons[0]
    assert all(analyse_name(s).skeletons[0] == first for s in spellings)


def test_hassan_and_hossein_stay_apart():
    """The long vowel written in حسین keeps Hossein apart from Hassan, and Ehsan's initial vowel from both."""
    assert len({key("Hassan"), key("Hossein"), key("Ehsan"), key("حسن"), key("حسین"), key("احسان")}) == 3


def test_persian_letter_forms_diacritics_tatweel_and_zwnj_fold():
    """Arabic kaf and yeh, teh marbuta, harakat, tatweel and ZWNJ do not change the key."""
    assert key("مُحَمَّد‌رضا كريمي") == key("محمدرضا کریمی") == key("Mohammadreza Karimi")
    assert key("محـمد") == key("محمد")


def test_honorifics_are_set_aside():
    """Seyed, Haj, Mir, Sheikh and their Persian forms are not part of the key, but are kept aside."""
    form = analyse_name("Seyed Ali Hosseini")
    assert (
        form.key
        == key("Ali Hosseini")
        == key("سید علی حسینی")
        == key("سیدعلی حسینی")
        == key("Haj Ali Hosseini")
    )
    assert form.honorifics == ("seyed",)
    assert key("Seyedi") != key("")  # a family name that begins like the honorific is kept


def test_a_compound_given_name_joined_or_apart_meets_under_a_blocking_key():
    """ "Mohammad Reza Karimi" and "Mohammadreza Karimi" share a blocking key."""
    assert lookup_keys(analyse_name("Mohammad Reza Karimi")) & blocking_keys(
        analyse_name("Mohammadreza Karimi")
    )


def test_a_typo_still_meets_under_a_blocking_key():
    """One wrong letter still finds the name (a deletion neighbourhood)."""
    assert lookup_keys(analyse_name("Narges Mohannadi")) & blocking_keys(analyse_name("نرگس محمدی"))


def test_a_mixed_script_name_is_read_part_by_part():
    """A name typed half in Latin, half in Persian script gets the same key as either."""
    form = analyse_name("Narges محمدی")
    assert form.usable and form.key == key("Narges Mohammadi") and form.script == "mixed"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("Seyed", "only titles or honorifics"),
        ("سید حاج", "only titles or honorifics"),
        ("۱۲۳۴ --", "no letters"),
        ("x" * 10_000, f"longer than {MAX_NAME_CHARS} characters"),
        ("a b c d e f g h i j", "more than 8 parts"),
    ],
)
def test_a_name_that_cannot_be_matched_says_why_and_has_no_keys(text, problem):
    """Empty names, honorific-only names, 10,000-character names and the like are refused with a reason."""
    form = analyse_name(text)
    assert not form.usable
    assert problem in str(form.problem)
    assert blocking_keys(form) == frozenset()


@pytest.mark.parametrize("text", ["Seyed Haj", "x" * 10_000])
def test_why_a_name_cannot_be_matched_is_said_in_each_readers_language(text):
    """Names are analysed once and cached: the reason was fixed in the language of the first reader, so an
    English documenter read it in Persian after a Persian one had typed the same name."""
    analyse_name.cache_clear()
    with translation.override("fa"):
        persian = str(analyse_name(text).problem)
    with translation.override("en"):
        english = str(analyse_name(text).problem)
    assert english.startswith("The name ") and persian != english
    assert not any("a" <= char <= "z" for char in persian.replace("x", ""))


def test_fold_name_drops_apostrophes_and_invisible_marks_inside_words():
    """Ja'fari is one word, and a right-to-left mark copied from a chat app changes nothing."""
    assert fold_name("Ja'fari") == "jafari"
    assert fold_name("\u200fعلی\u200f") == "علی"
