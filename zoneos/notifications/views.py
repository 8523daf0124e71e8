"""The inbox pages: one's notifications (all or unread), marking them read (one, or all at once), the
link to the record, and one's choice of e-mail per event. A user only ever reaches their own."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, ListView

from . import inbox
from .models import Event


class InboxView(LoginRequiredMixin, ListView):
    template_name = "notifications/inbox.html"
    paginate_by = 50
    context_object_name = "items"

    def get_queryset(self):
        items = inbox.of(self.request.user).select_related("area")
        if self.request.GET.get("unread"):
            items = items.filter(read_at__isnull=True)
        return items

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            unread_only=bool(self.request.GET.get("unread")),
            querystring="unread=1" if self.request.GET.get("unread") else "",
        )
        return context


class ReadView(LoginRequiredMixin, View):
    """POST marks one read; GET (the link in the list) marks it read and opens its record."""

    def get(self, request, pk):
        item = get_object_or_404(inbox.of(request.user), pk=pk)
        inbox.mark_read(item, by=request.user)
        if item.url and url_has_allowed_host_and_scheme(item.url, allowed_hosts={request.get_host()}):
            return redirect(item.url)
        return redirect("notifications:inbox")

    def post(self, request, pk):
        item = get_object_or_404(inbox.of(request.user), pk=pk)
        inbox.mark_read(item, by=request.user)
        return redirect(_back(request))


class ReadAllView(LoginRequiredMixin, View):
    def post(self, request):
        n = inbox.mark_all_read(by=request.user)
        if n:
            messages.success(request, _("All notifications are marked read."))
        return redirect(_back(request))


def _back(request) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "notifications:inbox"


class PreferencesForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Event.choices:
            self.fields[value] = forms.BooleanField(
                label=label, required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
            )


class PreferencesView(LoginRequiredMixin, FormView):
    template_name = "notifications/preferences.html"
    form_class = PreferencesForm

    def get_initial(self):
        return inbox.preferences(self.request.user)

    def form_valid(self, form):
        inbox.set_preferences(self.request.user, {e: form.cleaned_data[e] for e in Event.values})
        messages.success(self.request, _("Your notification preferences are saved."))
        return redirect("notifications:preferences")
