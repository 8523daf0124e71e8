"""Two-factor sign-in (TOTP through django-otp, with static backup codes).

Who must use it: superusers and area admins (Role.ADMIN memberships) when ZONEOS_REQUIRE_2FA is on;
anyone else may. Whoever has a confirmed device is asked for a code at every sign-in.

The sign-in is in two steps. After the right password the user is *not* signed in: the session holds a
pending sign-in (user, when, where to go next) that only the code step (/login/code/) or, for a user who
must enrol, the enrolment page can complete. Every other page, and the API through the session, sees an
anonymous visitor. A session that is signed in but not verified (signed in before the requirement, by
an admin who was given the role since, or whose device was reset) is caught by `TwoFactorMiddleware`.

Wrong codes are counted like wrong passwords by zoneos.core.throttle, under the username prefixed with
`2fa:` (so five wrong codes lock the code step of that username, not its password step), on top of the
device's own growing delay (django-otp).
"""

from __future__ import annotations

import time
from base64 import b32encode
from binascii import unhexlify

from auditlog.models import LogEntry
from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.checks import Tags, Warning, register
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from zoneos.audit.context import acting
from zoneos.core import throttle
from zoneos.core.roles import CHANGE, Role

from .models import Membership, User
from .scoping import memberships, require

PENDING = "zoneos_2fa_pending"
ENROL_KEY = "zoneos_2fa_enrol_key"
THROTTLE_PREFIX = "2fa:"
# History of a user: the state of their second factor, under this name.
HISTORY_FIELD = "two_factor"  # shown as "Two-factor sign-in" (zoneos.accounts.audit)


# Who needs what.


def required_for(user) -> bool:
    """Must this user sign in with a second factor?"""
    if not settings.ZONEOS_REQUIRE_2FA or not user.is_authenticated:
        return False
    return user.is_superuser or Membership.objects.filter(user=user, role=Role.ADMIN).exists()


def has_device(user) -> bool:
    """A confirmed authenticator (the backup codes alone do not count: they come with one)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _status(user) -> tuple[bool, bool]:
    """(has a device, must have one): asked on every request of an unverified session. The user row is
    the one just loaded and the memberships are those every page reads anyway (`memberships()`), so
    this costs one small query, the device."""
    device = has_device(user)
    admin = any(m.role == Role.ADMIN for m in memberships(user))
    required = settings.ZONEOS_REQUIRE_2FA and (user.is_superuser or admin)
    return device, required


# Codes.


def throttle_key(username: str) -> str:
    return THROTTLE_PREFIX + username


def verify_code(user, token: str):
    """The device (authenticator or backup codes) that accepts `token`, or None."""
    token = "".join(str(token or "").split()).lower()
    if not token:
        return None
    # Six digits are the authenticator's; anything else can only be a backup code (eight letters and
    # digits), so a backup code never counts as a wrong code against the authenticator.
    model = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(token):
                return device
    return None


def device_waiting(user) -> int:
    """Seconds until the user's authenticator accepts codes again after wrong ones (django-otp's delay)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return 0
    allowed, details = device.verify_is_allowed()
    if allowed or not details or not details.get("locked_until"):
        return 0
    return max(1, int((details["locked_until"] - timezone.now()).total_seconds()) + 1)


def check_code(request, user, token: str):
    """Verify a code typed at sign-in, counting failures; the device, or ValidationError saying why."""
    address = throttle.client_address(request)
    key = throttle_key(user.get_username())
    if throttle.is_locked(key, address):
        raise ValidationError(throttle.locked_message(), code="throttled")
    device = verify_code(user, token)
    if device is None:
        throttle.record_failure(key, address)
        waiting = device_waiting(user)
        if waiting:
            raise ValidationError(
                _("That code is not right. Please wait %(seconds)d seconds before the next one.")
                % {"seconds": waiting},
                code="invalid",
            )
        raise ValidationError(_("That code is not right."), code="invalid")
    throttle.clear(key, address)
    return device


# The pending sign-in between the password and the code.


def start_pending(request, user, next_url: str) -> None:
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        # Set by authenticate(): the backend that accepted the password signs the user in.
        "backend": user.backend,
        "at": time.time(),
        "next": next_url,
    }


def pending_user(request):
    """The user who gave the right password and still owes a code, if that was recent enough."""
    data = request.session.get(PENDING)
    if not data:
        return None
    if time.time() - data.get("at", 0) > settings.ZONEOS_2FA_PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    if user is not None:
        user.backend = data.get("backend")
    return user


def pending_next(request) -> str:
    return (request.session.get(PENDING) or {}).get("next") or reverse(settings.LOGIN_REDIRECT_URL)


def finish_sign_in(request, user, device) -> str:
    """Sign the pending user in, verified by `device`; where to go next."""
    from django.contrib.auth import login

    next_url = pending_next(request)
    login(request, user, backend=user.backend)
    otp_login(request, device)
    request.session.pop(PENDING, None)
    request.session.pop(ENROL_KEY, None)
    return next_url


# Enrolment: the secret waits in the session until the user proves their app has it.


def enrolment_key(request) -> str:
    key = request.session.get(ENROL_KEY)
    if not key:
        key = default_key()
        request.session[ENROL_KEY] = key
    return key


