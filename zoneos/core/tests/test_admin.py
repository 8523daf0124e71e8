"""The admin's way through the services (`zoneos.core.admin`), and helpers the apps' admin tests share:
the form a page shows, sent back as a browser would, and the history a change left."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.forms import CheckboxInput, MultiWidget
from django.test import Client

pytestmark = pytest.mark.django_db


# Helpers -------------------------------------------------------------------------------------------
def admin_client(user) -> Client:
    """A browser signed in as `user`, reading English (so messages are stable to assert on)."""
    from django.conf import settings

    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def url(model, view: str = "changelist", *args) -> str:
    from django.urls import reverse

    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _add(data: dict, form) -> None:
    for bound in form:
        widget = getattr(bound.field.widget, "widget", bound.field.widget)
        value = bound.value()
        if isinstance(widget, MultiWidget):
            parts = widget.decompress(value) if value not in (None, "") else [None] * len(widget.widgets)
            for i, part in enumerate(parts):
                data[f"{bound.html_name}_{i}"] = "" if part is None else str(part)
        elif isinstance(widget, CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = "" if value is None else str(value)


def form_data(response) -> dict:
    """What the browser sends back for the admin page in `response` when nothing is changed."""
    data: dict = {}
    _add(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        _add(data, inline.formset.management_form)
        for form in inline.formset.forms:
            _add(data, form)
    return data


def change(client, obj, **values):
    """Open `obj`'s admin page, change `values`, save; the response."""
    page = client.get(url(type(obj), "change", obj.pk))
    assert page.status_code == 200, page.status_code
    return client.post(url(type(obj), "change", obj.pk), {**form_data(page), **values})


def add(client, model, **values):
    page = client.get(url(model, "add"))
    assert page.status_code == 200, page.status_code
    return client.post(url(model, "add"), {**form_data(page), **values})


def errors(response) -> list[str]:
    """The errors the admin page in `response` shows (its form's and the messages)."""
    shown = []
    if response.context and "adminform" in response.context:
        for found in response.context["adminform"].form.errors.values():
            shown.extend(found)
    shown.extend(str(m) for m in response.wsgi_request._messages)
    return shown


def last_entry(obj) -> LogEntry:
    return LogEntry.objects.get_for_object(obj).order_by("-timestamp", "-pk").first()


def assert_refused(client, obj) -> None:
    """The admin offers no add, change or delete of `obj`'s model, and a forged request writes nothing."""
    model = type(obj)
    before = list(model._default_manager.values())
    page = client.get(url(model, "change", obj.pk))
    assert page.status_code == 200
    assert not page.context["has_change_permission"] and not page.context["has_delete_permission"]
    assert client.get(url(model, "add")).status_code == 403
    assert client.post(url(model, "change", obj.pk), form_data(page)).status_code == 403
    assert client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    client.post(url(model), bulk)
    assert list(model._default_manager.values()) == before


# The base classes ----------------------------------------------------------------------------------
def test_delete_selected_goes_through_the_service_all_or_nothing(module_world, db):
    """A signing batch with projects is refused by `delete_batch`: "delete selected" of it and of an
    empty batch deletes neither, and says why."""
    from zoneos.pipeline.models import SigningBatch

    w = module_world
    w.PR1.signing_batch = w.B1
    w.PR1.save(update_fields=["signing_batch"])
    client = admin_client(w.root)
    response = client.post(
        url(SigningBatch),
        {"action": "delete_selected", "_selected_action": [w.B1.pk, w.B2.pk], "post": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    assert SigningBatch.objects.filter(pk__in=[w.B1.pk, w.B2.pk]).count() == 2
    assert any("Take the projects out of the batch first" in e for e in errors(response))


def test_delete_selected_writes_history_with_the_author(module_world, db):
    from zoneos.pipeline.models import SigningBatch

    w = module_world
    client = admin_client(w.root)
    response = client.post(
        url(SigningBatch), {"action": "delete_selected", "_selected_action": [w.B2.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert not SigningBatch.objects.filter(pk=w.B2.pk).exists()
    entry = LogEntry.objects.filter(object_pk=str(w.B2.pk), content_type__model="signingbatch").latest("pk")
    assert entry.action == LogEntry.Action.DELETE and entry.actor == w.root


def test_a_refused_delete_says_why_on_the_record_page(module_world, db):
    from zoneos.pipeline.models import SigningBatch

    w = module_world
    w.PR1.signing_batch = w.B1
    w.PR1.save(update_fields=["signing_batch"])
    client = admin_client(w.root)
    response = client.post(url(SigningBatch, "delete", w.B1.pk), {"post": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == url(SigningBatch, "change", w.B1.pk)
    assert any("Take the projects out of the batch first" in e for e in errors(response))
    assert SigningBatch.objects.filter(pk=w.B1.pk).exists()


def test_every_admin_page_opens_for_a_superuser(module_world, db):
    """Each registered model's list, add page (where offered) and one record's page open."""
    from django.contrib import admin

    client = admin_client(module_world.root)
    for model, model_admin in admin.site._registry.items():
        listed = client.get(url(model))
        assert listed.status_code == 200, model
        request = listed.wsgi_request
        if model_admin.has_add_permission(request):
            assert client.get(url(model, "add")).status_code == 200, model
        obj = model._default_manager.first()
        if obj is not None:
            assert client.get(url(model, "change", obj.pk)).status_code == 200, model


def test_no_admin_keeps_a_write_that_skips_the_services(module_world, db):
    """Every admin is a ServiceAdmin, read-only, or one of the reference tables kept as plain forms."""
    from django.contrib import admin

    from zoneos.core.admin import ReadOnlyAdmin, ServiceAdmin

    plain = {"pipeline.stage", "auth.group", "django_tasks_database.dbtaskresult"}
    for model, model_admin in admin.site._registry.items():
        if model._meta.label_lower in plain or not model.__module__.startswith("zoneos."):
            continue
        assert isinstance(model_admin, ServiceAdmin | ReadOnlyAdmin), model
