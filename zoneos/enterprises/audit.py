from zoneos.audit.registry import track

from .models import Enterprise

track(Enterprise)