def secret_text(key: str) -> str:
    """The secret as an authenticator app takes it typed in: base32, in groups of four."""
    text = b32encode(unhexlify(key)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def config_url(user, key: str) -> str:
    return TOTPDevice(user=user, key=key).config_url


def qr_svg(data: str) -> str:
    """An inline SVG of the QR code (no image request, nothing the CSP has to allow)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def _record(user, before: str, after: str, by) -> None:
    with acting(by):
        LogEntry.objects.log_create(
            user,
            action=LogEntry.Action.UPDATE,
            changes={HISTORY_FIELD: [before, after]},
        )


def _state(user) -> str:
    return "on" if has_device(user) else "off"


@transaction.atomic
def enrol(user, key: str, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator holding `key` with a code from it; a fresh set of backup codes.
    Replaces any device the user had. ValidationError on `token` if the code is wrong."""
    totp = TOTP(unhexlify(key), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    try:
        number = int("".join(str(token or "").split()))
    except ValueError:
        number = None
    if number is None or not totp.verify(number, tolerance=1):
        raise ValidationError({"token": _("That code is not right. Check the time on your phone.")})
    before = _state(user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name=_("Authenticator app"), key=key, confirmed=True, last_t=totp.t()
    )
    backup = StaticDevice.objects.create(user=user, name=_("Backup codes"), confirmed=True)
    codes = [StaticToken.random_token() for _i in range(settings.ZONEOS_BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=backup, token=code) for code in codes])
    _record(user, before, "on", by=user)
    return device, codes


@transaction.atomic
def remove(user, *, by) -> None:
    """Remove a user's authenticator and backup codes: by themselves, or by an admin who may change
    them (a lost phone). The next sign-in asks for no code, or, for those who must have one, enrols."""
    if by.pk != user.pk:
        require(user, by, CHANGE, _("You may not reset the two-factor sign-in of this user."))
    if not has_device(user) and not StaticDevice.objects.filter(user=user).exists():
        raise ValidationError({HISTORY_FIELD: _("This user has no two-factor sign-in to remove.")})
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _record(user, "on", "off", by=by)


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# Enforcement for sessions that are signed in.


def _allowed_while_unverified(path: str) -> bool:
    allowed = (
        reverse("accounts:two-factor-enrol"),
        reverse("logout"),
        reverse("set_language"),
        settings.STATIC_URL,
    )
    return path.startswith(allowed)


class TwoFactorMiddleware:
    """A signed-in session that owes a second factor reaches nothing until it is given.

    A user with a device whose session was not verified by it is signed out and sent to sign in
    again. A user who must have a device and has none may only enrol (and sign out); the API sees
    such a session as anonymous. Sessions verified by a device, and users who need none, pass at the
    cost of one query (none for verified ones).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return self.get_response(request)
        device, required = _status(user)
        if not device and not required:
            return self.get_response(request)
        api = request.path.startswith("/api/")
        if device:
            # Signed in without the code (or with a device since removed and re-enrolled elsewhere).
            logout(request)
            if api:
                return self.get_response(request)
            return redirect_to_login(request.get_full_path())
        if _allowed_while_unverified(request.path):
            return self.get_response(request)
        if api:
            request.user = AnonymousUser()
            return self.get_response(request)
        return redirect("accounts:two-factor-enrol")


# The admin's sign-in: password and code on one form, still throttled.


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Verification code"))
        kwargs.setdefault("max_length", 16)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
            ),
        )
        super().__init__(**kwargs)


def admin_form_class():
    from zoneos.core.throttle import ThrottledAdminAuthenticationForm

    class TwoFactorAdminAuthenticationForm(ThrottledAdminAuthenticationForm):
        """The throttled admin login with the second factor: whoever has a device gives its code
        (or a backup code) beside the password; whoever must have one and has none is refused and
        sent to /login/ to enrol."""

        otp_token = CodeField(
            required=False,
            help_text=gettext_lazy(
                "From your authenticator app, or one of your backup codes. "
                "Leave empty if you have not set up two-factor sign-in."
            ),
        )

        def clean(self):
            cleaned = super().clean()
            user = self.user_cache
            if user is None:
                return cleaned
            if has_device(user):
                user.otp_device = check_code(self.request, user, self.cleaned_data.get("otp_token", ""))
            elif required_for(user):
                raise ValidationError(
                    _("You must set up two-factor sign-in first: sign in at %(url)s and follow the steps.")
                    % {"url": reverse(settings.LOGIN_URL)},
                    code="enrol",
                )
            return cleaned

    return TwoFactorAdminAuthenticationForm


def admin_has_permission(original):
    """The admin site's permission check, refusing a session that owes a second factor."""

    def has_permission(request):
        if not original(request):
            return False
        user = request.user
        if user.is_verified():
            return True
        device, required = _status(user)
        return not device and not required

    return has_permission


@register(Tags.security, deploy=True)
def check_required(app_configs, **kwargs):
    if settings.ZONEOS_REQUIRE_2FA:
        return []
    return [
        Warning(
            "ZONEOS_REQUIRE_2FA is off: superusers and area admins can sign in with a password alone.",
            hint="Set ZONEOS_REQUIRE_2FA=true (the production default); see docs/security.md.",
            id="zoneos.W201",
        )
    ]
