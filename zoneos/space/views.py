"""Pages of space: the overview (vacancy by park with its rollups, the leases ending soon), the parcel
list with its filters, a parcel's and a building's page (its units and who leases each), and the forms
that add and change parcels, buildings, units and leases. Thin: figures come from `figures`, every
change from `services`."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from zoneos.accounts.scoping import areas_for_roles, in_scope, may_place, may_write, scope
from zoneos.core.filters import as_id
from zoneos.core.roles import CHANGE, VIEW
from zoneos.core.views import (
    ReadsRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
    current_area,
)

from . import figures, geo, maps, services
from .filters import BuildingFilter, ParcelFilter
from .forms import BuildingForm, LeaseForm, ParcelForm, RenovationForm, ShapeUploadForm, UnitForm
from .models import Building, BuildingKind, LandUse, Lease, Parcel, ParcelStatus, Renovation, Shape, Unit
from .scoping import STAFF_ROLES


def reading_area(request):
    """The area a page reads: `?area=` among the areas where the user holds a staff role (404 for one
    out of reach), else the switcher's, else None (all the user sees)."""
    raw = request.GET.get("area", "")
    if raw:
        area = areas_for_roles(request.user, STAFF_ROLES).filter(pk=as_id(raw) or 0).first()
        if area is None:
            raise Http404
        return area
    return current_area(request)


class SpaceView(LoginRequiredMixin, ReadsRequiredMixin, TemplateView):
    """Vacancy by park (and each zone's rollup), in cards and a table, with the leases ending soon and the
    buildings under renovation."""

    reads_model = Unit
    template_name = "space/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        area = reading_area(self.request)
        result = figures.vacancy(self.request.user, area)
        today = timezone.localdate()
        expiring = list(figures.expiring(self.request.user, area, on=today))
        for lease in expiring:
            lease.days_left = (lease.ends_on - today).days
        context.update(
            area=area,
            result=result,
            expiring=expiring,
            days=figures.EXPIRING_DAYS,
            today=today,
            renovation=figures.renovations(self.request.user, area, on=today),
            may_create=may_write(self.request.user, Building),
        )
        return context


