"""Pages of the whitelist: the applications (with the warnings), an application's page (its items with
their balances, movements, the forms of the steps the user may take now and of a movement, the timeline
and history), the researchers and institutions, the forms that add and change them, and the customs
sheet. Thin: every change goes through `services` or the workflow."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from zoneos.accounts.scoping import in_scope, may_write, memberships, scope
from zoneos.audit.history import display_rows
from zoneos.core.errors import Conflict
from zoneos.core.filters import as_id
from zoneos.core.roles import CHANGE, VIEW, Role
from zoneos.core.views import ServiceDeleteView, ServiceFormView, narrow

from . import customs, services, warnings
from .forms import ApplicationForm, EntityForm, ItemForm, MovementForm
from .models import (
    ApplicationStep,
    Entity,
    EntityKind,
    Item,
    Movement,
    Region,
    Status,
    WhitelistApplication,
)
from .parties import may_see_document
from .workflow import APPLICATION_WORKFLOW as WORKFLOW
from .workflow import step_label


def may_keep(user, model) -> bool:
    """Whether `user` keeps some records of `model`: a role that applies for enterprises, or their own
    enterprise's user."""
    return may_write(user, model) or any(m.role == Role.ENTERPRISE for m in memberships(user))


def applications_for(user):
    return scope(WhitelistApplication.objects.select_related("area", "enterprise"), user, VIEW)


class ApplicationListView(LoginRequiredMixin, TemplateView):
    """The applications the user sees, by status, with the warnings of the day above them."""

    template_name = "whitelist/application_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, get = self.request.user, self.request.GET
        today = timezone.localdate()
        seen = narrow(applications_for(user), self.request)
        counts = {row["status"]: row["n"] for row in seen.values("status").annotate(n=Count("pk")).order_by()}
        rows = seen.annotate(item_count=Count("items", distinct=True))
        status = get.get("status", "")
        if status in Status.values:
            rows = rows.filter(status=status)
        query = (get.get("q") or "").strip()[:100]
        if query:
            rows = rows.filter(
                Q(enterprise__name__icontains=query)
                | Q(project__icontains=query)
                | Q(approval_number__icontains=query)
            )
        rows = list(rows.order_by("-created_at", "-pk")[:500])
        for a in rows:
            a.days_left = (a.valid_to - today).days if a.status == Status.APPROVED and a.valid_to else None
        context.update(
            applications=rows,
            statuses=[(value, label, counts.get(value, 0)) for value, label in Status.choices],
            status=status,
            q=query,
            total=sum(counts.values()),
            warnings=warnings.found(user, today),
            days=warnings.EXPIRING_DAYS,
            may_apply=may_keep(user, WhitelistApplication),
            today=today,
        )
        return context


