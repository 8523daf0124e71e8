"""Which models keep history, and which of their fields.

Only a model's own columns are tracked (not reverse relations, not the id); derived columns are
left out, and secrets are masked so history shows that they changed, never their value.
"""

from auditlog.registry import auditlog


def track(
    model, *, exclude: tuple[str, ...] = (), mask: tuple[str, ...] = (), m2m: tuple[str, ...] = ()
) -> None:
    fields = [f.name for f in model._meta.concrete_fields if not f.primary_key and f.name not in exclude]
    auditlog.register(model, include_fields=fields, mask_fields=list(mask), m2m_fields=set(m2m))
