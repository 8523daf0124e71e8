"""Pages: Chinese by default whatever the browser asks, English on request, narrowed by the switcher."""

import pytest

pytestmark = pytest.mark.django_db


def table(response) -> str:
    """The body of the page's main table (the area switcher lists areas too)."""
    html = response.content.decode()
    return html[html.index("<tbody>") : html.index("</tbody>")]


def test_the_login_page_is_chinese_even_for_an_english_browser(client):
    response = client.get("/login/", headers={"accept-language": "en-US,en;q=0.9"})
    assert response.status_code == 200
    assert "登录" in response.content.decode()
    assert response["Content-Language"] == "zh-hans"


def test_switching_to_english_sticks(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    page = client.get("/login/").content.decode()
    assert "Sign in" in page and "登录" not in page.replace("简体中文", "")


def test_pages_need_login(client):
    assert client.get("/areas/").status_code == 302


def test_home_shows_the_users_areas_with_parks_and_departments(world, client):
    client.force_login(world.supervisor)  # (a leader lands on the dashboard instead)
    page = client.get("/").content.decode()
    assert "一号高新区" in page and "一号园" in page and "企业服务中心" in page
    assert "二号高新区" not in page


def test_the_area_switcher_narrows_every_list(world, client):
    client.force_login(world.root)
    assert "三号园" in table(client.get("/areas/"))
    client.post("/set-area/", {"area": world.Z1.pk, "next": "/areas/"})
    page = table(client.get("/areas/"))
    assert "一号园" in page and "三号园" not in page
    users_page = table(client.get("/users/"))
    assert "colleague" in users_page and "outsider" not in users_page


def test_the_switcher_cannot_reach_outside_the_scope(world, client):
    client.force_login(world.park_staff)
    assert client.post("/set-area/", {"area": world.P3.pk}).status_code == 404


def test_another_parks_record_page_is_404(world, client):
    client.force_login(world.park_staff)
    assert client.get(f"/areas/{world.P1.pk}/").status_code == 200
    assert client.get(f"/areas/{world.P3.pk}/").status_code == 404
    assert client.get(f"/users/{world.outsider.pk}/").status_code == 404


def test_the_history_tab_lists_changes_with_their_author(world, client):
    from zoneos.areas import services

    services.update_area(world.P2, by=world.admin, name="二号智造园")
    services.update_area(world.P2, by=world.root, parent=world.Z2)
    services.update_area(world.P2, by=world.root, parent=world.Z1)
    client.force_login(world.leader)
    page = client.get(f"/areas/{world.P2.pk}/?tab=history").content.decode()
    assert "二号智造园" in page and "admin" in page
    assert "园区" in page  # the kind's label, not its code
    assert "一号高新区" in page  # the old parent by name
    assert f"#{world.Z2.pk}" in page  # a parent outside the leader's scope: its id only
    assert "二号高新区" not in page


def test_a_form_error_is_shown_on_the_field_and_nothing_is_saved(world, client):
    from zoneos.areas.models import Area

    client.force_login(world.admin)
    response = client.post(
        "/areas/new/", {"code": "P1", "name": "重复", "kind": "park", "parent": world.Z1.pk}
    )
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert Area.objects.filter(code="P1").count() == 1


def test_creating_an_area_from_the_page(world, client):
    from zoneos.areas.models import Area

    client.force_login(world.admin)
    response = client.post(
        "/areas/new/", {"code": "P4", "name": "四号园", "kind": "park", "parent": world.Z1.pk}
    )
    area = Area.objects.get(code="P4")
    assert response.status_code == 302 and response["Location"] == f"/areas/{area.pk}/"
    assert area.path.startswith(world.Z1.path)


def test_readers_get_no_create_button_and_no_create_page(world, client):
    client.force_login(world.leader)
    assert "/areas/new/" not in client.get("/areas/").content.decode()
    assert client.get("/areas/new/").status_code == 403
