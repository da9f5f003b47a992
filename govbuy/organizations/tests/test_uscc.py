"""USCC: normalisation, refusals, warnings, and the property that one typing error is always caught."""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from govbuy.core.errors import ValidationFailed
from govbuy.organizations import uscc

KNOWN_VALID = ["91350100M000100Y43", "91110000802100433B", "12100000400000624D"]


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_known_valid_codes_parse_without_warnings(code):
    info = uscc.parse(code)
    assert info.code == code
    assert info.warnings == ()
    assert info.warning_codes == ()


def test_parts_are_explained():
    info = uscc.parse("91350100M000100Y43")
    assert (info.authority, info.category, info.prefix) == ("9", "1", "91")
    assert info.region_code == "350100"
    assert info.organisation_code == "M000100Y4"
    assert str(info.authority_label) == "市场监管（工商）"
    assert str(info.category_label) == "企业"
    with translation.override("en"):
        assert str(info.authority_label) == "market regulation (industry and commerce)"
        assert str(info.category_label) == "enterprise"


@pytest.mark.parametrize(
    "typed",
    [
        "９１３５０１００Ｍ０００１００Ｙ４３",  # full width
        "91350100m000100y43",  # lower case
        " 9135 0100 M000 100Y 43 ",  # spaces
        "91-350100-M000100Y4-3",  # hyphens
        "91\u3000350100－M000100Y43",  # ideographic space and full-width hyphen
    ],
)
def test_typed_variants_normalise_to_the_code(typed):
    assert uscc.parse(typed).code == "91350100M000100Y43"


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_letters_outside_the_alphabet_are_refused(letter):
    code = "91350100M000100Y43"
    bad = code[:10] + letter + code[11:]
    with pytest.raises(ValidationFailed) as exc:
        uscc.parse(bad)
    assert exc.value.code == "uscc_alphabet"
    assert letter in str(exc.value.message)


@pytest.mark.parametrize("code", ["", "9135010", "91350100M000100Y4", "91350100M000100Y433"])
def test_wrong_length_is_refused(code):
    with pytest.raises(ValidationFailed) as exc:
        uscc.parse(code)
    assert exc.value.code in {"uscc_length", "uscc_required"}
    assert "uscc" in exc.value.fields


def test_wrong_check_character_is_refused():
    with pytest.raises(ValidationFailed) as exc:
        uscc.parse("91350100M000100Y44")
    assert exc.value.code == "uscc_check"


def test_gb11714_failure_is_a_warning_not_a_refusal():
    good = uscc.make_code("91", "110105", "MA01ABCD")
    body = good[:16] + ("1" if good[16] != "1" else "2")  # break the organisation-code check only
    code = uscc.with_check_character(body)
    info = uscc.parse(code)
    assert info.code == code
    assert uscc.WARNING_ORG_CODE_CHECK in info.warning_codes
    assert any("GB 11714" in str(w) for w in info.warnings)


@pytest.mark.parametrize("prefix", ["Y1", "N2", "N1", "93"])
def test_letter_and_rural_prefixes_are_accepted(prefix):
    code = uscc.make_code(prefix, "110105", "MA01ABCD")
    info = uscc.parse(code)
    assert info.prefix == prefix
    assert uscc.WARNING_UNKNOWN_AUTHORITY not in info.warning_codes
    assert uscc.WARNING_UNKNOWN_CATEGORY not in info.warning_codes


def test_unknown_authority_is_a_warning():
    info = uscc.parse(uscc.make_code("B1", "110105", "12345678"))
    assert info.warning_codes == (uscc.WARNING_UNKNOWN_AUTHORITY,)


def test_kind_prefix_mismatch_is_a_warning_for_the_verifier():
    info = uscc.parse("91350100M000100Y43")
    assert uscc.kind_mismatch_warning(info, "enterprise") is None
    message = uscc.kind_mismatch_warning(info, "social_group")
    assert message is not None
    assert "91" in str(message)
    assert "51" in str(message)
    codes, _messages = uscc.warnings_for(info, "social_group")
    assert codes == [uscc.WARNING_KIND_PREFIX]


def test_expected_prefixes_can_be_configured(settings):
    info = uscc.parse("91350100M000100Y43")
    settings.USCC_EXPECTED_PREFIXES = {"social_group": ["51", "91"]}
    assert uscc.kind_mismatch_warning(info, "social_group") is None


def test_explain_gives_the_api_shape():
    out = uscc.explain(uscc.parse("91350100M000100Y43"), "foundation")
    assert out["code"] == "91350100M000100Y43"
    assert out["check_character"] == "3"
    assert out["expected_prefixes"] == ["53"]
    assert out["warning_codes"] == [uscc.WARNING_KIND_PREFIX]


# --- properties -------------------------------------------------------------------------------

alphabet_chars = st.sampled_from(uscc.ALPHABET)
prefixes = st.sampled_from(["11", "12", "13", "51", "52", "53", "91", "92", "93", "N1", "N2", "Y1"])
regions = st.text(alphabet="0123456789", min_size=6, max_size=6)
bodies = st.text(alphabet=uscc.ALPHABET, min_size=8, max_size=8)


@settings(max_examples=150, deadline=None)
@given(prefix=prefixes, region=regions, body=bodies)
def test_every_single_substitution_of_a_valid_code_is_refused(prefix, region, body):
    code = uscc.make_code(prefix, region, body)
    assert uscc.parse(code).code == code
    for position in range(18):
        for replacement in uscc.ALPHABET:
            if replacement == code[position]:
                continue
            mutated = code[:position] + replacement + code[position + 1 :]
            with pytest.raises(ValidationFailed):
                uscc.parse(mutated)


@settings(max_examples=100, deadline=None)
@given(prefix=prefixes, region=regions, body=bodies, position=st.integers(0, 17), char=st.characters())
def test_substitution_with_any_character_is_refused(prefix, region, body, position, char):
    code = uscc.make_code(prefix, region, body)
    mutated = code[:position] + char + code[position + 1 :]
    if uscc.normalise(mutated) == code:
        return  # e.g. the full-width or lower-case form of the same character
    with pytest.raises(ValidationFailed):
        uscc.parse(mutated)


@given(st.text())
def test_normalise_is_idempotent(text):
    once = uscc.normalise(text)
    assert uscc.normalise(once) == once


@given(st.text())
def test_parse_never_fails_otherwise(text):
    """Fuzz: any input is either a parsed code or a ValidationFailed, never another error."""
    refusal = None
    try:
        info = uscc.parse(text)
    except ValidationFailed as exc:
        refusal = exc
    if refusal is not None:
        assert refusal.fields["uscc"]
    else:
        assert len(info.code) == 18


def test_extra_categories_can_be_configured(settings):
    code = uscc.make_code("54", "110101", "MC0D0009")
    assert uscc.WARNING_UNKNOWN_CATEGORY in uscc.parse(code).warning_codes
    settings.USCC_EXTRA_CATEGORIES = {"5": {"4": "村民委员会"}}
    info = uscc.parse(code)
    assert uscc.WARNING_UNKNOWN_CATEGORY not in info.warning_codes
    assert str(info.category_label) == "村民委员会"


def test_make_code_refuses_characters_outside_the_alphabet():
    with pytest.raises(ValueError, match="not allowed: V"):
        uscc.make_code("91", "110000", "MA01EV01")
