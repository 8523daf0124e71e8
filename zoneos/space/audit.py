from zoneos.audit.registry import track

from .models import Building, Lease, Parcel, Renovation, Shape, Unit

track(Parcel, exclude=("updated_at",))
track(Building, exclude=("updated_at",))
track(Unit, exclude=("updated_at",))
track(Lease, exclude=("updated_at", "warned_on"))
track(Shape, exclude=("updated_at",))
track(Renovation, exclude=("updated_at",))
