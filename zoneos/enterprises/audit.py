from zoneos.audit.registry import track

from .models import Enterprise, Indicator, Label, YearLock

# Search keys and derived classes follow from other columns; history shows the columns people set.
track(
    Enterprise,
    exclude=(
        "name_pinyin",
        "name_initials",
        "business_scope_pinyin",
        "industry_section",
        "size_class",
        "updated_at",
    ),
    m2m=("emerging_industries",),
)
track(Label)
track(Indicator, exclude=("above_designated_size", "size_class", "updated_at"))
track(YearLock, exclude=("locked_at",))
