"""A policy's documents: who lists, adds, downloads and removes them (API and item page), the file is
only ever reached through the scoped view and always as a download, and hostile uploads (empty, too
big, a control character in the name, a right-to-left override in the file name) are refused naming
the field or cleaned."""

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zoneos.policies.models import Attachment
from zoneos.testing.world import ALL_USERS

from .world import catalogue

ANONYMOUS = "anonymous"


@pytest.fixture
def w(world):
    return catalogue(world)


def upload(name="指南.pdf", content=b"%PDF-1.4 guide"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def signed_in(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.mark.parametrize("caller", [*ALL_USERS, ANONYMOUS])
def test_every_caller_through_the_documents_of_a_policy(w, api, caller):
    """Everyone who reads the policy lists and downloads its documents; its keepers (the zone's
    admins) add and remove them; outside the scope it does not exist (404), never 403."""
    kept = Attachment.objects.create(policy=w.POL1, name="原文", file=upload("原文.pdf"), size=14)
    elsewhere = Attachment.objects.create(policy=w.POL2, name="外区", file=upload("外区.pdf"), size=14)
    client = api(None if caller == ANONYMOUS else w.users[caller])
    listed = client.get(f"/api/v1/policies/{w.POL1.pk}/attachments/")
    outside = client.get(f"/api/v1/policies/{w.POL2.pk}/attachments/")
    added = client.post(
        f"/api/v1/policies/{w.POL1.pk}/attachments/",
        {"file": upload(), "name": "申报指南"},
        format="multipart",
    )
    removed = client.delete(f"/api/v1/policies/{w.POL1.pk}/attachments/{kept.pk}/")
    if caller == ANONYMOUS:
        assert {r.status_code for r in (listed, outside, added, removed)} == {401}
        return
    if caller == "stranger":  # no membership: the policy is not there
        assert (listed.status_code, outside.status_code) == (404, 404)
        assert (added.status_code, removed.status_code) == (403, 403)
        return
    assert listed.status_code == 200
    assert [(a["name"], a["size"]) for a in listed.json()] == [("原文", 14)]
    url = listed.json()[0]["url"]
    assert url.endswith(f"/policies/attachments/{kept.pk}/") and "/media/" not in url
    assert outside.status_code == (200 if caller == "root" else 404)
    keeper = caller in ("root", "admin")
    assert added.status_code == (201 if keeper else 403), added.content
    assert removed.status_code == (204 if keeper else 403)
    assert Attachment.objects.filter(pk=kept.pk).exists() is not keeper
    assert Attachment.objects.filter(pk=elsewhere.pk).exists()
    if keeper:
        made = Attachment.objects.get(pk=added.json()["id"])
        assert (made.name, made.size, made.uploaded_by) == ("申报指南", 14, w.users[caller])
        made_by = LogEntry.objects.get_for_object(made).values_list("actor__username", flat=True)
        removal = LogEntry.objects.filter(
            content_type__model="attachment", object_pk=str(kept.pk), action=LogEntry.Action.DELETE
        )
        assert list(made_by) == [caller]
        assert list(removal.values_list("actor__username", flat=True)) == [caller]


@pytest.mark.parametrize("caller", ["enterprise", "admin", "handler", "stranger"])
def test_a_document_downloads_through_the_scoped_view_only(w, caller):
    mine = Attachment.objects.create(
        policy=w.POL1, name="原文.html", file=upload("x.html", b"<script>1</script>")
    )
    other = Attachment.objects.create(policy=w.POL2, name="外区", file=upload("y.pdf"))
    client = signed_in(w.users[caller])
    got = client.get(mine.get_absolute_url())
    if caller == "stranger":
        assert got.status_code == 404
    else:
        assert got.status_code == 200
        # Always a download, never rendered on ZoneOS's origin (a hostile HTML file stays inert).
        assert got["Content-Disposition"].startswith("attachment;")
        assert b"".join(got.streaming_content) == b"<script>1</script>"
    assert client.get(other.get_absolute_url()).status_code == 404
    mine.file.storage.delete(mine.file.name)
    assert client.get(mine.get_absolute_url()).status_code == 404  # the file gone: 404, not 500


def test_hostile_uploads_are_refused_naming_the_field_or_cleaned(w, api, monkeypatch):
    client = api(w.admin)
    url = f"/api/v1/policies/{w.POL1.pk}/attachments/"
    empty = client.post(url, {"file": upload(content=b"")}, format="multipart")
    assert empty.status_code == 400 and "file" in empty.json()
    monkeypatch.setattr("zoneos.core.files.MAX_ATTACHMENT_BYTES", 2 * 2**20)
    big = client.post(url, {"file": upload(content=b"x" * (2 * 2**20 + 1))}, format="multipart")
    assert big.status_code == 400 and big.json()["file"] == ["A file may be at most 2 MB."]
    monkeypatch.undo()
    bell = client.post(url, {"file": upload(), "name": "指南\x07"}, format="multipart")
    assert bell.status_code == 400 and "name" in bell.json()
    none = client.post(url, {"name": "无文件"}, format="multipart")
    assert none.status_code == 400 and "file" in none.json()
    assert not Attachment.objects.filter(policy=w.POL1).exists()  # nothing half-written
    # A right-to-left override makes "gpj.exe" read as "exe.jpg"; it is removed from the name.
    tricky = client.post(url, {"file": upload("invoice\u202egpj.exe")}, format="multipart")
    assert tricky.status_code == 201 and tricky.json()["name"] == "invoicegpj.exe"


def test_the_item_page_lists_adds_and_removes_documents(w):
    item_url = w.IT1.get_absolute_url()
    admin = signed_in(w.admin)
    added = admin.post(item_url, {"file": upload("申报指南.pdf"), "name": ""})
    assert added.status_code == 302 and added.url == item_url
    made = Attachment.objects.get(policy=w.POL1)
    assert made.name == "申报指南.pdf" and made.uploaded_by == w.admin
    page = admin.get(item_url).content.decode()
    assert made.get_absolute_url() in page and 'data-testid="document-form"' in page
    refused = admin.post(item_url, {"name": "空"})
    assert refused.status_code == 400  # the file input marked, its message under it, nothing saved
    assert 'is-invalid" type="file"' in refused.content.decode()
    assert Attachment.objects.filter(policy=w.POL1).count() == 1
    # The enterprise reads the documents, with no form to change them; its POST is refused.
    enterprise = signed_in(w.enterprise)
    seen = enterprise.get(item_url).content.decode()
    assert made.get_absolute_url() in seen and 'data-testid="document-form"' not in seen
    assert enterprise.post(item_url, {"remove": made.pk}).status_code == 403
    assert admin.post(item_url, {"remove": made.pk}).status_code == 302
    assert not Attachment.objects.filter(pk=made.pk).exists()


def test_a_policy_page_shows_its_summary_documents_and_items(w):
    Attachment.objects.create(policy=w.POL1, name="政策原文", file=upload())
    page = signed_in(w.enterprise).get(w.POL1.get_absolute_url())
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="policy-summary"' in text
    assert "政策原文" in text and "主业奖励" in text and "二号区事项" not in text
    assert signed_in(w.enterprise).get(w.POL2.get_absolute_url()).status_code == 404
