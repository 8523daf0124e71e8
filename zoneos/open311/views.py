"""The Open311 GeoReport v2 face of the enterprise service desk, at `/open311/v2/`, for clients that
speak that standard (http://wiki.open311.org/GeoReport_v2). Every resource answers in `.json` and
`.xml`; errors are the specification's list of `{code, description}`, each description naming the
parameter at fault.

- `discovery`, `services`, `services/<code>`: the appeal categories are the service codes; no
  service has attributes (`metadata` false), every one is `realtime`.
- `GET requests`, `requests/<id>`: public, no login. Only the specification's fields, never the
  enterprise (name, contact person, phone, submitter): `address` is the appeal's area, `agency_responsible`
  its department, `expected_datetime` its reply deadline, `status` open until it is closed. Without
  `service_request_id` at most the 90 days the dates give (the last 90 by default), newest first, and at
  most 1000 requests.
- `POST requests`: form-encoded (or JSON), with an `api_key` (a ZoneOS API token: the appeal is submitted
  by its user, without session or CSRF token) and `account_id` carrying the enterprise's unified social
  credit code. The enterprise's area locates the request; `lat` and `long` (WGS-84 degrees, both or
  neither) and `address_string` place it more closely, on the zone map too. The appeal's title is the
  first line of `description` unless `title` (or `attribute[title]`) is given. Answers 200 with the new
  `service_request_id`.

Callers without a signed-in session (and POSTs without a valid `api_key`) are anonymous: they get at
most the API's anonymous rate (`REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"]`, 60 a minute) per
client address, then 429 in the specification's error format with `Retry-After`. Unless
`ZONEOS_OPEN311_PUBLIC_DESCRIPTIONS` is on, a request's `description` is shown only to signed-in
readers who may see the appeal (null for everyone else): an appeal's text often names the enterprise
and its business.

`jurisdiction_id` is accepted and ignored: one deployment serves one jurisdiction. The language is
`?locale=`, else the language cookie, else Accept-Language, else Simplified Chinese.
"""

from __future__ import annotations

import datetime
import json
import re
from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.csrf import csrf_exempt
from rest_framework.throttling import AnonRateThrottle

from zoneos.accounts.scoping import scope
from zoneos.appeals import services
from zoneos.appeals.models import Appeal, Category, Status
from zoneos.core.codes import normalise_uscc
from zoneos.core.roles import VIEW
from zoneos.core.throttle import client_address
from zoneos.enterprises.models import Enterprise
from zoneos.security.services import TokenRefused, authenticate_key

from .formats import errors, respond

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# Changes when the list of services (the appeal categories) or their definitions change.
CHANGESET = "2026-11-29 00:00"
MAX_REQUESTS = 1000
WINDOW = datetime.timedelta(days=90)
MAX_DESCRIPTION = 4000  # the specification's limit
TITLE_LENGTH = 80
# Beyond the specification: the appeal's own title, as a parameter or as an attribute.
TITLE_KEYS = ("title", "attribute[title]")


def georeport(*methods: str):
    """A GeoReport resource: `fmt` from the suffix, the language of the request, the spec's 405."""

    def wrap(view):
        @wraps(view)
        def run(request, fmt: str, **kwargs):
            with translation.override(_language(request)):
                refused = None if request.method == "POST" else _throttled(request, fmt)
                if refused is not None:
                    response = refused
                elif request.method in methods:
                    response = view(request, fmt, **kwargs)
                else:
                    message = _("%(method)s is not allowed here; use %(allowed)s.") % {
                        "method": request.method,
                        "allowed": ", ".join(methods),
                    }
                    response = errors(fmt, 405, [message])
                    response["Allow"] = ", ".join(methods)
                response["Content-Language"] = translation.get_language()
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
            return response

        return run

    return wrap


class AnonymousRate(AnonRateThrottle):
    """The API's anonymous rate, counted per client address as the sign-in throttle counts it (only
    through the configured proxy header, never a forged X-Forwarded-For)."""

    def get_ident(self, request):
        return client_address(request)


