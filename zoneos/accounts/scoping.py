"""The one scoping function: what a user may see or change, derived from their memberships.

Every list, detail, export, dashboard and API endpoint narrows its queryset with
`scope(queryset, user, action)`. Deny by default: a model without a registered policy is invisible to
everyone but superusers, and a user without memberships sees nothing. Out-of-scope records are simply
absent, so views answer 404 and never reveal that a record exists elsewhere.

A policy turns one membership into a filter (a `Q`) on its model; the user's scope is the union over
their memberships. A record that hangs on an area says once how it reaches it (`area_path` on the
model); its `AreaBoundPolicy` and its subtree filter (`zoneos.areas.models.subtree_q`) both come from
that declaration, and its queryset chains `.scope(user, action)` and `.in_subtree(area)`.
A page or serializer that prefetches records with a scope of their own uses `ScopedPrefetch`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from zoneos.areas.models import AreaBoundQuerySet, subtree_q
from zoneos.core.roles import ALL_ROLES, CHANGE, VIEW, Role

NOTHING = Q(pk__in=[])


class NotAreaShaped(Exception):
    """What a user sees of a model is not a union of area subtrees (see `view_paths`)."""


@dataclass(frozen=True)
class AreaBoundPolicy:
    """Records that hang on an area: visible in the subtrees of the user's memberships.

    The way from the record to its area is the model's own `area_path`: `register()` binds the policy
    to its model (a `path_lookup` given here must say the same). Area and department memberships see
    the subtree of their area (a department's handlers see their department's area). Enterprise
    memberships see only records of their own enterprise, through `enterprise_lookup`.
    Writing needs one of `write_roles` on an area above the record.
    """

    path_lookup: str | None = None
    write_roles: frozenset[str] = frozenset({Role.ADMIN})
    read_roles: frozenset[str] = ALL_ROLES
    enterprise_lookup: str | None = None
    model: type[Model] | None = None

    def in_subtree(self, path: str) -> Q:
        return subtree_q(self.model, path)

    def view_path(self, membership) -> str | None:
        """The subtree (its path) whose records `membership` lets its user see; None for none.
        Raises `NotAreaShaped` when it lets them see records by something else (their enterprise)."""
        if membership.role not in self.read_roles:
            return None
        if membership.enterprise_id:
            if self.enterprise_lookup:
                raise NotAreaShaped
            return None
        return membership.scope_area.path

    def grant(self, membership, action: str) -> Q | None:
        if action == VIEW:
            if membership.enterprise_id and self.enterprise_lookup and membership.role in self.read_roles:
                return Q(**{self.enterprise_lookup: membership.enterprise_id})
            path = self.view_path(membership)
            return None if path is None else self.in_subtree(path)
        if membership.role in self.write_roles and membership.area_id:
            return self.in_subtree(membership.area.path)
        return None

    def always(self, user, action: str) -> Q | None:
        return None


@dataclass(frozen=True)
class AreaPolicy(AreaBoundPolicy):
    """Areas themselves: an enterprise user sees the area their enterprise sits in."""

    def grant(self, membership, action: str) -> Q | None:
        if action == VIEW and membership.enterprise_id:
            return Q(pk=membership.enterprise.area_id)
        return super().grant(membership, action)


@dataclass(frozen=True)
class UserPolicy:
    """Users are seen by the members of the areas they belong to (or were created in).

    An admin may change a user only when every membership of that user lies inside the admin's
    subtree: a park's admin cannot reset the password of someone who also works elsewhere.
    Everyone sees themselves.
    """

    write_roles: frozenset[str] = frozenset({Role.ADMIN})

    @staticmethod
    def _inside(path: str) -> Q:
        from .models import User

        return subtree_q(User, path)

    def grant(self, membership, action: str) -> Q | None:
        from .models import Membership

        if action == VIEW:
            if membership.enterprise_id:
                colleagues = Membership.objects.filter(enterprise_id=membership.enterprise_id)
                return Q(pk__in=colleagues.values("user_id"))
            return self._inside(membership.scope_area.path)
        if membership.role not in self.write_roles or not membership.area_id:
            return None
        path = membership.area.path
        outside = Membership.objects.exclude(membership_target_in_subtree(path)).values("user_id")
        home_inside = Q(home_area__isnull=True) | Q(home_area__path__startswith=path)
        return self._inside(path) & home_inside & ~Q(pk__in=outside) & Q(is_superuser=False)

    def always(self, user, action: str) -> Q | None:
        return Q(pk=user.pk) if action == VIEW else None


def membership_target_in_subtree(path: str) -> Q:
    from .models import Membership

    return subtree_q(Membership, path)


@dataclass(frozen=True)
class MembershipPolicy:
    """Memberships are seen where their target is seen; admins manage those inside their subtree."""

    write_roles: frozenset[str] = frozenset({Role.ADMIN})

    def grant(self, membership, action: str) -> Q | None:
        if action == VIEW:
            if membership.enterprise_id:
                return Q(enterprise_id=membership.enterprise_id)
            return membership_target_in_subtree(membership.scope_area.path)
        if membership.role in self.write_roles and membership.area_id:
            return membership_target_in_subtree(membership.area.path)
        return None

    def always(self, user, action: str) -> Q | None:
        return Q(user_id=user.pk) if action == VIEW else None


@dataclass
class _Registry:
    policies: dict[type[Model], object] = field(default_factory=dict)


_registry = _Registry()


def register(model: type[Model], policy) -> None:
    """Make `policy` the one that scopes `model`. An `AreaBoundPolicy` is bound to the model's
    `area_path` declaration; a path it states itself must be the declared one."""
    if isinstance(policy, AreaBoundPolicy):
        declared = getattr(model, "area_path", None)
        if declared is None:
            raise ImproperlyConfigured(f"{model.__name__} declares no area_path for its AreaBoundPolicy.")
        if policy.path_lookup is not None and policy.path_lookup != declared:
            raise ImproperlyConfigured(
                f"{model.__name__}: the policy says {policy.path_lookup!r}, the model {declared!r}."
            )
        policy = replace(policy, path_lookup=declared, model=model)
    _registry.policies[model] = policy


def policy_for(model: type[Model]):
    return _registry.policies.get(model)


def memberships(user) -> list:
    """The user's memberships, loaded once per user object (so once per request)."""
    cached = getattr(user, "_zoneos_memberships", None)
    if cached is None:
        from .models import Membership

        cached = list(
            Membership.objects.filter(user=user).select_related(
                "area", "department__area", "enterprise__area"
            )
        )
        user._zoneos_memberships = cached
    return cached


