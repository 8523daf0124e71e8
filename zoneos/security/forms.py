"""The form that creates an API token on the tokens page."""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Where the token is used, e.g. “Open311 client of the service hotline”."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        help_text=_("The token stops working at the end of this day."),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["expires_on"].initial = today + datetime.timedelta(days=settings.ZONEOS_API_TOKEN_DAYS)
        latest = today + datetime.timedelta(days=settings.ZONEOS_API_TOKEN_MAX_DAYS - 1)
        self.fields["expires_on"].widget.attrs.update(min=today.isoformat(), max=latest.isoformat())

    def expires_at(self) -> datetime.datetime:
        """The last second of the chosen day in the platform's time zone."""
        day = self.cleaned_data["expires_on"]
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))
