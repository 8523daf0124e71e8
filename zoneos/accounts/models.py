"""Users and their memberships.

A membership gives a user one role on one area (and so its subtree), one department, or one
enterprise. Everything a user may see or change follows from their memberships through
zoneos.accounts.scoping.scope; nothing else grants access.
"""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zoneos.areas.models import AreaBoundQuerySet
from zoneos.core.roles import DEPARTMENT_ROLES, ENTERPRISE_ROLES, Role


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    # Where the user was created: keeps a new user visible to the admins of that area before they
    # receive any membership.
    home_area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("home area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def label(self) -> str:
        return str(self)

    def get_absolute_url(self) -> str:
        return reverse("accounts:user", args=[self.pk])

    @classmethod
    def subtree_q(cls, path: str) -> Q:
        """Users who belong to (or were created in) the subtree at `path`."""
        members = Membership.objects.in_subtree(path).values("user_id")
        return Q(home_area__path__startswith=path) | Q(pk__in=members)


class Membership(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    department = models.ForeignKey(
        "areas.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    # A department's heads are the second step of appeal escalation.
    is_head = models.BooleanField(_("head of department"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # A membership lies where its area, department or enterprise lies.
    area_path = ("area__path", "department__area__path", "enterprise__area__path")
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["user__username", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_has_exactly_one_target",
                condition=(
                    Q(area__isnull=False, department__isnull=True, enterprise__isnull=True)
                    | Q(area__isnull=True, department__isnull=False, enterprise__isnull=True)
                    | Q(area__isnull=True, department__isnull=True, enterprise__isnull=False)
                ),
            ),
            *[
                models.UniqueConstraint(
                    fields=["user", "role", target],
                    condition=Q(**{f"{target}__isnull": False}),
                    name=f"membership_unique_per_{target}",
                )
                for target in ("area", "department", "enterprise")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.target}"

    def get_absolute_url(self) -> str:
        return reverse("accounts:membership", args=[self.pk])

    @property
    def target(self):
        return self.area or self.department or self.enterprise

    @property
    def target_label(self) -> str:
        """The target as people name it: a department with its area (many zones have a service centre)."""
        if self.department_id:
            return f"{self.department.label} · {self.department.area.label}"
        return self.target.label

    @property
    def scope_area(self):
        """The area whose subtree this membership reaches."""
        if self.area_id:
            return self.area
        if self.department_id:
            return self.department.area
        return self.enterprise.area

    def clean(self) -> None:
        targets = [f for f in ("area", "department", "enterprise") if getattr(self, f"{f}_id")]
        if self.role in DEPARTMENT_ROLES:
            expected = "department"
        elif self.role in ENTERPRISE_ROLES:
            expected = "enterprise"
        else:
            expected = "area"
        errors = {}
        if targets != [expected]:
            errors[expected] = _("A %(role)s membership needs a %(target)s, and only that.") % {
                "role": Role(self.role).label if self.role in Role.values else self.role,
                "target": self._meta.get_field(expected).verbose_name,
            }
            for other in targets:
                if other != expected:
                    errors[other] = _("Not allowed for this role.")
        elif self.role == Role.PARK_STAFF and self.area.kind != "park":
            errors["area"] = _("Park staff belong to a park.")
        if self.is_head and self.role not in DEPARTMENT_ROLES:
            errors["is_head"] = _("Only department handlers can be heads of a department.")
        if errors:
            raise ValidationError(errors)
