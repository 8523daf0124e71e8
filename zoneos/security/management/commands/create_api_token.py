"""Create an API token for a user and print its secret once (for integration accounts that never
sign in to the pages); the token is stored hashed like every other."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zoneos.security.services import create_token


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print its secret (shown this once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Created on the command line")
        parser.add_argument("--days", type=int, help="days until it expires (default ZONEOS_API_TOKEN_DAYS)")

    def handle(self, *args, username, name, days, **options):
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        expires_at = timezone.now() + datetime.timedelta(days=days) if days else None
        try:
            token, secret = create_token(by=user, name=name, expires_at=expires_at)
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        self.stdout.write(secret)
        self.stderr.write(
            f"Token {token.prefix}… for {username}, valid until {token.expires_at:%Y-%m-%d %H:%M}."
        )
