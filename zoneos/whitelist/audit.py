from zoneos.audit.registry import track

from .models import Entity, Item, Movement, WhitelistApplication

track(Entity, exclude=("updated_at",))
track(WhitelistApplication, exclude=("updated_at", "expiry_warned_on", "holding_warned_on"))
track(Item, exclude=("updated_at",))
track(Movement)
