"""Form base: every form knows its user, so that its choices come from the user's scope; and the boxes
to tick that every multiple choice is drawn with."""

from django import forms

from zoneos.accounts.scoping import scope
from zoneos.core.roles import CHANGE, VIEW


class Checks(forms.CheckboxSelectMultiple):
    """Boxes to tick, one per line, as Bootstrap draws them, for every multiple choice of a page (the
    shell's field tag would draw each box of Django's own widget as a text input)."""

    template_name = "core/widgets/checks.html"


class ScopedModelForm(forms.ModelForm):
    # field name -> action whose scope limits the field's choices
    scoped_fields: dict[str, str] = {}

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for name, action in self.scoped_fields.items():
            if name in self.fields:
                field = self.fields[name]
                field.queryset = scope(field.queryset, user, action)


__all__ = ["Checks", "ScopedModelForm", "CHANGE", "VIEW"]
