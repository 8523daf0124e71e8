from zoneos.core.forms import CHANGE, ScopedModelForm

from .models import Area, Department, subtree_q


class AreaForm(ScopedModelForm):
    scoped_fields = {"parent": CHANGE}

    class Meta:
        model = Area
        fields = ["code", "name", "name_en", "kind", "parent", "aliases"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(kind="park")
        if self.instance.pk:
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(
                subtree_q(Area, self.instance)
            )
        self.fields["parent"].label_from_instance = lambda a: "\u2003" * a.depth + a.label

    def _post_clean(self):
        # Placement, uniqueness and permissions are checked by the service, with field names.
        pass


class DepartmentForm(ScopedModelForm):
    scoped_fields = {"area": CHANGE}

    class Meta:
        model = Department
        fields = ["area", "name", "name_en"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].label_from_instance = lambda a: "\u2003" * a.depth + a.label

    def _post_clean(self):
        pass
