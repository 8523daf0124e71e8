from zoneos.audit.registry import track

from .models import Membership, User

track(User, exclude=("last_login",), mask=("password",))
track(Membership)
