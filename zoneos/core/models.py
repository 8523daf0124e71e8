"""Small pieces shared by the models of every app."""

from django.utils.translation import get_language


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
