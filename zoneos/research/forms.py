"""Forms of the research pages. The services validate (their errors come back to the field they name);
the forms offer choices from the user's scope, type amounts in the screen's unit (万元 unless 元 follows
the number) and shares in per cent (10 typed is the fraction 0.1 stored, as every share form does)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import placeable_areas
from zoneos.core.forms import VIEW, ScopedModelForm
from zoneos.core.money import AmountField, PercentField

from .models import BUDGET_OPEN, Category, Programme, ResearchProject, default_criteria

DATE = {"type": "date"}
SELECT = {"class": "form-select"}


def _partners_text(partners) -> str:
    return "\n".join(f"{p['name']} | {p['region']}" for p in partners or [])


def _partners(text: str) -> list:
    found = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        name, _sep, region = line.partition("|")
        found.append({"name": name.strip(), "region": region.strip().lower() or "mainland"})
    return found


class ProjectForm(ScopedModelForm):
    """A project's record, its partners one per line ("name | region") and, while the application is
    open, its budget by category."""

    scoped_fields = {"programme": VIEW, "enterprise": VIEW}
    partners_text = forms.CharField(
        label=_("Partners"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name | region (mainland, hk, mo, tw or abroad)."),
    )
    aliases = {"partners": "partners_text"}

    class Meta:
        model = ResearchProject
        fields = [
            "programme", "area", "code", "title", "enterprise", "institution", "partners_text", "pi_name",
            "pi_contact", "starts_on", "ends_on", "summary",
        ]  # fmt: skip
        widgets = {
            "starts_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        areas = placeable_areas(ResearchProject, self.user).exclude(kind="region").order_by("path")
        self.fields["area"].queryset = areas
        self.fields["area"].label_from_instance = lambda a: "\u2003" * a.depth + a.label
        self.fields["enterprise"].queryset = (
            self.fields["enterprise"].queryset.only("id", "name").order_by("name")
        )
        self.fields["programme"].queryset = self.fields["programme"].queryset.order_by("-year", "code")
        self.budget_open = self.instance.pk is None or self.instance.status in BUDGET_OPEN
        if self.instance.pk:
            self.initial.setdefault("partners_text", _partners_text(self.instance.partners))
        if self.budget_open:
            lines = (
                {line.category: line.amount for line in self.instance.budget_lines.all()}
                if self.instance.pk
                else {}
            )
            for value, label in Category.choices:
                self.fields[f"budget_{value}"] = AmountField(label=label, required=False, help_text="")
                if value in lines:
                    self.initial.setdefault(f"budget_{value}", lines[value])

    def budget_fields(self):
        return [self[f"budget_{v}"] for v in Category.values if f"budget_{v}" in self.fields]

    def record_fields(self):
        return [f for f in self if not f.name.startswith("budget_")]

    def service_data(self) -> dict:
        data = {
            k: v for k, v in self.cleaned_data.items() if not k.startswith("budget_") and k != "partners_text"
        }
        data["partners"] = _partners(self.cleaned_data.get("partners_text", ""))
        if self.budget_open:
            data["budget"] = {
                v: self.cleaned_data[f"budget_{v}"]
                for v in Category.values
                if self.cleaned_data.get(f"budget_{v}")
            }
        if self.instance.pk:
            data.pop("programme", None)
        return data

    def _post_clean(self):
        pass


def _criteria_text(criteria) -> str:
    return "\n".join(
        f"{c.get('code', '')} | {c.get('name', '')} | {c.get('max', '')}" for c in criteria or []
    )


def _criteria(text: str) -> list:
    """The criteria typed one per line ("code | name | max") as the service takes them; the service
    judges them (a maximum that is not a whole number is passed on as typed, and refused there)."""
    found = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        code, name, top = ([part.strip() for part in line.split("|")] + ["", ""])[:3]
        found.append({"code": code, "name": name, "max": int(top) if top.isdigit() else top})
    return found


class ProgrammeForm(ScopedModelForm):
    """A programme and its budget rules: the categories that may not rise (ticked), the PI's share and
    the indirect-cost cap in per cent (10 typed is 0.1 stored; the service refuses what is beyond 0 % to
    100 %, naming the field), and the evaluation criteria one per line."""

    frozen = forms.MultipleChoiceField(
        label=_("Categories that may not rise"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Budget categories no adjustment may move money into."),
    )
    pi_share = PercentField(
        label=_("Share a PI may move alone (%)"),
        help_text=_("Of the project's total budget, over all its adjustments; beyond it an admin approves."),
    )
    indirect_cap = PercentField(label=_("Indirect cost cap (%)"), help_text=_("Of the total budget."))
    criteria = forms.CharField(
        label=_("Evaluation criteria"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line: code | name | maximum points."),
    )

    class Meta:
        model = Programme
        fields = ["area", "code", "name", "year", "frozen", "pi_share", "indirect_cap", "criteria", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = placeable_areas(Programme, self.user).order_by("path")
        self.fields["area"].label_from_instance = lambda a: "\u2003" * a.depth + a.label
        instance = self.instance
        self.initial["criteria"] = _criteria_text(instance.criteria if instance.pk else default_criteria())
        if instance.pk is None:
            self.initial.setdefault("pi_share", Programme._meta.get_field("pi_share").default)
            self.initial.setdefault("indirect_cap", Programme._meta.get_field("indirect_cap").default)

    def record_fields(self):
        return [self[name] for name in ("area", "code", "name", "year", "notes")]

    def rule_fields(self):
        return [self[name] for name in ("pi_share", "indirect_cap", "criteria")]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["criteria"] = _criteria(data.get("criteria", ""))
        data["frozen"] = list(data.get("frozen") or [])
        return data

    def _post_clean(self):
        pass  # the service validates, naming the field


class ReviewerForm(forms.Form):
    name = forms.CharField(label=_("Expert"), max_length=100, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)


class ConflictForm(forms.Form):
    reviewer = forms.IntegerField(widget=forms.HiddenInput)
    conflict = forms.BooleanField(label=_("Conflict of interest"), required=False)
    conflict_note = forms.CharField(label=_("What the conflict is"), max_length=2000, required=False)


class ScoreForm(forms.Form):
    """The points of one expert on each criterion of the programme."""

    reviewer = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        for c in criteria:
            self.fields[c["code"]] = forms.DecimalField(
                label=f"{c['name']} (≤ {c['max']})", required=False, min_value=0, max_value=c["max"],
                decimal_places=2, widget=forms.NumberInput(attrs={"step": "0.5", "class": "form-control"}),
            )  # fmt: skip


class AdjustmentForm(forms.Form):
    from_category = forms.ChoiceField(
        label=_("From category"), choices=Category.choices, widget=forms.Select(attrs=SELECT)
    )
    to_category = forms.ChoiceField(
        label=_("To category"), choices=Category.choices, widget=forms.Select(attrs=SELECT)
    )
    amount = AmountField(label=_("Amount"), required=False)
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecideForm(forms.Form):
    adjustment = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    opinion = forms.CharField(label=_("Opinion"), max_length=2000, required=False)


class ExpenditureForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), choices=Category.choices, widget=forms.Select(attrs=SELECT)
    )
    amount = AmountField(label=_("Amount"), required=False)
    spent_on = forms.DateField(label=_("Spent on"), required=False, widget=forms.DateInput(attrs=DATE))
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    voucher_no = forms.CharField(label=_("Voucher number"), max_length=60, required=False)
    voucher = forms.FileField(label=_("Voucher scan"), required=False)
