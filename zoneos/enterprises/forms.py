"""Forms of the registry pages. Validation of codes and rules is the services' (errors come back
to the field they name); forms only offer choices from the user's scope."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import placeable_areas
from zoneos.core.forms import VIEW, Checks, ScopedModelForm
from zoneos.core.money import AmountField

from . import services
from .models import Enterprise, Indicator, Label

# The amounts a user types, in the registry pages' one unit (万元) unless 元 or 亿元 follows.
INDICATOR_AMOUNTS = ("output_value", "revenue", "main_business_revenue", "tax_paid", "rd_expense", "exports")


def _amount_fields(form, names, labels=None):
    for name in names:
        if name in form.fields:
            old = form.fields[name]
            label = (labels or {}).get(name, old.label)
            form.fields[name] = AmountField(label=label, required=old.required, disabled=old.disabled)


class EnterpriseForm(ScopedModelForm):
    scoped_fields = {"service_officer": VIEW}
    uscc = forms.CharField(label=_("unified social credit code"), max_length=40, required=False)
    industry_code = forms.CharField(
        label=_("industry code"),
        max_length=8,
        required=False,
        help_text=_("GB/T 4754-2017 division, group or class, e.g. 3841."),
    )

    class Meta:
        model = Enterprise
        fields = list(services.ENTERPRISE_FIELDS)
        widgets = {
            "registered_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "emerging_industries": Checks,
            "business_scope": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = placeable_areas(Enterprise, self.user).exclude(kind="region")
        self.fields["area"].label_from_instance = lambda a: "\u2003" * a.depth + a.label
        self.fields["service_officer"].label_from_instance = lambda u: u.display_name or u.username
        _amount_fields(self, ["registered_capital"], {"registered_capital": _("Registered capital")})

    def _post_clean(self):
        pass


class IndicatorForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("Reason for the revision"),
        max_length=500,
        required=False,
        help_text=_("The year is locked: say why its figures change."),
    )

    class Meta:
        model = Indicator
        fields = ["year", *services.INDICATOR_FIELDS]
        widgets = {"above_designated_size_set": forms.NullBooleanSelect}

    def __init__(self, *args, user=None, locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.locked = locked
        _amount_fields(self, INDICATOR_AMOUNTS)
        if self.instance.pk:
            self.fields["year"].disabled = True
        if locked:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]

    def _post_clean(self):
        pass


class LabelForm(forms.ModelForm):
    class Meta:
        model = Label
        fields = ["kind", "certificate_no", "valid_from", "valid_to"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def _post_clean(self):
        pass
