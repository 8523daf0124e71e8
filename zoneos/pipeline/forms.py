"""Forms of the pipeline pages. The services validate (errors come back to the field they name);
forms offer choices from the user's scope."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import placeable_areas
from zoneos.core.forms import VIEW, ScopedModelForm
from zoneos.core.money import parse_amount
from zoneos.core.roles import Role

from . import services
from .models import FollowUp, Project, SigningBatch
from .moves import PROJECT_MOVES
from .stages import StageCategory


class AmountField(forms.CharField):
    """An amount in yuan that may be typed in 万元 or 亿元 ("1.5亿", "3000万元", "2,500")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("In yuan, or write 万元 or 亿元 after the number (e.g. 1.5亿)."))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_amount(value)
        except ValueError:
            raise forms.ValidationError(
                _("Give an amount in yuan, or write 万元 or 亿元 after it.")
            ) from None


AMOUNTS = ("total_investment", "fixed_asset_investment", "expected_output", "expected_tax")


class ProjectForm(ScopedModelForm):
    scoped_fields = {"owner": VIEW, "signing_batch": VIEW}
    industry_code = forms.CharField(
        label=_("industry code"),
        max_length=8,
        required=False,
        help_text=_("GB/T 4754-2017 division, group or class, e.g. 3841."),
    )
    investor_uscc = forms.CharField(label=_("investor's credit code"), max_length=40, required=False)

    class Meta:
        model = Project
        fields = [f for f in services.PROJECT_FIELDS if f != "enterprise"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = placeable_areas(Project, self.user).exclude(kind="region")
        self.fields["area"].label_from_instance = lambda a: "\u2003" * a.depth + a.label
        self.fields["owner"].label_from_instance = lambda u: u.display_name or u.username
        for name in AMOUNTS:
            if name in self.fields:
                model_field = self.fields[name]
                self.fields[name] = AmountField(label=model_field.label, required=model_field.required)
        # The project's officer is one of the investment officers of the user's areas (not any user in
        # sight, such as an enterprise's user or a handler); a project keeps the officer it has.
        officers = Q(memberships__role=Role.INVESTMENT_OFFICER, is_active=True)
        if self.instance.pk and self.instance.owner_id:
            officers |= Q(pk=self.instance.owner_id)
        self.fields["owner"].queryset = self.fields["owner"].queryset.filter(officers).distinct()

    def _post_clean(self):
        pass


class MoveForm(forms.Form):
    """A move, on the project's page and from the board: `to` chooses it among the moves offered (the
    table's steps, named by the category they lead to); the other fields are the moves' inputs, as
    the table declares them."""

    to = forms.ChoiceField(label=_("Move to"), choices=StageCategory.choices)
    # The page's own: a lead older than recorded has its date moved back with the move.
    backdate_lead = forms.BooleanField(label=_("Move the lead date back to this day"), required=False)

    def __init__(self, *args, moves=(), **kwargs):
        super().__init__(*args, **kwargs)
        if moves:
            self.fields["to"].choices = [(c.value, c.label) for c in StageCategory if c.value in moves]
        for step in PROJECT_MOVES:
            for spec in step.inputs:
                if spec.name not in self.fields:
                    self.fields[spec.name] = spec.form_field()


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = list(services.FOLLOW_UP_FIELDS)
        widgets = {
            "on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "next_action_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 2}),
        }

    def _post_clean(self):
        pass


class SigningBatchForm(ScopedModelForm):
    class Meta:
        model = SigningBatch
        fields = list(services.BATCH_FIELDS)
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = placeable_areas(SigningBatch, self.user).exclude(kind="region")
        self.fields["area"].label_from_instance = lambda a: "\u2003" * a.depth + a.label

    def _post_clean(self):
        pass
