from django import forms

from zoneos.accounts.scoping import placeable_areas
from zoneos.core.forms import ScopedModelForm

from .models import Target


class TargetForm(ScopedModelForm):
    class Meta:
        model = Target
        fields = ["area", "metric", "year", "value", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = placeable_areas(Target, self.user)
        self.fields["area"].label_from_instance = lambda a: "\u2003" * a.depth + a.label
        self.fields["value"].widget = forms.NumberInput(attrs={"step": "0.01", "min": "0"})

    def _post_clean(self):
        pass
