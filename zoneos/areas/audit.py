from zoneos.audit.registry import track

from .models import Area, Department

# path and depth follow from parent; history records the parent change itself.
track(Area, exclude=("path", "depth"))
track(Department)
