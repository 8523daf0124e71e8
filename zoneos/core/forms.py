"""Form base: every form knows its user, so that its choices come from the user's scope."""

from django import forms

from zoneos.accounts.scoping import scope
from zoneos.core.roles import CHANGE, VIEW


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


__all__ = ["ScopedModelForm", "CHANGE", "VIEW"]
