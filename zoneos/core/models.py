"""Small pieces shared by the models of every app."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualName:
    """A record with `name` (Chinese, authoritative) and `name_en`, shown by the active language."""

    name: str
    name_en: str

    def display_name(self, language: str | None = None) -> str:
        language = language or get_language() or ""
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name

    @property
    def label(self) -> str:
        return self.display_name()


class IndustryLevel(models.TextChoices):
    SECTION = "section", _("Section")
    DIVISION = "division", _("Division")
    GROUP = "group", _("Group")
    CLASS = "class", _("Class")


class Industry(BilingualName, models.Model):
    """One code of the national economic industry classification, in a named edition.

    The table is reference data loaded by a data migration from `zoneos/core/data/`, so a new edition
    (or an amendment) is added beside the old one and records keep the edition they were coded in.
    """

    edition = models.CharField(_("edition"), max_length=32)
    code = models.CharField(_("code"), max_length=4)
    level = models.CharField(_("level"), max_length=8, choices=IndustryLevel.choices)
    parent_code = models.CharField(_("parent code"), max_length=4, blank=True)
    section = models.CharField(_("section"), max_length=1)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    class Meta:
        ordering = ["edition", "code"]
        verbose_name = _("industry code")
        verbose_name_plural = _("industry codes")
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="industry_edition_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class FractionField(models.DecimalField):
    """A ratio stored as a fraction from 0 to 1 with four decimals (0.3500 is 35 %), the API's unit of
    every ratio. Declaring a column with it is the one place that says it is a share: its form field
    takes per cent (`money.PercentField`), pages show it with `money.share` ("35 %") and the history
    shows its before and after the same way (`is_fraction`)."""

    fraction = True

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault("decimal_places", 4)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        from zoneos.core.money import PercentField

        # The model's help text speaks of fractions (the API's unit); the form takes per cent.
        return super().formfield(**{"form_class": PercentField, "help_text": "", **kwargs})


def is_fraction(field) -> bool:
    """Whether a model field (or None) holds a share as a fraction (a `FractionField`)."""
    return getattr(field, "fraction", False) is True
