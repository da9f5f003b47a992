from govbuy.organizations.ocds import party, party_id, party_reference


def test_parties_carry_the_uscc_or_our_own_id(world):
    org = world.provider_a_org
    assert party_id(org) == f"CN-USCC-{org.uscc}"
    assert party_reference(org) == {"id": party_id(org), "name": org.name_zh}
    data = party(org, ["tenderer", "supplier", "tenderer"])
    assert data["roles"] == ["supplier", "tenderer"]
    assert data["identifier"] == {"scheme": "CN-USCC", "id": org.uscc, "legalName": org.name_zh}
    assert data["address"] == {"countryName": "中国", "region": org.region.name_zh}
    org.uscc = None  # an individual
    assert party_id(org) == f"govbuy-org-{org.pk}"
    assert "identifier" not in party(org, ["supplier"])
