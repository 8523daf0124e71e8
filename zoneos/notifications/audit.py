from zoneos.audit.registry import track

from .models import Channel

# The secret itself never enters the history (masking would still show part of it); the time it
# changed does. Notifications are a delivery log, not business data: their state is not history.
track(Channel, exclude=("secret", "created_at"))
