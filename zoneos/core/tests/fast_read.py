"""`ReadListSerializer` (zoneos.core.rest) answers every list to the byte as DRF's own serializers do.

On the demo (loaded once by `test_demo`, which runs this check), each API list whose serializer opts
in is read as the platform's root, in both languages, once through the fast reader and once with it
switched off (DRF's own field-by-field way); the two bodies must be equal. One appeal gets an
attachment (a file's absolute URL), one a handler of none, one a date-time in another zone, so that the
fallbacks are read too."""

import datetime
import json

from django.core.files.base import ContentFile
from django.test import Client

from zoneos.accounts.models import User
from zoneos.core import rest

LISTS = [
    "/api/v1/appeals/?page_size=1000",
    "/api/v1/enterprises/?page_size=1000",
    "/api/v1/indicators/?page_size=1000",
    "/api/v1/projects/?page_size=1000",
    "/api/v1/key-projects/?page_size=1000",
]


def _bodies(client, language):
    out = {}
    for url in LISTS:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, (url, response.content[:300])
        out[url] = response.content
    return out


def fast_lists_answer_what_drf_answers(monkeypatch):
    from zoneos.appeals.models import Appeal, Attachment

    appeals = list(Appeal.objects.order_by("pk")[:3])
    assert appeals, "the demo has appeals"
    Attachment.objects.create(
        appeal=appeals[0], name="说明.pdf", size=3, file=ContentFile(b"pdf", name="note.pdf")
    )
    Appeal.objects.filter(pk=appeals[1].pk).update(handler=None)
    elsewhere = datetime.timezone(datetime.timedelta(hours=-5))
    Appeal.objects.filter(pk=appeals[2].pk).update(
        received_at=datetime.datetime(2026, 3, 1, 12, 0, tzinfo=elsewhere)
    )
    # The fast reader is the one at work (not DRF's way for every field).
    from zoneos.appeals.api import AppealSerializer

    assert rest._row_reader(AppealSerializer(context={})) is not None
    client = Client()
    client.force_login(User.objects.get(username="root"))
    for language in ("zh-hans", "en"):
        fast = _bodies(client, language)
        with monkeypatch.context() as patch:
            patch.setattr(rest, "_row_reader", lambda serializer: None)
            slow = _bodies(client, language)
        for url in LISTS:
            assert json.loads(fast[url])["count"] > 0, url
            assert fast[url] == slow[url], url
