"""Form pages opened from another record's page: a service received from its talent's (or team's)
page, an investment from its fund's, an exit from its investment's. The parent comes from the URL
through the scope (404 out of reach) and must be one the user may change (403 otherwise, as the API
answers a write it refuses); the form's record goes to the service with its parent, and Cancel leads
back to the parent's page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from zoneos.accounts.scoping import in_scope, scope
from zoneos.core.roles import CHANGE, VIEW
from zoneos.core.views import ServiceFormView


class ChildFormView(ServiceFormView):
    parent_model = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            parents = scope(self.parent_model._default_manager.all(), request.user, VIEW)
            self.parent = parents.filter(pk=kwargs["pk"]).first()
            if self.parent is None:
                raise Http404
            if not in_scope(self.parent, request.user, CHANGE):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.parent  # named under the title: what the new record is of
        return context

    def cancel_url(self) -> str:
        return self.parent.get_absolute_url()
