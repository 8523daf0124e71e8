from zoneos.audit.registry import track

from .models import (
    EvaluationScheme,
    KeyProject,
    MonthLock,
    Report,
    SigningTarget,
    StatusRule,
    SupervisionOrder,
)

track(KeyProject, exclude=("updated_at",))
track(Report, exclude=("updated_at",))
track(MonthLock, exclude=("locked_at",))
track(StatusRule)
track(EvaluationScheme, exclude=("updated_at",))
track(SigningTarget)
track(SupervisionOrder, exclude=("created_at",))