class ParcelListView(ScopedListView):
    model = Parcel
    filterset_class = ParcelFilter
    template_name = "space/parcel_list.html"
    paginate_by = 50

    def base_queryset(self):
        return Parcel.objects.select_related("area", "project").order_by("area__path", "code", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(statuses=ParcelStatus.choices, uses=LandUse.choices)
        return context


class BuildingListView(ScopedListView):
    model = Building
    filterset_class = BuildingFilter
    template_name = "space/building_list.html"
    paginate_by = 50

    def base_queryset(self):
        today = timezone.localdate()
        leased = Q(units__leases__starts_on__lte=today, units__leases__ends_on__gte=today)
        return (
            Building.objects.select_related("area", "parcel")
            .annotate(
                unit_count=Count("units", distinct=True), leased=Count("units", filter=leased, distinct=True)
            )
            .order_by("area__path", "code", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kinds"] = BuildingKind.choices
        return context


class ParcelDetailView(ScopedDetailView):
    model = Parcel
    template_name = "space/parcel_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("area", "project")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["buildings"] = scope(self.object.buildings.order_by("code"), self.request.user, VIEW)
        return context


class BuildingDetailView(ScopedDetailView):
    """A building with its units: the lease in force today (tenant, dates, rent) and the next one."""

    model = Building
    template_name = "space/building_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("area", "parcel")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        building, user = self.object, self.request.user
        today = timezone.localdate()
        units = list(scope(Unit.objects.filter(building=building), user, VIEW).order_by("floor", "code"))
        leases = defaultdict(list)
        for lease in (
            scope(Lease.objects.filter(unit__building=building, ends_on__gte=today), user, VIEW)
            .select_related("tenant")
            .order_by("starts_on")
        ):
            leases[lease.unit_id].append(lease)
        rows = []
        for unit in units:
            unit.building = building  # its load and height fall back on the building's
            current = next((x for x in leases[unit.pk] if x.starts_on <= today), None)
            upcoming = [x for x in leases[unit.pk] if x.starts_on > today]
            rows.append(
                {
                    "unit": unit,
                    "lease": current,
                    "next": upcoming[0] if upcoming else None,
                    "ending_soon": current is not None
                    and (current.ends_on - today).days <= figures.EXPIRING_DAYS,
                }
            )
        leased_m2 = sum((r["unit"].floor_area_m2 for r in rows if r["lease"]), start=0)
        total_m2 = sum((r["unit"].floor_area_m2 for r in rows), start=0)
        context.update(
            rows=rows,
            today=today,
            leased=sum(1 for r in rows if r["lease"]),
            leased_m2=leased_m2,
            vacant_m2=total_m2 - leased_m2,
            vacancy_rate=figures.rate(total_m2 - leased_m2, total_m2),
            soon=figures.EXPIRING_DAYS,
            may_keep=context["may_change"],
            renovations=figures.renovations(user, building=building)["rows"],
        )
        return context


# Forms -----------------------------------------------------------------------------------------------
class _ServiceForm(ServiceFormView):
    """A form whose data goes to a service (`run`) through `form.service_data()`; the service's errors
    come back to the field they name, or to the form field that stands for it (`form.aliases`: the
    parcel's "area_mu" and "area_m2" are its `size`)."""

    list_url = "space:home"

    def form_valid(self, form):
        self._form = form
        return super().form_valid(form)

    def perform(self, data):
        try:
            return self.run(self._form.service_data())
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            aliases = getattr(self._form, "aliases", {})
            raise ValidationError({aliases.get(k, k): v for k, v in exc.message_dict.items()}) from exc

    def run(self, data):
        raise NotImplementedError


class ParcelCreateView(_ServiceForm):
    model = Parcel
    form_class = ParcelForm
    title = _("New parcel")
    list_url = "space:parcels"

    def get_initial(self):
        area = current_area(self.request)
        return {"area": area.pk if area and area.kind != "region" else None}

    def run(self, data):
        return services.create_parcel(by=self.request.user, **data)


class ParcelUpdateView(_ServiceForm):
    model = Parcel
    form_class = ParcelForm
    editing = True
    title = _("Edit parcel")

    def run(self, data):
        return services.update_parcel(self.object, by=self.request.user, **data)


class BuildingCreateView(_ServiceForm):
    model = Building
    form_class = BuildingForm
    title = _("New building")
    list_url = "space:buildings"

    def get_initial(self):
        area = current_area(self.request)
        parcel = as_id(self.request.GET.get("parcel", ""))
        return {"area": area.pk if area and area.kind != "region" else None, "parcel": parcel}

    def run(self, data):
        return services.create_building(by=self.request.user, **data)


class BuildingUpdateView(_ServiceForm):
    model = Building
    form_class = BuildingForm
    editing = True
    title = _("Edit building")

    def run(self, data):
        return services.update_building(self.object, by=self.request.user, **data)


class _UnderParent(_ServiceForm):
    """A record added under a parent it names in the URL (a unit in its building, a lease of its unit):
    the parent is read through the scope (404 when out of reach) and the user must keep records there."""

    parent_model = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.parent = get_object_or_404(
            scope(self.parent_model.objects.all(), request.user, VIEW), pk=kwargs["parent"]
        )
        if not in_scope(self.parent, request.user, CHANGE) or not may_place(
            self.model, self.park(), request.user
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def cancel_url(self) -> str:
        return self.parent.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.parent  # the form's subtitle names the building or the unit
        return context


class UnitCreateView(_UnderParent):
    model = Unit
    parent_model = Building
    form_class = UnitForm
    title = _("New unit")

    def park(self):
        return self.parent.area

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Unit(building=self.parent)
        return kwargs

    def run(self, data):
        return services.create_unit(self.parent, by=self.request.user, **data)


class UnitUpdateView(_ServiceForm):
    model = Unit
    form_class = UnitForm
    editing = True
    title = _("Edit unit")

    def run(self, data):
        return services.update_unit(self.object, by=self.request.user, **data)


class LeaseCreateView(_UnderParent):
    model = Lease
    parent_model = Unit
    form_class = LeaseForm
    title = _("New lease")

    def park(self):
        return self.parent.building.area

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(unit=self.parent, instance=Lease(unit=self.parent))
        return kwargs

    def run(self, data):
        return services.create_lease(self.parent, by=self.request.user, **data)


class LeaseUpdateView(_ServiceForm):
    model = Lease
    form_class = LeaseForm
    editing = True
    title = _("Edit lease")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["unit"] = self.object.unit
        return kwargs

    def run(self, data):
        return services.update_lease(self.object, by=self.request.user, **data)


class RenovationCreateView(_UnderParent):
    model = Renovation
    parent_model = Building
    form_class = RenovationForm
    title = _("Track a renovation")

    def park(self):
        return self.parent.area

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(building=self.parent, instance=Renovation(building=self.parent))
        return kwargs

    def run(self, data):
        return services.create_renovation(self.parent, by=self.request.user, **data)


class RenovationUpdateView(_ServiceForm):
    model = Renovation
    form_class = RenovationForm
    editing = True
    title = _("Edit renovation")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["building"] = self.object.building
        return kwargs

    def run(self, data):
        return services.update_renovation(self.object, by=self.request.user, **data)


class MapView(LoginRequiredMixin, ReadsRequiredMixin, TemplateView):
    """The map of an area (`?area=`, else the switcher's): its shapes, enterprises, projects and vacant
    space (`maps.map_data`), drawn by ECharts from the page's own data, no tiles. Staff who keep records
    in the area upload its shapes here (`services.upload_shapes`)."""

    reads_model = Shape
    template_name = "space/map.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.area = reading_area(request)
        return super().dispatch(request, *args, **kwargs)

    def may_upload(self) -> bool:
        return self.area is not None and may_place(Shape, self.area, self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = maps.map_data(self.request.user, self.area)
        data["labels"] = maps.labels()
        context.update(
            area=self.area,
            data=data,
            counts={k: len(data[k]) for k in ("enterprises", "projects", "vacant", "appeals")},
            shapes=len(data["geojson"]["features"]),
            form=kwargs.get("form") or (ShapeUploadForm() if self.may_upload() else None),
            parks=areas_for_roles(self.request.user, STAFF_ROLES).exclude(kind="region").order_by("path"),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.may_upload():
            raise PermissionDenied
        form = ShapeUploadForm(request.POST, request.FILES)
        if form.is_valid():
            body = form.cleaned_data["file"].read(geo.MAX_BYTES + 1)
            try:
                shapes = services.upload_shapes(
                    self.area, body, by=request.user, crs=form.cleaned_data["crs"]
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(None, [f"{field}: {e}" for e in errors])
            else:
                messages.success(request, _("%(n)s shapes uploaded.") % {"n": len(shapes)})
                return redirect(f"{request.path}?area={self.area.pk}")
        return self.render_to_response(self.get_context_data(form=form))
