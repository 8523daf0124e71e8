"""The GeoReport v2 face: an Open311 client lists services, posts a request with an API key, reads it
back, in JSON and in XML; public reads show nothing about the enterprise; errors are the spec's."""

import datetime
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.utils import timezone, translation

from zoneos.appeals.models import Appeal, Category, Channel, Status
from zoneos.core.codes import uscc_check_character
from zoneos.open311 import views
from zoneos.security.services import create_token

BASE = "/open311/v2/"
SPEC_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


def uscc(first17: str) -> str:
    return first17 + uscc_check_character(first17)


E1_USCC = uscc("91440300715267260")
E2_USCC = uscc("91440300715267261")


@pytest.fixture
def world(world):
    for enterprise, code in ((world.E1, E1_USCC), (world.E2, E2_USCC)):
        enterprise.uscc = code
        enterprise.save(update_fields=["uscc"])
    return world


@pytest.fixture
def key(world):
    """The API key of E1's own user."""
    return create_token(by=world.enterprise, name="open311")[1]


def xml(response) -> ElementTree.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ElementTree.fromstring(response.content)


def errors_of(response, fmt="json") -> list[tuple[int, str]]:
    if fmt == "xml":
        root = xml(response)
        assert root.tag == "errors"
        return [(int(e.findtext("code")), e.findtext("description")) for e in root.findall("error")]
    return [(e["code"], e["description"]) for e in response.json()]


def post(client, fmt="json", **data):
    return client.post(f"{BASE}requests.{fmt}", data)


def recent(*appeals, days=1):
    """Move the appeals into the last 90 days (the world's are from March 2026)."""
    Appeal.objects.filter(pk__in=[a.pk for a in appeals]).update(
        received_at=timezone.now() - datetime.timedelta(days=days)
    )


# The must-show ----------------------------------------------------------------------------------------
def test_a_client_lists_services_posts_a_request_and_reads_it_back_in_json(client, world, key, settings):
    settings.ZONEOS_OPEN311_PUBLIC_DESCRIPTIONS = True  # hidden from anonymous readers by default
    services = client.get(f"{BASE}services.json")
    assert services["Content-Type"] == "application/json; charset=utf-8"
    codes = [s["service_code"] for s in services.json()]
    assert codes == Category.values
    consultation = services.json()[0]
    assert consultation["metadata"] is False
    assert consultation["type"] == "realtime"
    assert client.get(f"{BASE}services/consultation.json").json() == {
        "service_code": "consultation",
        "attributes": [],
    }

    created = post(
        client,
        api_key=key,
        jurisdiction_id="zone.example.cn",
        service_code="consultation",
        account_id=E1_USCC.lower(),
        description="新厂房能否申请装修补贴？\n面积约3000平方米。",
        first_name="三",
        last_name="张",
        phone="13800000000",
    )
    assert created.status_code == 200
    [answer] = created.json()
    assert set(answer) == {"service_request_id", "service_notice", "account_id"}
    assert answer["account_id"] == E1_USCC
    appeal = Appeal.objects.get(pk=answer["service_request_id"])
    assert (appeal.enterprise, appeal.submitter) == (world.E1, world.enterprise)
    assert appeal.channel == Channel.ONLINE
    assert (appeal.category, appeal.title) == ("consultation", "新厂房能否申请装修补贴？")
    assert (appeal.contact_name, appeal.contact_phone) == ("张三", "13800000000")
    assert appeal.events.filter(kind="submit").exists()

    [read] = client.get(f"{BASE}requests/{appeal.pk}.json").json()
    assert set(read) == SPEC_FIELDS
    assert read["service_request_id"] == str(appeal.pk)
    assert read["status"] == "open"
    assert read["service_code"] == "consultation"
    assert read["description"] == appeal.description
    assert read["agency_responsible"] == world.D1.name  # routed by RR1
    assert read["address"] == world.P1.name
    assert read["requested_datetime"] == timezone.localtime(appeal.received_at).isoformat(timespec="seconds")
    assert read["expected_datetime"] == timezone.localtime(appeal.reply_due).isoformat(timespec="seconds")
    assert read["requested_datetime"].endswith("+08:00")
    assert read["service_notice"] == answer["service_notice"]
    assert [r["service_request_id"] for r in client.get(f"{BASE}requests.json").json()] == [str(appeal.pk)]


