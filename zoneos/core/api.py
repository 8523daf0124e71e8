"""The API base every module builds on: pagination, the error shape, scoped viewsets and fields.

The API conventions: lists are paginated; validation errors are 400 `{field: [messages]}`; a
forbidden transition or a delete that other records block is 409 `{detail}`; out of scope is 404.
Viewsets read through `scope()` and write through services; they never save on their own.

A serializer says what it reads beyond its own row, and the viewset loads it with the page instead of
one query per row (`related_lookups`): a dotted `source` through foreign keys ("area.label") and a
nested serializer are found from the fields; what a method field reads is declared in its Meta:

    class Meta:
        select_related = ["project__area"]
        prefetch_related = ["figures", Prefetch(...)]
        scoped_prefetch = ["appeals"]  # related records with a scope of their own: the caller's only
        annotate = {"locked_month": KeyProject.latest_lock_month}  # a name and an expression (or a callable)
"""

from __future__ import annotations

import functools

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch
from django.db.models.query import ModelIterable
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zoneos.accounts.scoping import ScopedPrefetch, may_write, scope
from zoneos.audit.history import as_row, entries_for
from zoneos.core.filters import MAX_ID, as_id
from zoneos.core.rest import Pagination
from zoneos.core.roles import VIEW


def area_param(request, areas, *, required: bool = False):
    """`?area=<id>` among `areas` (the caller's reach): a 400 naming `area` for a value that is not an
    id (or a missing one when required), 404 for an area out of reach, None when optional and absent."""
    from django.http import Http404
    from django.utils.translation import gettext as _
    from rest_framework.exceptions import ValidationError

    raw = request.query_params.get("area", "")
    if not raw and not required:
        return None
    area_id = as_id(raw)
    if area_id is None:
        raise ValidationError({"area": [_("Give the id of an area.")]})
    area = areas.filter(pk=area_id).first()
    if area is None:
        raise Http404
    return area


def _relation_path(model, source: str) -> tuple[list[str], bool, object]:
    """The relations a dotted `source` walks from `model`: their names, whether any is to-many, and the
    model it ends on."""
    names, many = [], False
    for part in source.split("."):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            break
        if not field.is_relation or field.related_model is None:
            break
        names.append(part)
        many = many or field.many_to_many or field.one_to_many
        model = field.related_model
    return names, many, model


@functools.cache
def related_lookups(serializer_class, model, prefix: str = "", many: bool = False) -> tuple[list, list, dict]:
    """(select_related, prefetch_related, annotate) that `serializer_class` needs over rows of `model`,
    from its fields (dotted sources, nested serializers, many related ids) and its Meta declarations,
    nested serializers included. Reached through a to-many relation, everything is prefetched."""
    meta = getattr(serializer_class, "Meta", None)
    selects: list[str] = []
    prefetches: list = []
    annotate = dict(getattr(meta, "annotate", {})) if not prefix else {}

    def add(path: str, through_many: bool) -> None:
        (prefetches if through_many else selects).append(path)

    for lookup in getattr(meta, "scoped_prefetch", ()) if not prefix else ():
        related = _relation_path(model, lookup.replace("__", "."))[2]
        prefetches.append(("scoped", lookup, related))
    for path in getattr(meta, "select_related", ()):
        add(prefix + path, many)
    for lookup in getattr(meta, "prefetch_related", ()):
        if isinstance(lookup, Prefetch):
            prefetches.append(Prefetch(prefix + lookup.prefetch_through, lookup.queryset, lookup.to_attr))
        else:
            prefetches.append(prefix + lookup)
    for name, field in serializer_class().fields.items():
        source = field.source or name
        if source == "*" or getattr(field, "write_only", False):
            continue
        nested = getattr(field, "child", None) if isinstance(field, serializers.ListSerializer) else field
        relations, to_many, target = _relation_path(model, source)
        if isinstance(field, serializers.ManyRelatedField):
            to_many = True
        elif isinstance(field, serializers.PrimaryKeyRelatedField) and len(relations) == 1 and not to_many:
            continue  # the id is on the row itself
        if not relations:
            continue
        path = prefix + "__".join(relations)
        add(path, many or to_many)
        if isinstance(nested, serializers.ModelSerializer):
            inner = related_lookups(type(nested), target, path + "__", many or to_many)
            selects += inner[0]
            prefetches += inner[1]
    return tuple(selects), tuple(prefetches), annotate