def _throttled(request, fmt):
    """429 in the specification's format when an anonymous caller is over the rate, else None. A
    caller with a session is not counted (a POST's key is checked by `_create`)."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return None
    rate = AnonymousRate()
    if rate.allow_request(request, None):
        return None
    wait = max(1, round(rate.wait() or 1))
    message = _(
        "Too many requests from your address without an API key (at most %(rate)s). "
        "Try again in %(seconds)d seconds."
    ) % {"rate": rate.rate, "seconds": wait}
    response = errors(fmt, 429, [message])
    response["Retry-After"] = str(wait)
    return response


def _language(request) -> str:
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    tags = [request.GET.get("locale", ""), cookie or ""]
    tags += [tag for tag, _q in parse_accept_lang_header(request.headers.get("Accept-Language", ""))]
    for tag in tags:
        try:
            return translation.get_supported_language_variant(tag.replace("_", "-").lower())
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def _problem(field: str, message: str) -> str:
    return f"{field}: {message}"


def _w3(moment: datetime.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


# Discovery and services ----------------------------------------------------------------------------
@georeport("GET", "HEAD")
def discovery(request, fmt):
    url = request.build_absolute_uri(reverse("open311:discovery", args=[fmt])).rsplit("discovery.", 1)[0]
    return respond(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": _("Ask the zone's enterprise service desk."),
            "key_service": _(
                "An API key is the API token of a ZoneOS user; the zone's administrators issue it."
            ),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": url,
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


def _service(code: str, label) -> dict:
    group = _("enterprise service")
    return {
        "service_code": code,
        "service_name": str(label),
        "description": _("%(name)s: an appeal to the zone's enterprise service desk.") % {"name": label},
        "metadata": False,
        "type": "realtime",
        "keywords": ", ".join([str(label), str(Appeal._meta.verbose_name), group]),
        "group": group,
    }


@georeport("GET", "HEAD")
def service_list(request, fmt):
    return respond(fmt, "services", [_service(code, label) for code, label in Category.choices])


@georeport("GET", "HEAD")
def service_definition(request, fmt, code):
    if code not in Category.values:
        return errors(fmt, 404, [_not_found("service_code", code)])
    return respond(fmt, "service_definition", {"service_code": code, "attributes": []})


def _not_found(field: str, value: str) -> str:
    return _problem(field, _("“%(value)s” was not found.") % {"value": value})


# Reading requests ------------------------------------------------------------------------------------
def _notice(appeal: Appeal) -> str:
    return ngettext(
        "The zone replies within %(days)d working day.",
        "The zone replies within %(days)d working days.",
        appeal.reply_days,
    ) % {"days": appeal.reply_days}


def _public(appeal: Appeal, described: set[int] | None) -> dict:
    """The specification's fields of a service request, and nothing about the enterprise; the
    description only when public or the appeal's id is in `described` (None: every one)."""
    closed = appeal.status == Status.CLOSED
    return {
        "service_request_id": str(appeal.pk),
        "status": "closed" if closed else "open",
        "status_notes": str(appeal.get_status_display()),
        "service_name": str(appeal.get_category_display()),
        "service_code": appeal.category,
        "description": appeal.description if described is None or appeal.pk in described else None,
        "agency_responsible": appeal.department.label if appeal.department else None,
        "service_notice": _notice(appeal),
        "requested_datetime": _w3(appeal.received_at),
        "updated_datetime": _w3((closed and appeal.closed_at) or appeal.updated_at),
        "expected_datetime": _w3(appeal.reply_due),
        "address": appeal.address or appeal.area.label,
        "address_id": None,
        "zipcode": None,
        "lat": float(appeal.latitude) if appeal.latitude is not None else None,
        "long": float(appeal.longitude) if appeal.longitude is not None else None,
        "media_url": None,
    }


def _described(request, appeals: list[Appeal]) -> set[int] | None:
    """The ids among `appeals` whose description this reader sees (None: all of them)."""
    if settings.ZONEOS_OPEN311_PUBLIC_DESCRIPTIONS:
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not appeals:
        return set()
    visible = scope(Appeal.objects.filter(pk__in=[a.pk for a in appeals]), user, VIEW)
    return set(visible.values_list("pk", flat=True))


def _public_appeals():
    return Appeal.objects.select_related("area", "department").order_by("-received_at", "-id")


def _values(raw: str | None) -> list[str]:
    """A comma-delimited parameter (the specification's way of declaring several values)."""
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


