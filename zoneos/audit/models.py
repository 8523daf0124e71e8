"""What the audit app adds to other apps' models."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RevisionBase(models.Model):
    """A change to closed figures (a locked year, a locked month): who, when, why, and what changed
    (`{field: [before, after]}`). Each module adds the foreign key to what was revised."""

    reason = models.CharField(_("reason"), max_length=500)
    changes = models.JSONField(_("changes"), default=dict)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-at"]
