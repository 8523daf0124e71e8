from zoneos.audit.registry import track

from .models import ApiToken

# The hash is masked like a password; the minute-by-minute last use is not history.
track(ApiToken, exclude=("last_used_at",), mask=("hash",))