def _moment(raw: str) -> datetime.datetime | None:
    """A W3C date-time; one without a zone, or a bare date (midnight), is in the platform's zone."""
    # An unencoded "+08:00" arrives as " 08:00".
    raw = re.sub(r" (\d\d:?\d\d)$", r"+\1", raw.strip())
    try:
        moment = parse_datetime(raw)
        if moment is None and (day := parse_date(raw)) is not None:
            moment = datetime.datetime.combine(day, datetime.time())
    except ValueError:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _window(query) -> tuple[datetime.datetime | None, datetime.datetime | None, list[str]]:
    """The span of `start_date` and `end_date`: at most 90 days, the last 90 when neither is given."""
    problems, given = [], {}
    for field in ("start_date", "end_date"):
        raw = query.get(field, "").strip()
        if raw:
            given[field] = _moment(raw)
            if given[field] is None:
                problems.append(
                    _problem(
                        field,
                        _("“%(value)s” is not a date and time (use W3C format, e.g. %(example)s).")
                        % {"value": raw, "example": "2026-03-01T00:00:00+08:00"},
                    )
                )
    if problems:
        return None, None, problems
    start, end = given.get("start_date"), given.get("end_date")
    if start and end:
        if end < start:
            problems.append(_problem("end_date", _("The end comes before the start.")))
        elif end - start > WINDOW:
            problems.append(
                _problem(
                    "end_date",
                    _("The range may not span more than %(days)d days.") % {"days": WINDOW.days},
                )
            )
    elif start:
        end = start + WINDOW
    elif end:
        start = end - WINDOW
    else:
        start = timezone.now() - WINDOW
    return start, end, problems


def _choices(query, field: str, allowed) -> tuple[list[str], list[str]]:
    chosen = _values(query.get(field))
    wrong = [value for value in chosen if value not in allowed]
    if wrong:
        message = _("“%(value)s” is not one of: %(choices)s.") % {
            "value": ", ".join(wrong),
            "choices": ", ".join(allowed),
        }
        return chosen, [_problem(field, message)]
    return chosen, []


def _search(request, fmt):
    query = request.GET
    appeals = _public_appeals()
    ids = _values(query.get("service_request_id"))
    if ids:
        # The specification: the ids override every other argument. An id that is no number is absent.
        appeals = appeals.filter(pk__in=[int(i) for i in ids if re.fullmatch(r"[0-9]{1,18}", i)])
    else:
        codes, problems = _choices(query, "service_code", Category.values)
        states, wrong_states = _choices(query, "status", ["open", "closed"])
        start, end, wrong_dates = _window(query)
        problems += wrong_states + wrong_dates
        if problems:
            return errors(fmt, 400, problems)
        if codes:
            appeals = appeals.filter(category__in=codes)
        if set(states) == {"open"}:
            appeals = appeals.exclude(status=Status.CLOSED)
        elif set(states) == {"closed"}:
            appeals = appeals.filter(status=Status.CLOSED)
        appeals = appeals.filter(received_at__gte=start)
        if end is not None:
            appeals = appeals.filter(received_at__lte=end)
    found = list(appeals[:MAX_REQUESTS])
    described = _described(request, found)
    return respond(fmt, "service_requests", [_public(a, described) for a in found])


@georeport("GET", "HEAD")
def request_detail(request, fmt, service_request_id):
    appeal = None
    if re.fullmatch(r"[0-9]{1,18}", service_request_id):
        appeal = _public_appeals().filter(pk=int(service_request_id)).first()
    if appeal is None:
        return errors(fmt, 404, [_not_found("service_request_id", service_request_id)])
    return respond(fmt, "service_requests", [_public(appeal, _described(request, [appeal]))])


# Creating a request ----------------------------------------------------------------------------------
def _form(request) -> dict | None:
    """The POSTed parameters as text; None when a JSON body is not an object."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        attributes = data.get("attribute")
        if isinstance(attributes, dict):
            data.update({f"attribute[{key}]": value for key, value in attributes.items()})
    else:
        data = request.POST.dict()
    return {key: "" if value is None else str(value).strip() for key, value in data.items()}


def _user(api_key: str, request) -> tuple[object | None, str]:
    """The key's user, or None and why not (an expired or revoked key says so)."""
    if api_key:
        try:
            return authenticate_key(api_key, request)[0], ""
        except TokenRefused as refused:
            if refused.reason != "unknown":
                return None, str(refused)
    return None, _("Missing or invalid API key.")


