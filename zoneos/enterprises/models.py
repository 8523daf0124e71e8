"""The enterprises of a zone.

This first cut holds what memberships need (an enterprise user belongs to one enterprise, which sits
in one area); the registry (USCC validation, industry codes, labels, yearly figures) grows from here.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zoneos.core.models import BilingualName


class Enterprise(BilingualName, models.Model):
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, null=True, blank=True
    )
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="enterprises"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def subtree_q(cls, path: str) -> Q:
        return Q(area__path__startswith=path)
