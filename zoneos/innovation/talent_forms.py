"""Forms of the talent pages: a talent, a talent team and a service received (create and edit). The
services validate (their errors come back to the field they name); the forms offer the enterprises
the user may keep talents of and the teams they see."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import placeable_areas
from zoneos.core.forms import VIEW, ScopedModelForm
from zoneos.core.money import AmountField

from .talent_models import Talent, TalentService, TalentTeam
from .talent_services import SERVICE_FIELDS, TALENT_FIELDS, TEAM_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOTES = forms.Textarea(attrs={"rows": 3})


class _KeptForm(ScopedModelForm):
    """The enterprise: one the user sees, in an area where they keep records of the form's model."""

    scoped_fields = {"enterprise": VIEW}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        enterprise = self.fields["enterprise"]
        areas = placeable_areas(self._meta.model, self.user)
        enterprise.queryset = enterprise.queryset.filter(area__in=areas).order_by("name")

    def _post_clean(self):
        pass  # the service validates, naming the field


class TeamForm(_KeptForm):
    class Meta:
        model = TalentTeam
        fields = list(TEAM_FIELDS)
        widgets = {"recognised_on": DATE, "notes": NOTES}


class TalentForm(_KeptForm):
    scoped_fields = {"enterprise": VIEW, "team": VIEW}

    class Meta:
        model = Talent
        fields = list(TALENT_FIELDS)
        widgets = {"recognised_on": DATE, "notes": NOTES}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        team.queryset = team.queryset.select_related("enterprise").order_by("enterprise__name", "name")
        team.label_from_instance = lambda t: f"{t.name} · {t.enterprise.name}"
        team.help_text = _("A team of the talent's own enterprise.")


class ServiceForm(ScopedModelForm):
    """A service received; its recipient (the talent or the team) is the page it was opened from."""

    amount = AmountField(label=_("Amount"), required=False)

    class Meta:
        model = TalentService
        fields = [f for f in SERVICE_FIELDS if f not in ("talent", "team")]
        widgets = {"received_on": DATE, "notes": NOTES}

    def _post_clean(self):
        pass