def test_a_client_does_the_same_in_xml(client, world, key, settings):
    settings.ZONEOS_OPEN311_PUBLIC_DESCRIPTIONS = True
    services = xml(client.get(f"{BASE}services.xml"))
    assert services.tag == "services"
    assert [s.findtext("service_code") for s in services.findall("service")] == Category.values
    assert services.find("service/metadata").text == "false"
    definition = xml(client.get(f"{BASE}services/finance.xml"))
    assert definition.tag == "service_definition"
    assert definition.findtext("service_code") == "finance"
    assert list(definition.find("attributes")) == []

    data = {"api_key": key, "service_code": "finance", "account_id": E1_USCC, "description": "贷款贴息"}
    created = post(client, "xml", **data)
    assert created.status_code == 200
    answer = xml(created)
    assert answer.tag == "service_requests"
    service_request_id = answer.findtext("request/service_request_id")
    assert answer.findtext("request/account_id") == E1_USCC

    read = xml(client.get(f"{BASE}requests/{service_request_id}.xml"))
    [request] = read.findall("request")
    assert {child.tag for child in request} == SPEC_FIELDS
    assert request.findtext("status") == "open"
    assert request.findtext("service_code") == "finance"
    assert request.findtext("description") == "贷款贴息"
    assert request.findtext("lat") == ""  # present and empty
    listed = xml(client.get(f"{BASE}requests.xml"))
    assert [r.findtext("service_request_id") for r in listed.findall("request")] == [service_request_id]


