"""Forms of the service desk's pages (an appeal's step forms are made from the workflow table). Forms
offer choices from the user's scope and check types only: the rules (who may, in which state, what
must be written) are the services', whose errors come back to the field they name. Text the services
require is therefore not required here."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneos.accounts.scoping import memberships, placeable_areas, scope
from zoneos.areas.models import Area, subtree_q
from zoneos.core.roles import VIEW, Role
from zoneos.enterprises.models import Enterprise

from . import services
from .models import Category, Channel, Symposium, Visit
from .styles import Styled, StyledForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def is_recorder(user) -> bool:
    """Staff who record appeals received by hotline, visit or symposium (somewhere)."""
    return user.is_superuser or any(
        m.role in services.RECORDING_ROLES and m.area_id for m in memberships(user)
    )


def may_submit(user) -> bool:
    return is_recorder(user) or any(m.role == Role.ENTERPRISE for m in memberships(user))


def submittable_enterprises(user):
    """The enterprises `user` may submit appeals for: their own enterprise's, or those of the areas
    where they record appeals (what `services.submit` accepts)."""
    enterprises = scope(Enterprise.objects.select_related("area"), user, VIEW).order_by("name", "pk")
    if user.is_superuser:
        return enterprises
    condition = Q(pk__in=[])
    for m in memberships(user):
        if m.role == Role.ENTERPRISE and m.enterprise_id:
            condition |= Q(pk=m.enterprise_id)
        elif m.role in services.RECORDING_ROLES and m.area_id:
            condition |= subtree_q(Enterprise, m.area)
    return enterprises.filter(condition)


class SubmitForm(Styled, forms.Form):
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"), queryset=Enterprise.objects.none(), empty_label=_("Choose the enterprise")
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("Choose…")), *Category.choices], required=False
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    description = forms.CharField(
        label=pgettext_lazy("appeal", "Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the enterprise needs, since when, and what has been tried."),
    )
    # Staff only: appeals received earlier, by another channel.
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, required=False)
    received_at = forms.DateTimeField(
        label=_("Received at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=100, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    symposium = forms.ModelChoiceField(
        label=_("Raised at the symposium"),
        queryset=Symposium.objects.none(),
        required=False,
        empty_label=_("Not raised at a symposium"),
    )
    visit = forms.ModelChoiceField(queryset=Visit.objects.none(), required=False, widget=forms.HiddenInput)

    # Shown with an asterisk: the service refuses the appeal without them.
    starred = ("enterprise", "category", "title", "description")
    STAFF_FIELDS = ("channel", "received_at", "contact_name", "contact_phone", "symposium", "visit")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.staff = is_recorder(user)
        enterprises = submittable_enterprises(user)
        field = self.fields["enterprise"]
        field.queryset = enterprises
        field.label_from_instance = lambda e: f"{e.label} · {e.area.label}"
        own = list(enterprises[:2]) if not self.staff else []
        if len(own) == 1:
            # An enterprise's own user submits for that enterprise only.
            field.initial = own[0].pk
            field.disabled = True
            self.fixed_enterprise = own[0]
        else:
            self.fixed_enterprise = None
        if self.staff:
            self.fields["symposium"].queryset = scope(
                Symposium.objects.select_related("area"), user, VIEW
            ).order_by("-held_on", "-id")
            self.fields["symposium"].label_from_instance = lambda s: (
                f"{s.held_on:%Y-%m-%d} · {s.title} · {s.area.label}"
            )
            self.fields["visit"].queryset = scope(Visit.objects.select_related("enterprise"), user, VIEW)
        else:
            for name in self.STAFF_FIELDS:
                del self.fields[name]
        self._style()

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        values = {
            "enterprise": data["enterprise"],
            "category": data["category"],
            "title": data["title"],
            "description": data["description"],
        }
        if self.staff:
            values.update(
                channel=data["channel"] or Channel.ONLINE,
                received_at=data["received_at"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                symposium=data["symposium"],
                visit=data["visit"],
            )
        return values


# An appeal's files ----------------------------------------------------------------------------------
class AttachForm(StyledForm):
    file = forms.FileField(label=_("File"), required=False)


# Symposia and visits ------------------------------------------------------------------------------
class SymposiumForm(Styled, forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), empty_label=_("Choose…"))
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    attendees = forms.CharField(
        label=_("Attendees"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who came, one per line."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = placeable_areas(Symposium, user).order_by("path")
        self.fields["area"].label_from_instance = lambda a: "\u2003" * a.depth + a.label
        self.fields["held_on"].initial = timezone.localdate()
        self._style()


class VisitForm(Styled, forms.Form):
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"), queryset=Enterprise.objects.none(), empty_label=_("Choose the enterprise")
    )
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was discussed; an appeal raised on the visit is recorded from the visit's row."),
    )

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["visited_on"].initial = timezone.localdate()
        self.fields["visited_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self._style()
