from auditlog.registry import auditlog

from .models import Enterprise

auditlog.register(Enterprise)
