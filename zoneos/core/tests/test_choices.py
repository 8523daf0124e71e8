"""get_FOO_display() with the field's choices kept: the same labels as Django's, in every language."""

from django.apps import apps
from django.db.models import Model
from django.utils import translation

from zoneos.appeals.models import Appeal, Category
from zoneos.appeals.models import Status as AppealStatus
from zoneos.core import choices
from zoneos.enterprises.models import Enterprise, Status


def django_display(instance, field_name):
    return Model._get_FIELD_display(instance, instance._meta.get_field(field_name))


def test_the_kept_choices_serve_the_models_fields():
    assert Enterprise.__dict__["get_status_display"].func is choices._get_field_display
    assert Appeal.__dict__["get_category_display"].func is choices._get_field_display
    enterprise = Enterprise(status=Status.ACTIVE)
    enterprise.get_status_display()
    assert (
        Enterprise._meta.get_field("status").__dict__[choices._ATTRIBUTE][Status.ACTIVE]
        is Status.ACTIVE.label
    )


def test_labels_follow_the_active_language():
    enterprise = Enterprise(status=Status.MOVED_OUT)
    with translation.override("en"):
        assert enterprise.get_status_display() == "Moved out"
    with translation.override("zh-hans"):
        chinese = enterprise.get_status_display()
        assert chinese != "Moved out"
        assert chinese == django_display(enterprise, "status")
    with translation.override("en"):  # the kept choices were not frozen in Chinese
        assert enterprise.get_status_display() == "Moved out"


def test_every_value_of_every_choice_field_reads_as_django_reads_it():
    checked = 0
    for model in apps.get_models():
        for field in model._meta.fields:
            if not field.choices or not hasattr(model, f"get_{field.name}_display"):
                continue
            for value, _label in field.flatchoices:
                instance = model(**{field.attname: value})
                for language in ("zh-hans", "en"):
                    with translation.override(language):
                        got = getattr(instance, f"get_{field.name}_display")()
                        assert got == django_display(instance, field.name), (model, field.name, value)
                checked += 1
    assert checked > 50


def test_a_value_outside_the_choices_is_shown_as_it_is():
    appeal = Appeal(status="no-such-status", category=Category.values[0])
    assert appeal.get_status_display() == "no-such-status"
    assert Appeal(status=AppealStatus.values[0]).get_status_display() != AppealStatus.values[0]