def load_related(queryset, serializer_class, user=None):
    """`queryset` with what `serializer_class` reads loaded along (see `related_lookups`); related
    records declared in `Meta.scoped_prefetch` are narrowed to what `user` may see."""
    if queryset._iterable_class is not ModelIterable or serializer_class is None:
        return queryset
    selects, prefetches, annotate = related_lookups(serializer_class, queryset.model)
    prefetches = [
        ScopedPrefetch(p[1], p[2]._default_manager.all(), user) if isinstance(p, tuple) else p
        for p in prefetches
    ]
    selects = list(selects)
    seen = {(p.prefetch_to if isinstance(p, Prefetch) else p) for p in queryset._prefetch_related_lookups}
    # A lookup whose leading part is already prefetched with its own queryset would clash with it.
    custom = {p.prefetch_to for p in queryset._prefetch_related_lookups if isinstance(p, Prefetch)}
    fresh = []
    for p in prefetches:
        to = p.prefetch_to if isinstance(p, Prefetch) else p
        if to in seen or any(to.startswith(c + "__") for c in custom):
            continue
        seen.add(to)
        fresh.append(p)
    if selects:
        queryset = queryset.select_related(*dict.fromkeys(selects))
    if fresh:
        queryset = queryset.prefetch_related(*fresh)
    if annotate:
        queryset = queryset.annotate(**{k: v() if callable(v) else v for k, v in annotate.items()})
    return queryset


class CodeRelatedField(serializers.SlugRelatedField):
    """A related record named by its code. A value that cannot be a code (not text, or holding a NUL
    character, which PostgreSQL refuses in any query) is refused before the lookup."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key written as the other record's id, resolvable only within the user's scope.

    An id outside the scope reads as "does not exist", exactly like an id that does not exist.
    """

    def to_internal_value(self, data):
        if isinstance(data, int | str) and str(data).lstrip("-").isdigit() and not 0 < int(data) <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is None:
            return queryset.none()
        return scope(queryset, request.user, VIEW)


class WriteRolePermission(permissions.BasePermission):
    """Reads need a login; writes need a role that may write this resource somewhere.

    Whether the write is allowed on this particular record (or under this parent) is checked by the
    service, inside its transaction.
    """

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return may_write(request.user, view.queryset.model)


HISTORY_ROW = inline_serializer(
    name="HistoryEntry",
    fields={
        "at": serializers.DateTimeField(),
        "user": serializers.CharField(allow_null=True),
        "action": serializers.ChoiceField(choices=["create", "update", "delete"]),
        "changes": serializers.DictField(
            child=serializers.ListField(child=serializers.JSONField(), min_length=2, max_length=2),
            help_text=(
                "Each field changed, as `[before, after]`. A many-to-many field lists what changed, not "
                'the whole set: `[null, ["A", "B"]]` is A and B added, `[["A"], null]` is A removed.'
            ),
        ),
    },
    many=True,
)

HISTORY_PAGE = inline_serializer(
    name="PaginatedHistoryEntryList",
    fields={
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": HISTORY_ROW,
    },
)


class ScopedViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """CRUD over `scope()`, with writes delegated to the service functions a subclass names.

    Subclasses set `queryset` (unscoped; this class scopes it), `serializer_class`, and implement
    `create_record(data)`, `update_record(instance, data)` and `delete_record(instance)`.
    """

    permission_classes = [WriteRolePermission]
    # Ids beyond what a database integer holds are simply not found (404), never a database error.
    lookup_value_regex = r"[0-9]{1,18}"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        queryset = scope(super().get_queryset(), self.request.user, VIEW)
        return load_related(queryset, self.get_serializer_class(), self.request.user)

    # Writes --------------------------------------------------------------------------------------
    def create_record(self, data: dict):
        raise NotImplementedError

    def update_record(self, instance, data: dict):
        raise NotImplementedError

    def delete_record(self, instance) -> None:
        raise NotImplementedError

    def _read_back(self, instance) -> Response:
        # Answer with the record as a GET would show it.
        instance = self.get_queryset().get(pk=instance.pk)
        return self.get_serializer(instance).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.create_record(serializer.validated_data)
        return Response(self._read_back(instance), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        instance = self.update_record(instance, serializer.validated_data)
        return Response(self._read_back(instance))

    def destroy(self, request, *args, **kwargs):
        self.delete_record(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    # History -------------------------------------------------------------------------------------
    @extend_schema(
        summary="History of the record",
        description=(
            "Every change with its author: `changes` maps a field to `[before, after]` (a many-to-many "
            'field to the names removed and added: `[null, ["A"]]` is A added).'
        ),
        responses={200: OpenApiResponse(HISTORY_PAGE)},
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=Pagination, filter_backends=[])
    def history(self, request, pk=None):
        instance = self.get_object()
        entries = entries_for(instance)
        page = self.paginate_queryset(entries)
        return self.get_paginated_response([as_row(e) for e in page])
