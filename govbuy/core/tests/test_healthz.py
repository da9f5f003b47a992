def test_healthz_answers_ok_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_home_needs_login(client, db):
    response = client.get("/workspace/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_home_renders_for_a_persona(world, login):
    response = login(world.purchaser_a).get("/workspace/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
