from auditlog.registry import auditlog

from .models import Membership, User

# The password hash is masked: history shows that it changed, never what it is.
auditlog.register(User, exclude_fields=["last_login"], mask_fields=["password"])
auditlog.register(Membership)
