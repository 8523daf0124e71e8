"""Key-project supervision's pages in the shell's menu, each for whoever reads the records it lists."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation, search

from .models import EvaluationScheme, KeyProject, SupervisionOrder

navigation.section("supervision", _("Supervision"), order=40)
for order, (url, label, icon, model) in enumerate(
    [
        ("supervision:summary", _("Key projects"), "speedometer2", KeyProject),
        ("supervision:plan", _("Annual plan"), "table", KeyProject),
        ("supervision:ranking", _("Evaluation ranking"), "trophy", EvaluationScheme),
        ("supervision:orders", _("Supervision orders"), "megaphone", SupervisionOrder),
    ],
    start=1,
):
    navigation.register(url, label, icon=icon, section="supervision", order=order * 10, model=model)

search.source(
    "key_project",
    _("Key projects"),
    icon="speedometer2",
    model=KeyProject,
    filter=lambda queryset, text: queryset.filter(name__icontains=text),
    title=lambda k: k.name,
    detail=lambda k: f"{k.year} · {k.area.label}",
    order=30,
    related=("area",),
    ordering=("-year", "name", "pk"),
)
