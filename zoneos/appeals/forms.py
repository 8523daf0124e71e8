"""Forms of the service desk's pages, and the table of an appeal's steps (each step's form and the
service it calls). Forms offer choices from the user's scope and check types only: the rules (who may,
in which state, what must be written) are the services', whose errors come back to the field they
name. Text the services require is therefore not required here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from zoneos.accounts.models import Membership, User
from zoneos.accounts.scoping import memberships, placeable_areas, scope
from zoneos.areas.models import Area, Department, subtree_q
from zoneos.core.roles import VIEW, Role
from zoneos.enterprises.models import Enterprise

from . import services
from .models import Appeal, Category, Channel, Rating, Symposium, Visit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
WIDGET_CLASSES = {"select": "form-select", "checkbox": "form-check-input", "radioselect": "form-check-input"}


class _Styled:
    """Bootstrap classes on every widget, so templates render fields as they are."""

    def _style(self) -> None:
        for field in self.fields.values():
            kind = field.widget.__class__.__name__.lower()
            css = WIDGET_CLASSES.get(kind, "form-control")
            field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields and "is-invalid" not in self.fields[name].widget.attrs["class"]:
                self.fields[name].widget.attrs["class"] += " is-invalid"


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


class SubmitForm(_Styled, forms.Form):
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


# The step forms ----------------------------------------------------------------------------------
class StepForm(_Styled, forms.Form):
    def __init__(self, *args, user=None, appeal: Appeal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.appeal = user, appeal
        self._style()


class ConfirmForm(StepForm):
    """A step that needs nothing but the click (signing for, starting)."""


class NoteForm(StepForm):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(StepForm):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ExtensionForm(StepForm):
    days = forms.IntegerField(
        label=_("More working days"), required=False, min_value=1, max_value=services.MAX_EXTENSION_DAYS
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReplyForm(StepForm):
    reply = forms.CharField(
        label=_("Reply to the enterprise"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class EvaluateForm(StepForm):
    rating = forms.ChoiceField(
        label=_("Rating"), choices=Rating.choices, required=False, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when dissatisfied: say what is still wrong."),
    )


class AssignForm(StepForm):
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    handler = forms.ModelChoiceField(
        label=_("Handler"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Optional: otherwise every handler of the department sees it in their queue."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        departments = serving_departments(self.user, self.appeal)
        self.fields["department"].queryset = departments
        self.fields["department"].label_from_instance = lambda d: f"{d.label} · {d.area.label}"
        self.fields["department"].initial = self.appeal.department_id if self.appeal else None
        where = {
            m.user_id: m.department.label
            for m in Membership.objects.filter(role=Role.HANDLER, department__in=departments).select_related(
                "department"
            )
        }
        self.fields["handler"].queryset = User.objects.filter(pk__in=where).order_by("username")
        self.fields["handler"].label_from_instance = lambda u: f"{u} · {where.get(u.pk, '')}"


def serving_departments(user, appeal: Appeal | None):
    """Departments in the user's scope that may serve the appeal's area: on it, above it or below it."""
    departments = scope(Department.objects.select_related("area"), user, VIEW).order_by("area__path", "name")
    if appeal is None:
        return departments
    path = appeal.area.path
    parts = [p for p in path.strip("/").split("/") if p]
    above = ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
    return departments.filter(Q(area__path__in=above) | subtree_q(Department, path))


class AttachForm(StepForm):
    file = forms.FileField(label=_("File"), required=False)


@dataclass(frozen=True)
class Step:
    label: str
    icon: str
    form: type
    run: Callable
    help: str = ""
    button: str = "primary"


# The steps, in the order `services.allowed_actions` gives them; labels are translated when shown.
STEPS: dict[str, Step] = {
    "assign": Step(
        gettext_lazy("Assign"),
        "signpost-split",
        AssignForm,
        lambda a, by, d: services.assign(
            a, by=by, department=d["department"], handler=d["handler"], note=d["note"]
        ),
        gettext_lazy("Route the appeal to the department that handles it; its sign-for clock starts now."),
    ),
    "sign_for": Step(
        gettext_lazy("Sign for"),
        "check2-square",
        ConfirmForm,
        lambda a, by, d: services.sign_for(a, by=by),
        gettext_lazy("Your department takes the appeal on. The reply deadline keeps running."),
    ),
    "return": Step(
        gettext_lazy("Return"),
        "arrow-return-left",
        ReasonForm,
        lambda a, by, d: services.return_appeal(a, by=by, reason=d["reason"]),
        gettext_lazy("Not your department's business: it goes back to routing with your reason."),
        "outline-danger",
    ),
    "start": Step(
        gettext_lazy("Start work"),
        "play-circle",
        ConfirmForm,
        lambda a, by, d: services.start(a, by=by),
        gettext_lazy("Mark the appeal as being worked on."),
        "outline-primary",
    ),
    "request_extension": Step(
        gettext_lazy("Ask for more time"),
        "hourglass-split",
        ExtensionForm,
        lambda a, by, d: services.request_extension(a, by=by, days=d["days"], reason=d["reason"]),
        gettext_lazy("Asked before the reply deadline; a head of the department or the zone decides."),
        "outline-primary",
    ),
    "approve_extension": Step(
        gettext_lazy("Approve the extension"),
        "check2-circle",
        NoteForm,
        lambda a, by, d: services.decide_extension(a, by=by, approve=True, note=d["note"]),
        gettext_lazy("The reply deadline moves by the working days asked for."),
        "success",
    ),
    "reject_extension": Step(
        gettext_lazy("Refuse the extension"),
        "x-circle",
        NoteForm,
        lambda a, by, d: services.decide_extension(a, by=by, approve=False, note=d["note"]),
        gettext_lazy("The reply deadline stays as it is."),
        "outline-danger",
    ),
    "pause": Step(
        gettext_lazy("Wait on the enterprise"),
        "pause-circle",
        ReasonForm,
        lambda a, by, d: services.pause(a, by=by, reason=d["reason"]),
        gettext_lazy("The deadlines stop until the enterprise provides what is asked for."),
        "outline-secondary",
    ),
    "resume": Step(
        gettext_lazy("Resume"),
        "play-circle",
        NoteForm,
        lambda a, by, d: services.resume(a, by=by, note=d["note"]),
        gettext_lazy("The deadlines move by the working time spent waiting."),
    ),
    "reply": Step(
        gettext_lazy("Reply"),
        "reply",
        ReplyForm,
        lambda a, by, d: services.reply(a, by=by, reply=d["reply"]),
        gettext_lazy("The enterprise is told and asked to confirm and rate the reply."),
    ),
    "evaluate": Step(
        gettext_lazy("Rate the reply"),
        "star",
        EvaluateForm,
        lambda a, by, d: services.evaluate(a, by=by, rating=d["rating"], comment=d["comment"]),
        gettext_lazy("Does the reply settle the appeal?"),
    ),
    "close": Step(
        pgettext_lazy("appeal step", "Close"),
        "archive",
        NoteForm,
        lambda a, by, d: services.close(a, by=by, note=d["note"]),
        gettext_lazy("Settle the appeal; unrated, once the enterprise's time to confirm has passed."),
        "outline-secondary",
    ),
    "reopen": Step(
        gettext_lazy("Reopen"),
        "arrow-counterclockwise",
        ReasonForm,
        lambda a, by, d: services.reopen(a, by=by, reason=d["reason"]),
        gettext_lazy("The reply did not settle it: the appeal goes back to routing with a new deadline."),
        "outline-danger",
    ),
    "urge": Step(
        gettext_lazy("Urge"),
        "bell",
        NoteForm,
        lambda a, by, d: services.urge(a, by=by, note=d["note"]),
        gettext_lazy("Remind whoever holds the appeal; it is flagged as urged."),
        "outline-warning",
    ),
}
ATTACH = Step(
    gettext_lazy("Attach a file"),
    "paperclip",
    AttachForm,
    lambda a, by, d: services.attach(a, by=by, upload=d["file"]),
)


# Symposia and visits ------------------------------------------------------------------------------
class SymposiumForm(_Styled, forms.Form):
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


class VisitForm(_Styled, forms.Form):
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
