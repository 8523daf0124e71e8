"""Who sees an import: the person who uploaded it (and superusers)."""

from django.db.models import Q


class ImportJobPolicy:
    """Who may import which kind is the kind's model's write roles (`services.may_import`)."""

    def grant(self, membership, action: str):
        return None

    def always(self, user, action: str):
        return Q(created_by_id=user.pk)
