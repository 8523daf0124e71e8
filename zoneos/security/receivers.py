"""Sign-ins, failed sign-ins and sign-outs, from Django's auth signals: the same events whichever way
the user signs in (/login/, /admin/login/, a two-factor step that ends in `login()`)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import events
from .models import EventKind


@receiver(user_logged_in, dispatch_uid="zoneos.security.signed_in")
def signed_in(sender, request, user, **kwargs):
    events.record(EventKind.SIGN_IN, request, user=user)


@receiver(user_logged_out, dispatch_uid="zoneos.security.signed_out")
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        events.record(EventKind.SIGN_OUT, request, user=user)


@receiver(user_login_failed, dispatch_uid="zoneos.security.sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    field = get_user_model().USERNAME_FIELD
    username = str(credentials.get(field) or credentials.get("username") or "")
    events.record(EventKind.SIGN_IN_FAILED, request, user=events.user_named(username), username=username)
