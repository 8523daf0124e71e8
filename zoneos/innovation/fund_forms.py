"""Forms of the fund pages: a fund, an investment and an exit (create and edit). Shares and stakes are
typed and shown in per cent (35) and handed to the services as the fractions they store (0.35); the
services validate and their errors come back to the field they name."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import placeable_areas
from zoneos.core.forms import VIEW, Checks, ScopedModelForm
from zoneos.core.money import AmountField, PercentField

from .fund_models import Exit, Fund, Investment
from .fund_services import EXIT_FIELDS, FUND_FIELDS, INVESTMENT_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOTES = forms.Textarea(attrs={"rows": 3})


class FundForm(ScopedModelForm):
    scoped_fields = {"focus_chains": VIEW}
    size = AmountField(unit="large", label=_("Size"), required=False)
    government_share = PercentField(label=capfirst(_("government share (%)")))

    class Meta:
        model = Fund
        fields = [*FUND_FIELDS, "focus_chains"]
        widgets = {
            "established_on": DATE,
            "notes": NOTES,
            "focus_chains": Checks,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        area.queryset = placeable_areas(Fund, self.user).exclude(kind="region").order_by("path")
        area.label_from_instance = lambda a: "\u2003" * a.depth + a.label
        chains = self.fields["focus_chains"]
        chains.queryset = chains.queryset.filter(area__isnull=False).order_by("code")
        chains.label_from_instance = lambda c: c.label
        chains.help_text = _("Chains of the fund's own zone.")

    def _post_clean(self):
        pass  # the service validates, naming the field


class InvestmentForm(ScopedModelForm):
    """An investment of the fund whose page it was opened from."""

    scoped_fields = {"enterprise": VIEW}
    amount = AmountField(label=_("Amount"))
    stake = PercentField(label=capfirst(_("stake (%)")))

    class Meta:
        model = Investment
        fields = list(INVESTMENT_FIELDS)
        widgets = {"invested_on": DATE, "notes": NOTES}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        enterprise = self.fields["enterprise"]
        enterprise.queryset = enterprise.queryset.order_by("name")

    def _post_clean(self):
        pass


class ExitForm(ScopedModelForm):
    """An exit from the investment it was opened from."""

    amount = AmountField(label=_("Cost exited"), help_text=_("The part of the investment's cost taken back."))
    proceeds = AmountField(label=_("Proceeds"), required=False)
    stake = PercentField(label=capfirst(_("stake sold (%)")))

    class Meta:
        model = Exit
        fields = list(EXIT_FIELDS)
        widgets = {"exited_on": DATE, "notes": NOTES}

    def _post_clean(self):
        pass