def test_discovery_points_at_this_endpoint_in_both_formats(client, world):
    found = client.get(f"{BASE}discovery.json").json()
    assert set(found) == {"changeset", "contact", "key_service", "endpoints"}
    [endpoint] = found["endpoints"]
    assert endpoint == {
        "specification": "http://wiki.open311.org/GeoReport_v2",
        "url": "http://testserver/open311/v2/",
        "changeset": found["changeset"],
        "type": "production",
        "formats": ["text/xml", "application/json"],
    }
    root = xml(client.get(f"{BASE}discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


# Public reads ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_reads_are_public_and_never_show_the_enterprise(client, world, key, fmt, settings):
    settings.ZONEOS_OPEN311_PUBLIC_DESCRIPTIONS = True  # even with the descriptions public
    world.E1.address = "一号路1号"
    world.E1.save(update_fields=["address"])
    created = post(
        client,
        api_key=key,
        service_code="help",
        account_id=E1_USCC,
        description="需要协调用地",
        first_name="四",
        last_name="李",
        email="li4@example.cn",
        phone="13900000000",
    )
    service_request_id = created.json()[0]["service_request_id"]
    anonymous = Client()
    for path in (f"requests.{fmt}", f"requests/{service_request_id}.{fmt}"):
        response = anonymous.get(BASE + path)
        assert response.status_code == 200
        body = response.content.decode()
        assert "需要协调用地" in body
        for secret in (world.E1.name, "李四", "li4@example.cn", "13900000000", "一号路1号"):
            assert secret not in body, (path, secret)


def test_a_closed_appeal_is_closed_and_every_other_state_is_open(client, world):
    recent(world.AP1, world.AP2)
    closed_at = timezone.now() - datetime.timedelta(hours=1)
    Appeal.objects.filter(pk=world.AP2.pk).update(status=Status.CLOSED, closed_at=closed_at)
    Appeal.objects.filter(pk=world.AP1.pk).update(status=Status.REPLIED)
    found = {r["service_request_id"]: r for r in client.get(f"{BASE}requests.json").json()}
    assert found[str(world.AP1.pk)]["status"] == "open"
    assert found[str(world.AP2.pk)]["status"] == "closed"
    assert found[str(world.AP2.pk)]["updated_datetime"] == timezone.localtime(closed_at).isoformat(
        timespec="seconds"
    )


# The default window and limit ------------------------------------------------------------------------
def test_without_dates_only_the_last_90_days_are_listed(client, world):
    recent(world.AP1, days=89)
    recent(world.AP2, days=91)
    listed = [r["service_request_id"] for r in client.get(f"{BASE}requests.json").json()]
    assert listed == [str(world.AP1.pk)]


def test_dates_choose_a_window_of_at_most_90_days(client, world):
    # AP1 and AP2 were received on 2 March 2026, 10:00 Beijing time.
    def listed(**params):
        response = client.get(f"{BASE}requests.json", params)
        assert response.status_code == 200, response.content
        return sorted(int(r["service_request_id"]) for r in response.json())

    both = sorted([world.AP1.pk, world.AP2.pk])
    assert listed(start_date="2026-03-01T00:00:00Z", end_date="2026-03-03T00:00:00Z") == both
    assert listed(start_date="2026-03-02T10:00:00+08:00", end_date="2026-03-02T10:00:00+08:00") == both
    assert listed(start_date="2026-03-02T02:00:01Z", end_date="2026-04-01T00:00:00Z") == []
    assert listed(start_date="2026-03-01") == both  # to 90 days later
    assert listed(start_date="2025-11-01") == []  # 90 days end before March
    assert listed(end_date="2026-05-30T00:00:00+08:00") == both  # from 90 days earlier
    assert listed(end_date="2026-06-01T00:00:00+08:00") == []
    assert listed(start_date="2026-03-01T00:00:00 08:00", end_date="2026-03-03") == both  # unencoded "+"

    too_long = client.get(f"{BASE}requests.json", {"start_date": "2026-01-01", "end_date": "2026-04-02"})
    assert too_long.status_code == 400
    assert [code for code, _ in errors_of(too_long)] == [400]
    assert errors_of(too_long)[0][1].startswith("end_date: ")
    backwards = client.get(f"{BASE}requests.json", {"start_date": "2026-03-02", "end_date": "2026-03-01"})
    assert errors_of(backwards)[0][1].startswith("end_date: ")


def test_at_most_1000_requests_are_listed_newest_first(client, world, monkeypatch):
    assert views.MAX_REQUESTS == 1000
    recent(world.AP1, days=2)
    recent(world.AP2, days=1)
    monkeypatch.setattr(views, "MAX_REQUESTS", 1)
    listed = [r["service_request_id"] for r in client.get(f"{BASE}requests.json").json()]
    assert listed == [str(world.AP2.pk)]


def test_listing_reads_the_appeals_in_one_query_however_many(client, world, django_assert_num_queries):
    recent(world.AP1, world.AP2)
    with django_assert_num_queries(1):
        assert len(client.get(f"{BASE}requests.json").json()) == 2


# Filters ---------------------------------------------------------------------------------------------
def test_filters_by_service_code_and_status(client, world):
    recent(world.AP1, world.AP2)
    Appeal.objects.filter(pk=world.AP2.pk).update(category=Category.LAND, status=Status.CLOSED)

    def listed(**params):
        return sorted(int(r["service_request_id"]) for r in client.get(f"{BASE}requests.json", params).json())

    assert listed(service_code="help") == [world.AP1.pk]
    assert listed(service_code="help,land") == sorted([world.AP1.pk, world.AP2.pk])
    assert listed(service_code="finance") == []
    assert listed(status="open") == [world.AP1.pk]
    assert listed(status="closed") == [world.AP2.pk]
    assert listed(status="open,closed") == sorted([world.AP1.pk, world.AP2.pk])
    assert listed(service_code="land", status="open") == []


def test_service_request_ids_override_every_other_argument(client, world):
    # The world's appeals are outside the default 90 days, and AP1 is not a land appeal.
    ids = f"{world.AP1.pk}, {world.AP2.pk},999999,abc"
    found = client.get(f"{BASE}requests.json", {"service_request_id": ids, "service_code": "land"}).json()
    assert sorted(int(r["service_request_id"]) for r in found) == sorted([world.AP1.pk, world.AP2.pk])


# Errors as the specification gives them --------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_bad_date_is_400_naming_the_parameter(client, world, fmt):
    response = client.get(f"{BASE}requests.{fmt}", {"start_date": "yesterday", "end_date": "2026-02-30"})
    assert response.status_code == 400
    found = errors_of(response, fmt)
    assert [code for code, _ in found] == [400, 400]
    assert found[0][1].startswith("start_date: ")
    assert found[1][1].startswith("end_date: ")


def test_an_unknown_status_or_service_code_filter_is_400(client, world):
    response = client.get(f"{BASE}requests.json", {"status": "pending", "service_code": "pothole"})
    assert response.status_code == 400
    assert [d.split(":")[0] for _, d in errors_of(response)] == ["service_code", "status"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_codes_and_request_ids_are_404(client, world, fmt):
    for path, parameter in (("services/pothole", "service_code"), ("requests/999999", "service_request_id")):
        response = client.get(f"{BASE}{path}.{fmt}")
        assert response.status_code == 404
        [(code, description)] = errors_of(response, fmt)
        assert code == 404
        assert description.startswith(f"{parameter}: ")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_posting_without_a_valid_api_key_is_403(client, world, key, fmt):
    inactive = create_token(by=world.admin, name="open311")[1]
    world.admin.is_active = False
    world.admin.save(update_fields=["is_active"])
    for api_key in ("", "0" * 40, inactive):
        data = {"service_code": "help", "account_id": E1_USCC, "description": "求助"}
        response = post(client, fmt, **({"api_key": api_key} if api_key else {}), **data)
        assert response.status_code == 403
        [(code, description)] = errors_of(response, fmt)
        assert code == 403
        assert description.startswith("api_key: ")
    assert not Appeal.objects.filter(description="求助").exists()


def test_posting_needs_no_csrf_token(world, key):
    strict = Client(enforce_csrf_checks=True)
    response = post(strict, api_key=key, service_code="help", account_id=E1_USCC, description="求助")
    assert response.status_code == 200


def test_posting_bad_fields_is_an_error_naming_each_field(client, world, key):
    def problems(status, **data):
        response = post(client, api_key=key, **data)
        assert response.status_code == status, response.content
        return [description.split(":")[0] for _, description in errors_of(response)]

    good = {"service_code": "help", "account_id": E1_USCC, "description": "求助"}
    assert problems(400, **{**good, "service_code": ""}) == ["service_code"]
    assert problems(404, **{**good, "service_code": "pothole"}) == ["service_code"]
    assert problems(400, **{**good, "account_id": ""}) == ["account_id"]
    assert problems(400, **{**good, "account_id": uscc("91110000100000000")}) == ["account_id"]
    assert problems(400, **{**good, "account_id": E2_USCC}) == ["account_id"]  # not E1's user's
    assert problems(400, **{**good, "description": " "}) == ["description"]
    assert problems(400, **{**good, "description": "长" * 4001}) == ["description"]
    assert problems(400, **{**good, "title": "长" * 201, "email": "no-address", "phone": "1" * 41}) == [
        "title",
        "email",
        "phone",
    ]
    assert not Appeal.objects.filter(enterprise=world.E1).exclude(pk=world.AP1.pk).exists()


def test_a_request_placed_by_lat_and_long_keeps_its_point_and_answers_it(client, world, key):
    response = post(
        client,
        api_key=key,
        service_code="help",
        account_id=E1_USCC,
        description="路灯不亮",
        lat="23.1045678",
        long="113.0041",
        address_string="创新路 8 号",
    )
    assert response.status_code == 200, response.content
    appeal = Appeal.objects.get(pk=response.json()[0]["service_request_id"])
    assert (appeal.latitude, appeal.longitude, appeal.address) == (
        Decimal("23.104568"),
        Decimal("113.004100"),
        "创新路 8 号",
    )
    [answered] = client.get(f"{BASE}requests/{appeal.pk}.json").json()
    assert (answered["lat"], answered["long"], answered["address"]) == (23.104568, 113.0041, "创新路 8 号")


def test_a_bad_point_is_an_error_naming_the_parameter_and_records_nothing(client, world, key):
    def problems(**point):
        data = {"service_code": "help", "account_id": E1_USCC, "description": "位置有误", **point}
        response = post(client, api_key=key, **data)
        assert response.status_code == 400, response.content
        return [description.split(":")[0] for _, description in errors_of(response)]

    assert problems(lat="23.1") == ["long"]
    assert problems(lat="91", long="113") == ["lat"]
    assert problems(lat="23", long="1e400") == ["long"]
    assert problems(lat="north", long="nan") == ["lat", "long"]
    assert not Appeal.objects.filter(description="位置有误").exists()


def test_a_key_whose_user_may_not_submit_for_the_enterprise_is_403(client, world):
    leader = create_token(by=world.leader, name="open311")[1]  # sees E1, does not record appeals
    response = post(client, api_key=leader, service_code="help", account_id=E1_USCC, description="求助")
    assert response.status_code == 403
    assert errors_of(response)[0][1].startswith("account_id: ")
    admin = create_token(by=world.admin, name="open311")[1]  # records appeals for Z1's enterprises
    response = post(client, api_key=admin, service_code="help", account_id=E1_USCC, description="求助")
    assert response.status_code == 200
    assert Appeal.objects.get(pk=response.json()[0]["service_request_id"]).submitter == world.admin


def test_a_json_body_and_an_explicit_title_are_accepted(client, world, key):
    response = client.post(
        f"{BASE}requests.json",
        {
            "api_key": key,
            "service_code": "talent",
            "account_id": E1_USCC,
            "description": "引进博士两名，申请人才公寓。",
            "attribute": {"title": "人才公寓"},
            "first_name": "Ann",
            "last_name": "Lee",
            "email": "ann@example.com",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    appeal = Appeal.objects.get(pk=response.json()[0]["service_request_id"])
    assert appeal.title == "人才公寓"
    assert appeal.contact_name == "Ann Lee <ann@example.com>"
    not_an_object = client.post(f"{BASE}requests.json", "[1]", content_type="application/json")
    assert not_an_object.status_code == 400


def test_the_title_is_the_first_line_of_the_description_at_most_80_characters(client, world, key):
    description = "\n  " + "很" * 100 + "\n第二行"
    response = post(client, api_key=key, service_code="other", account_id=E1_USCC, description=description)
    appeal = Appeal.objects.get(pk=response.json()[0]["service_request_id"])
    assert appeal.title == "很" * 79 + "…"
    assert appeal.description == description.strip()
    titled = post(
        client,
        api_key=key,
        service_code="other",
        account_id=E1_USCC,
        description="详见附件",
        **{"attribute[title]": "厂区道路"},
    )
    assert Appeal.objects.get(pk=titled.json()[0]["service_request_id"]).title == "厂区道路"


def test_other_methods_are_refused_with_the_error_body(client, world):
    response = client.delete(f"{BASE}requests.json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"
    assert errors_of(response)[0][0] == 405
    assert client.post(f"{BASE}services.xml").status_code == 405


# Language --------------------------------------------------------------------------------------------
def test_service_names_follow_the_locale_or_accept_language_chinese_by_default(client, world):
    def name(response):
        return response.json()[0]["service_name"]

    with translation.override("zh-hans"):
        chinese = str(Category.CONSULTATION.label)
    default = client.get(f"{BASE}services.json")
    assert name(default) == chinese
    assert default["Content-Language"] == "zh-hans"
    assert name(client.get(f"{BASE}services.json", {"locale": "en"})) == "Consultation"
    english = client.get(f"{BASE}services.json", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert name(english) == "Consultation"
    assert english["Content-Language"] == "en"
    assert "Accept-Language" in english["Vary"]
    assert name(client.get(f"{BASE}services.json", {"locale": "zh_CN"}, HTTP_ACCEPT_LANGUAGE="en")) == chinese
