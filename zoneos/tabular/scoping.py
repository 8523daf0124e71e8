"""Who sees an import: the person who uploaded it (and superusers)."""

from django.db.models import Q


class ImportJobPolicy:
    write_roles = frozenset({"admin", "park_staff", "statistician", "investment_officer"})

    def grant(self, membership, action: str):
        return None

    def always(self, user, action: str):
        return Q(created_by_id=user.pk)
