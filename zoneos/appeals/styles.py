"""Bootstrap classes on the widgets of the service desk's forms (the submit form, the step forms the
workflow table makes, symposia, visits), so templates render fields as they are."""

from __future__ import annotations

from django import forms

WIDGET_CLASSES = {"select": "form-select", "checkbox": "form-check-input", "radioselect": "form-check-input"}


class Styled:
    """Bootstrap classes on every widget, and `is-invalid` on a field once it has an error."""

    def _style(self) -> None:
        for field in self.fields.values():
            kind = field.widget.__class__.__name__.lower()
            css = WIDGET_CLASSES.get(kind, "form-control")
            field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields and "is-invalid" not in self.fields[name].widget.attrs["class"]:
                self.fields[name].widget.attrs["class"] += " is-invalid"


class StyledForm(Styled, forms.Form):
    """The base of the appeal's step forms."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
