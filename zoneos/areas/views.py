"""Pages of the area tree and departments (thin: they read through scope() and write through services)."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import scope
from zoneos.core.roles import VIEW
from zoneos.core.views import ScopedDetailView, ScopedListView, ServiceDeleteView, ServiceFormView

from . import services
from .filters import AreaFilter, DepartmentFilter
from .forms import AreaForm, DepartmentForm
from .models import Area, Department


class AreaListView(ScopedListView):
    model = Area
    filterset_class = AreaFilter
    template_name = "areas/area_list.html"
    partial_template_name = "areas/_area_table.html"

    def base_queryset(self):
        return (
            Area.objects.select_related("parent")
            .annotate(department_count=Count("departments"))
            .order_by("path")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = context["object_list"]
        base = min((a.depth for a in rows), default=0)
        for area in rows:
            area.indent = area.depth - base
        return context


class AreaDetailView(ScopedDetailView):
    model = Area
    template_name = "areas/area_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["breadcrumb"] = list(scope(self.object.ancestors(), user, VIEW))
        context["children"] = (
            scope(self.object.children.all(), user, VIEW)
            .annotate(department_count=Count("departments"))
            .order_by("path")
        )
        context["departments"] = scope(self.object.departments.all(), user, VIEW)
        return context


class AreaCreateView(ServiceFormView):
    model = Area
    form_class = AreaForm
    title = _("New area")
    list_url = "areas:list"

    def get_initial(self):
        return {"parent": self.request.GET.get("parent")}

    def perform(self, data):
        return services.create_area(by=self.request.user, **data)


class AreaUpdateView(ServiceFormView):
    model = Area
    form_class = AreaForm
    editing = True
    title = _("Edit area")
    list_url = "areas:list"

    def perform(self, data):
        return services.update_area(self.object, by=self.request.user, **data)


class AreaDeleteView(ServiceDeleteView):
    model = Area
    success_url_name = "areas:list"

    def perform(self, obj):
        services.delete_area(obj, by=self.request.user)


class DepartmentListView(ScopedListView):
    model = Department
    filterset_class = DepartmentFilter
    template_name = "areas/department_list.html"

    def base_queryset(self):
        return (
            Department.objects.select_related("area")
            .annotate(member_count=Count("memberships"))
            .order_by("area__path", "name")
        )


class DepartmentDetailView(ScopedDetailView):
    model = Department
    template_name = "areas/department_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = self.object.memberships.select_related("user")
        return context


class DepartmentCreateView(ServiceFormView):
    model = Department
    form_class = DepartmentForm
    title = _("New department")
    list_url = "areas:departments"

    def get_initial(self):
        return {"area": self.request.GET.get("area")}

    def perform(self, data):
        return services.create_department(by=self.request.user, **data)


class DepartmentUpdateView(ServiceFormView):
    model = Department
    form_class = DepartmentForm
    editing = True
    title = _("Edit department")
    list_url = "areas:departments"

    def perform(self, data):
        return services.update_department(self.object, by=self.request.user, **data)


class DepartmentDeleteView(ServiceDeleteView):
    model = Department
    success_url_name = "areas:departments"

    def perform(self, obj):
        services.delete_department(obj, by=self.request.user)
