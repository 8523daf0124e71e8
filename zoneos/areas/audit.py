from auditlog.registry import auditlog

from .models import Area, Department

# path and depth follow from parent; history records the parent change itself.
auditlog.register(Area, exclude_fields=["path", "depth"])
auditlog.register(Department)