def _person(data: dict) -> str:
    """The contact person: a Chinese name family name first, other names given name first, then the
    address (`张三 <zhang@example.cn>`)."""
    first, last, email = data.get("first_name", ""), data.get("last_name", ""), data.get("email", "")
    if re.search(r"[\u3400-\u9fff]", first + last):
        name = last + first
    else:
        name = " ".join(part for part in (first, last) if part)
    return f"{name} <{email}>" if name and email else name or email


def _title(description: str) -> str:
    line = next((line.strip() for line in description.splitlines() if line.strip()), "")
    return line if len(line) <= TITLE_LENGTH else line[: TITLE_LENGTH - 1] + "…"


def _too_long(field: str, value: str, limit: int) -> list[str]:
    if len(value) > limit:
        return [_problem(field, _("At most %(n)d characters.") % {"n": limit})]
    return []


# The appeal's fields as GeoReport parameters, to name them in errors.
PARAMETER = {
    "category": "service_code",
    "enterprise": "account_id",
    "latitude": "lat",
    "longitude": "long",
    "address": "address_string",
}


def _create(request, fmt):
    data = _form(request)
    if data is None:
        return errors(fmt, 400, [_("The body is not a JSON object.")])
    user, why = _user(data.get("api_key", ""), request)
    if user is None:
        # Without a valid key the caller is anonymous: counted like an anonymous read.
        return _throttled(request, fmt) or errors(fmt, 403, [_problem("api_key", why)])
    code = data.get("service_code", "")
    if not code:
        return errors(fmt, 400, [_problem("service_code", _("This parameter is required."))])
    if code not in Category.values:
        return errors(fmt, 404, [_not_found("service_code", code)])

    problems = []
    enterprise = None
    uscc = normalise_uscc(data.get("account_id"))
    if not uscc:
        problems.append(_problem("account_id", _("This parameter is required.")))
    else:
        # Only enterprises the key's user may see: one elsewhere is as unknown as one that does not exist.
        enterprise = scope(Enterprise.objects.select_related("area"), user, VIEW).filter(uscc=uscc).first()
        if enterprise is None:
            problems.append(_not_found("account_id", uscc))
    description = data.get("description", "")
    problems += _too_long("description", description, MAX_DESCRIPTION)
    given_title = next((data[key] for key in TITLE_KEYS if data.get(key)), "")
    problems += _too_long("title", given_title, Appeal._meta.get_field("title").max_length)
    contact_name, contact_phone = _person(data), data.get("phone", "")
    if data.get("email"):
        try:
            validate_email(data["email"])
        except ValidationError as error:
            problems += [_problem("email", message) for message in error.messages]
    problems += _too_long(
        "first_name, last_name, email", contact_name, Appeal._meta.get_field("contact_name").max_length
    )
    problems += _too_long("phone", contact_phone, Appeal._meta.get_field("contact_phone").max_length)
    if problems:
        return errors(fmt, 400, problems)

    try:
        appeal = services.submit(
            by=user,
            enterprise=enterprise,
            category=code,
            title=given_title or _title(description),
            description=description,
            contact_name=contact_name,
            contact_phone=contact_phone,
            latitude=data.get("lat"),
            longitude=data.get("long"),
            address=data.get("address_string", ""),
        )
    except PermissionDenied as error:
        return errors(fmt, 403, [_problem("account_id", str(error))])
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            return errors(fmt, 400, error.messages)
        problems = []
        for field, messages in error.message_dict.items():
            if field == "title" and not given_title:
                continue  # derived from the description, whose own error says what is missing
            problems += [_problem(PARAMETER.get(field, field), message) for message in messages]
        return errors(fmt, 400, problems)
    return respond(
        fmt,
        "service_requests",
        [{"service_request_id": str(appeal.pk), "service_notice": _notice(appeal), "account_id": uscc}],
    )


@csrf_exempt  # no session: the api_key authenticates
@georeport("GET", "HEAD", "POST")
def service_requests(request, fmt):
    return _create(request, fmt) if request.method == "POST" else _search(request, fmt)
