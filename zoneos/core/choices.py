"""`get_FOO_display()` without rebuilding the field's choices on every call.

Django's `Model._get_FIELD_display` builds `dict(make_hashable(field.flatchoices))` on each call, and
hashing the choices hashes their lazy labels, which translates every label of the field: a list page
that shows a status and a category on 50 rows translated about 1,500 strings to show 100. `install()`
(run by `CoreConfig.ready()`) points each model's `get_FOO_display` at a version that keeps the
value -> label dict on the field. The labels stay lazy, so the dict holds for every language; fields
whose choices are a callable (evaluated anew each time) keep Django's own method.
"""

from functools import partialmethod

from django.apps import apps
from django.db.models import Model
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_ATTRIBUTE = "_zoneos_display_choices"


def _get_field_display(self, field):
    value = getattr(self, field.attname)
    choices = field.__dict__.get(_ATTRIBUTE)
    if choices is None:
        choices = dict(make_hashable(field.flatchoices))
        setattr(field, _ATTRIBUTE, choices)
    return force_str(choices.get(make_hashable(value), value), strings_only=True)


def install() -> int:
    """Replace Django's `get_FOO_display` of every installed model's fixed-choice fields; return how many."""
    count = 0
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.fields:
            if not field.choices or isinstance(field.choices, CallableChoiceIterator):
                continue
            name = f"get_{field.name}_display"
            # Only the method Django added (a model's own get_FOO_display stays as it is).
            for klass in model.__mro__:
                if name in klass.__dict__:
                    current = klass.__dict__[name]
                    break
            else:
                continue
            if isinstance(current, partialmethod) and current.func is Model._get_FIELD_display:
                setattr(klass, name, partialmethod(_get_field_display, field=current.keywords["field"]))
                count += 1
    return count