def scope(queryset: QuerySet, user, action: str = VIEW) -> QuerySet:
    """Narrow `queryset` to what `user` may `action` ("view" or "change")."""
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    policy = policy_for(queryset.model)
    if policy is None:
        return queryset.none()
    condition = NOTHING
    granted = False
    for membership in memberships(user):
        part = policy.grant(membership, action)
        if part is not None:
            condition |= part
            granted = True
    extra = policy.always(user, action)
    if extra is not None:
        condition |= extra
        granted = True
    if not granted:
        return queryset.none()
    return queryset.filter(condition)


def view_paths(user, model: type[Model]) -> list[str] | None:
    """The area subtrees (their paths) holding exactly the records of `model` that `user` may see,
    or None when that is not a union of subtrees: what a table kept per area (a rollup) may be read
    with for this user. Derived from the same policy as `scope`, so the two never disagree."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return [""]
    policy = policy_for(model)
    if policy is None:
        return []
    shaped = isinstance(policy, AreaBoundPolicy) and type(policy).grant is AreaBoundPolicy.grant
    if not shaped or policy.always(user, VIEW) is not None:
        return None
    try:
        found = {policy.view_path(m) for m in memberships(user)} - {None}
    except NotAreaShaped:
        return None
    return sorted(found)


# `Model.objects.filter(...).scope(user, action)` on every area-bound queryset calls the function above.
AreaBoundQuerySet.scoper = staticmethod(scope)


class ScopedPrefetch(Prefetch):
    """A `Prefetch` whose related rows are narrowed to what `user` may `action`: a page or serializer
    that prefetches records with a scope of their own shows only those (NetBox's RestrictedPrefetch).

        KeyProject.objects.scope(user).prefetch_related(ScopedPrefetch("orders", Order.objects.all(), user))
    """

    def __init__(self, lookup: str, queryset: QuerySet, user, action: str = VIEW, to_attr: str | None = None):
        super().__init__(lookup, scope(queryset, user, action), to_attr)


def roles(user) -> set[str]:
    return {m.role for m in memberships(user)} if user.is_authenticated else set()


def may_write(user, model: type[Model]) -> bool:
    """Whether the user holds any role that could change records of `model` somewhere."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    policy = policy_for(model)
    write_roles = getattr(policy, "write_roles", frozenset())
    return any(m.role in write_roles and m.area_id for m in memberships(user))


def in_scope(instance: Model, user, action: str = VIEW) -> bool:
    model = type(instance)
    return scope(model._default_manager.filter(pk=instance.pk), user, action).exists()


def require(instance: Model, user, action: str = CHANGE, message: str | None = None) -> None:
    """Raise PermissionDenied unless `user` may `action` `instance`."""
    if not in_scope(instance, user, action):
        raise PermissionDenied(message or _("You may not change this record."))


def may_place(model: type[Model], area, user) -> bool:
    """Whether `user` may keep a record of `model` in `area` (a write role on the area or above it)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    write_roles = getattr(policy_for(model), "write_roles", frozenset())
    return any(
        m.role in write_roles and m.area_id and area.path.startswith(m.area.path) for m in memberships(user)
    )


def placeable_areas(model: type[Model], user) -> QuerySet:
    """The areas in which `user` may keep records of `model`."""
    from zoneos.areas.models import Area

    if not user.is_authenticated or not user.is_active:
        return Area.objects.none()
    if user.is_superuser:
        return Area.objects.all()
    write_roles = getattr(policy_for(model), "write_roles", frozenset())
    condition = NOTHING
    for m in memberships(user):
        if m.role in write_roles and m.area_id:
            condition |= subtree_q(Area, m.area)
    return Area.objects.filter(condition)


def require_placement(model: type[Model], area, user, message: str | None = None) -> None:
    if not may_place(model, area, user):
        raise PermissionDenied(message or _("You may not keep records in %(area)s.") % {"area": area})


def areas_for_roles(user, roles) -> QuerySet:
    """The areas at or below the user's memberships that hold one of `roles` (superusers: all): where
    a module's aggregate figures (statistics, supervision) may be read."""
    from zoneos.areas.models import Area

    if not user.is_authenticated or not user.is_active:
        return Area.objects.none()
    if user.is_superuser:
        return Area.objects.all()
    condition = NOTHING
    for m in memberships(user):
        if m.role in roles and not m.enterprise_id:
            condition |= subtree_q(Area, m.scope_area)
    return Area.objects.filter(condition)


def visible_areas(user) -> QuerySet:
    from zoneos.areas.models import Area

    return scope(Area.objects.all(), user, VIEW)


def membership_roots(user) -> Iterable:
    """The top areas of the user's reach (superusers: the tree's roots)."""
    from zoneos.areas.models import Area

    if user.is_superuser:
        return list(Area.objects.filter(parent__isnull=True))
    roots: dict[int, Area] = {}
    for m in memberships(user):
        area = m.scope_area if not m.enterprise_id else m.enterprise.area
        roots[area.pk] = area
    # Drop roots that lie inside another root.
    ordered = sorted(roots.values(), key=lambda a: a.depth)
    kept: list = []
    for area in ordered:
        if not any(area.is_within(k) for k in kept):
            kept.append(area)
    return kept


def _register_defaults() -> None:
    from zoneos.areas.models import Area, Department

    from .models import Membership, User

    register(Area, AreaPolicy())
    register(Department, AreaBoundPolicy())
    register(User, UserPolicy())
    register(Membership, MembershipPolicy())


_register_defaults()
