from django import forms
from django.utils.translation import gettext_lazy as _

from zoneos.core.forms import CHANGE, VIEW, ScopedModelForm

from .models import Membership, User


class UserCreateForm(ScopedModelForm):
    scoped_fields = {"home_area": CHANGE}
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(render_value=False), strip=False
    )

    class Meta:
        model = User
        fields = ["username", "display_name", "email", "password", "home_area"]

    def _post_clean(self):
        pass


class UserUpdateForm(ScopedModelForm):
    scoped_fields = {"home_area": CHANGE}
    password = forms.CharField(
        label=_("New password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the current password."),
    )

    class Meta:
        model = User
        fields = ["display_name", "email", "home_area", "is_active", "password"]

    def _post_clean(self):
        pass


class MembershipForm(ScopedModelForm):
    scoped_fields = {"user": VIEW, "area": CHANGE, "department": CHANGE, "enterprise": CHANGE}

    class Meta:
        model = Membership
        fields = ["user", "role", "area", "department", "enterprise", "is_head"]
        help_texts = {
            "area": _("For every role except department handler and enterprise user."),
            "department": _("For department handlers."),
            "enterprise": _("For enterprise users."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].label_from_instance = lambda a: "\u2003" * a.depth + a.label

    def _post_clean(self):
        pass
