"""The header's search: enterprises by pinyin initials and credit code, appeals by number, projects
and key projects by name; each kind scoped exactly like its list, for every role; the same answers
on the page, in the header's drop-down and from the API."""

import pytest

from zoneos.appeals.models import Appeal
from zoneos.core import search
from zoneos.core.roles import VIEW
from zoneos.enterprises import pinyin
from zoneos.enterprises.models import Enterprise
from zoneos.pipeline.models import Project
from zoneos.supervision.models import KeyProject
from zoneos.testing.world import ALL_USERS

MODELS = {"enterprise": Enterprise, "project": Project, "key_project": KeyProject, "appeal": Appeal}


@pytest.fixture
def searchable(world):
    """The world's enterprises with the pinyin keys the registry's services write."""
    for e in Enterprise.objects.all():
        e.name_pinyin, e.name_initials = pinyin.keys(e.name)
        e.save(update_fields=["name_pinyin", "name_initials"])
    return world


def found(user, text):
    return {(item["kind"], item["id"]) for g in search.search(user, text, 50) for item in g["items"]}


def test_a_number_is_read_as_people_type_it():
    assert [search.number(t) for t in ("41", "#41", "No. 41", "no.41", "第41号", "4x1", "")] == [
        41,
        41,
        41,
        41,
        41,
        None,
        None,
    ]
    assert search.number("9" * 20) is None  # beyond any id: no lookup at all


@pytest.mark.django_db
def test_an_enterprise_is_found_by_its_pinyin_initials_and_its_credit_code(searchable):
    w = searchable
    initials = pinyin.keys(w.E1.name)[1]  # 一号科技有限公司 -> yhkjyxgs
    assert ("enterprise", w.E1.pk) in found(w.admin, initials[:4])
    assert ("enterprise", w.E1.pk) in found(w.admin, initials.upper())
    if w.E1.uscc:
        assert ("enterprise", w.E1.pk) in found(w.admin, w.E1.uscc[:10])


@pytest.mark.django_db
def test_an_appeal_is_found_by_its_number(world):
    for text in (str(world.AP1.pk), f"#{world.AP1.pk}", f"No. {world.AP1.pk}"):
        assert ("appeal", world.AP1.pk) in found(world.admin, text)
    # Out of the admin's scope: its number finds nothing.
    assert ("appeal", world.AP2.pk) not in found(world.admin, str(world.AP2.pk))
    assert ("appeal", world.AP2.pk) in found(world.root, str(world.AP2.pk))


@pytest.mark.django_db
def test_projects_and_key_projects_are_found_by_name(world):
    assert ("project", world.PR1.pk) in found(world.admin, world.PR1.name)
    assert ("key_project", world.KP1.pk) in found(world.admin, world.KP1.name)


BROAD = ["科技", "一号", "三号", "项目", "yhkj", "shkj", "诉求"]


@pytest.mark.django_db
@pytest.mark.parametrize("username", ALL_USERS)
def test_search_never_finds_a_record_out_of_scope(searchable, username):
    w = searchable
    user = w.users[username]
    texts = [*BROAD, w.PR1.name, w.PR2.name, w.KP1.name, w.KP2.name, w.AP1.title, w.AP2.title]
    texts += [str(w.AP1.pk), str(w.AP2.pk), w.E1.name, w.E2.name]
    for text in texts:
        for kind, pk in found(user, text):
            assert MODELS[kind].objects.filter(pk=pk).scope(user, VIEW).exists(), (username, text, kind)
    seen = {r for text in texts for r in found(user, text)}
    # Zone Z2's records are out of everyone's reach but the superuser's.
    outside = {
        ("enterprise", w.E2.pk),
        ("project", w.PR2.pk),
        ("key_project", w.KP2.pk),
        ("appeal", w.AP2.pk),
    }
    assert bool(seen & outside) == (username == "root")
    if username == "enterprise":
        assert {kind for kind, _pk in seen} <= {"enterprise", "appeal"}
        assert ("appeal", w.AP1.pk) in seen


@pytest.mark.django_db
def test_the_header_gets_its_drop_down_and_enter_gets_a_page(searchable, client):
    w = searchable
    client.force_login(w.park_staff)
    fragment = client.get("/search/", {"q": "yhkj"}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert f'data-testid="search-enterprise-{w.E1.pk}"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    page = client.get("/search/", {"q": "yhkj"})
    assert b"<h1" in page.content and f"/enterprises/{w.E1.pk}/".encode() in page.content
    assert b'data-testid="search-none"' in client.get("/search/", {"q": "zzzzqq"}).content
    assert client.get("/search/", {"q": "x" * 5000}).status_code == 200  # cut to 100 characters


@pytest.mark.django_db
def test_the_search_page_needs_a_sign_in(client):
    assert client.get("/search/", {"q": "abc"}).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("username", [*ALL_USERS, None])
def test_the_api_answers_the_callers_scope(searchable, api, username):
    w = searchable
    client = api(w.users[username] if username else None)
    response = client.get("/api/v1/search/", {"q": str(w.AP1.pk)})
    if username is None:
        assert response.status_code == 401
        return
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == str(w.AP1.pk)
    ids = {(r["kind"], r["id"]) for r in body["results"]}
    sees_ap1 = Appeal.objects.filter(pk=w.AP1.pk).scope(w.users[username], VIEW).exists()
    assert (("appeal", w.AP1.pk) in ids) == sees_ap1
    for r in body["results"]:
        assert MODELS[r["kind"]].objects.filter(pk=r["id"]).scope(w.users[username], VIEW).exists()
        assert r["url"].startswith("/")


@pytest.mark.django_db
def test_the_api_refuses_a_limit_out_of_range(world, api):
    client = api(world.admin)
    for limit in ("0", "21", "x", "-1"):
        response = client.get("/api/v1/search/", {"q": "科技", "limit": limit})
        assert response.status_code == 400 and "limit" in response.json()
    assert client.get("/api/v1/search/", {"q": "科技", "limit": "20"}).status_code == 200


@pytest.mark.django_db
def test_a_search_runs_one_query_per_kind(searchable, django_assert_max_num_queries, client):
    user = searchable.admin
    client.force_login(user)
    client.get("/")  # the session and the user's memberships
    with django_assert_max_num_queries(len(search.sources()) + 4):
        client.get("/search/", {"q": "科技"}, HTTP_HX_REQUEST="true")


def test_the_apps_declare_the_kinds_and_a_key_names_one_model():
    from django.core.exceptions import ImproperlyConfigured

    assert [s.key for s in search.sources()] == ["enterprise", "project", "key_project", "appeal"]
    with pytest.raises(ImproperlyConfigured):
        search.source(
            "appeal",
            "Appeals",
            icon="x",
            model=Enterprise,
            filter=lambda q, t: q,
            title=str,
            detail=str,
            order=1,
        )