class ApplicationDetailView(LoginRequiredMixin, TemplateView):
    """An application with its items and balances, movements, the step forms, timeline and history."""

    template_name = "whitelist/application_detail.html"

    def application(self):
        return get_object_or_404(applications_for(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        application = kwargs.get("application") or self.application()
        today = timezone.localdate()
        items = list(services.with_balances(application.items.order_by("pk")))
        for item in items:
            item.in_zone = item.imported - item.exported
            approved = item.approved_quantity
            item.importable = max(approved - item.imported, 0) if approved is not None else None
            item.holding_after_expiry = (
                application.status == Status.APPROVED and application.valid_to < today and item.in_zone > 0
            )
        may_change = in_scope(application, user, CHANGE)
        may_move = may_change and application.status == Status.APPROVED
        movement_form = kwargs.get("movement_form")
        if movement_form is None and may_move:
            movement_form = MovementForm(
                items=application.items.order_by("pk"), initial={"on": today, "direction": "in"}
            )
        entities = list(application.entities.select_related("area").order_by("name"))
        for entity in entities:
            entity.shown_id = entity.id_number if may_see_document(user, entity) else entity.id_masked
        steps = list(ApplicationStep.objects.filter(application=application).select_related("by"))
        for step in steps:
            step.label = step_label(step.kind)
        days_left = (application.valid_to - today).days if application.valid_to else None
        context.update(
            application=application,
            items=items,
            entities=entities,
            movements=Movement.objects.filter(item__application=application)
            .select_related("item", "by")
            .order_by("-on", "-pk"),
            refusals=application_refusals(application),
            step_forms=_step_forms(application, user, kwargs.get("posted")),
            movement_form=movement_form if may_move else None,
            may_edit=may_change and application.editable,
            steps=steps,
            history=display_rows(application, user),
            days_left=days_left,
            expiring=application.status == Status.APPROVED
            and days_left is not None
            and 0 <= days_left <= warnings.EXPIRING_DAYS,
            expired=application.status == Status.APPROVED and days_left is not None and days_left < 0,
            today=today,
        )
        return context

    def post(self, request, pk):
        application = self.application()
        if request.POST.get("movement"):
            return self._movement(request, application)
        name = request.POST.get("step", "")
        if name not in WORKFLOW:
            raise Http404
        form = WORKFLOW.form_class(name)(request.POST, user=request.user, record=application)
        if form.is_valid():
            try:
                WORKFLOW.take(name, application, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except (Conflict, PermissionDenied) as exc:
                messages.error(request, str(exc.detail if isinstance(exc, Conflict) else exc))
                return redirect(application.get_absolute_url())
            else:
                messages.success(request, _("Done: %(step)s.") % {"step": WORKFLOW[name].label})
                return redirect(application.get_absolute_url())
        context = self.get_context_data(application=application, posted=form)
        return self.render_to_response(context, status=400)

    def _movement(self, request, application):
        form = MovementForm(request.POST, items=application.items.order_by("pk"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_movement(
                    data["item"],
                    by=request.user,
                    direction=data["direction"],
                    on=data["on"],
                    quantity=data["quantity"],
                    reference=data["reference"],
                )
            except services.MovementRefused as refusal:
                form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The movement is recorded."))
                return redirect(application.get_absolute_url() + "#movements")
        context = self.get_context_data(application=application, movement_form=form)
        return self.render_to_response(context, status=409 if form.errors else 400)


def application_refusals(application):
    from .models import RefusedMovement

    return RefusedMovement.objects.filter(item__application=application).select_related("item", "by")[:20]


def _step_forms(application, user, posted=None) -> list[dict]:
    """One form per step the user may take now, the posted one keeping its data and errors."""
    forms = []
    for name in WORKFLOW.allowed(user, application):
        form = posted if posted is not None and posted.step.name == name else None
        if form is None:
            form = WORKFLOW.form_class(name)(user=user, record=application, prefix=None)
        forms.append({"name": name, "step": WORKFLOW[name], "form": form})
    return forms


class CustomsSheetView(LoginRequiredMixin, TemplateView):
    """The application's items in customs' fields, as xlsx (see `customs`)."""

    def get(self, request, pk):
        return customs.sheet(get_object_or_404(applications_for(request.user), pk=pk), request)


class EntityListView(LoginRequiredMixin, TemplateView):
    """Researchers and institutions on the whitelist: their document numbers masked for whoever need not
    see them, and the applications they are named in."""

    template_name = "whitelist/entity_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, get = self.request.user, self.request.GET
        rows = narrow(scope(Entity.objects.select_related("area", "enterprise"), user, VIEW), self.request)
        region = get.get("region", "")
        if region in Region.values:
            rows = rows.filter(region=region)
        kind = get.get("kind", "")
        if kind in EntityKind.values:
            rows = rows.filter(kind=kind)
        query = (get.get("q") or "").strip()[:100]
        if query:
            rows = rows.filter(
                Q(name__icontains=query) | Q(name_en__icontains=query) | Q(affiliation__icontains=query)
            )
        rows = list(
            rows.prefetch_related(
                Prefetch("applications", queryset=applications_for(user).order_by("-pk"))
            ).order_by("name", "pk")[:500]
        )
        for entity in rows:
            entity.shown_id = entity.id_number if may_see_document(user, entity) else entity.id_masked
            entity.may_edit = may_see_document(user, entity)
        context.update(
            entities=rows,
            regions=Region.choices,
            kinds=EntityKind.choices,
            region=region,
            kind=kind,
            q=query,
            may_create=may_keep(user, Entity),
        )
        return context


# Forms -----------------------------------------------------------------------------------------------
class _KeeperForm(ServiceFormView):
    """A form whose valid data goes to a service (`run`); for the staff who apply for enterprises and
    for the enterprises' own users (the service checks the record itself)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = None
        if self.editing:
            self.object = (
                scope(self.model._default_manager.all(), request.user, VIEW).filter(pk=kwargs["pk"]).first()
            )
            if self.object is None:
                raise Http404
            if not in_scope(self.object, request.user, CHANGE):
                raise PermissionDenied
        elif not may_keep(request.user, self.model):
            raise PermissionDenied
        return super(ServiceFormView, self).dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        self._form = form
        return super().form_valid(form)

    def perform(self, data):
        return self.run(self._form.service_data())

    def run(self, data):
        raise NotImplementedError


class EntityCreateView(_KeeperForm):
    model = Entity
    form_class = EntityForm
    title = gettext_lazy("New researcher or institution")
    list_url = "whitelist:entities"

    def run(self, data):
        return services.create_entity(by=self.request.user, **data)


class EntityUpdateView(_KeeperForm):
    model = Entity
    form_class = EntityForm
    editing = True
    title = gettext_lazy("Edit researcher or institution")

    def run(self, data):
        return services.update_entity(self.object, by=self.request.user, **data)


class ApplicationCreateView(_KeeperForm):
    model = WhitelistApplication
    form_class = ApplicationForm
    title = gettext_lazy("New whitelist application")
    list_url = "whitelist:applications"

    def get_initial(self):
        return {"enterprise": as_id(self.request.GET.get("enterprise", ""))}

    def run(self, data):
        return services.create_application(by=self.request.user, **data)


class ApplicationUpdateView(_KeeperForm):
    model = WhitelistApplication
    form_class = ApplicationForm
    editing = True
    title = gettext_lazy("Edit whitelist application")

    def run(self, data):
        return services.update_application(self.object, by=self.request.user, **data)


class ApplicationDeleteView(ServiceDeleteView):
    model = WhitelistApplication
    success_url_name = "whitelist:applications"

    def perform(self, obj):
        services.delete_application(obj, by=self.request.user)


class ItemCreateView(_KeeperForm):
    model = Item
    form_class = ItemForm
    title = gettext_lazy("New item")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.parent = get_object_or_404(applications_for(request.user), pk=kwargs["parent"])
            if not in_scope(self.parent, request.user, CHANGE):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def cancel_url(self) -> str:
        return self.parent.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.parent
        return context

    def run(self, data):
        return services.create_item(self.parent, by=self.request.user, **data)


class ItemUpdateView(_KeeperForm):
    model = Item
    form_class = ItemForm
    editing = True
    title = gettext_lazy("Edit item")

    def run(self, data):
        return services.update_item(self.object, by=self.request.user, **data)


class ItemDeleteView(ServiceDeleteView):
    model = Item
    success_url_name = "whitelist:applications"

    def post(self, request, pk):
        obj = self.get_object()
        try:
            services.delete_item(obj, by=request.user)
        except (Conflict, PermissionDenied) as exc:
            messages.error(request, str(exc.detail if isinstance(exc, Conflict) else exc))
        else:
            messages.success(request, _("%(record)s: done.") % {"record": obj})
        return redirect(obj.application.get_absolute_url())
