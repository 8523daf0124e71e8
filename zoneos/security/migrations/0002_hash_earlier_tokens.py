"""The keys of DRF's earlier tokens (`authtoken_token`, stored in clear) become hashed API tokens, so
the clients that hold them keep working, and the table with the clear keys is dropped.

A database that never had DRF's tokens has nothing to do. Each earlier key keeps its value (40
hexadecimal characters, as new secrets have); it is named "Earlier token" and expires
ZONEOS_API_TOKEN_DAYS days after this migration (90 by default), so its holder replaces it in time.
Django's record of the authtoken migrations is removed with the table, so re-installing
`rest_framework.authtoken` would create it afresh. Not reversible: the clear keys are gone.
"""

import datetime
import hashlib

from django.conf import settings
from django.db import migrations
from django.utils import timezone
from django.utils.dateparse import parse_datetime

TABLE = "authtoken_token"


def _moment(value):
    """A creation time as a raw cursor gives it: a datetime (naive in UTC on SQLite) or text."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.UTC)
    return value


def hash_earlier_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("security", "ApiToken")
    now = timezone.now()
    expires = now + datetime.timedelta(days=getattr(settings, "ZONEOS_API_TOKEN_DAYS", 90))
    quote = schema_editor.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote('key')}, {quote('user_id')}, {quote('created')} FROM {quote(TABLE)}")
        rows = cursor.fetchall()
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=user_id,
            name="Earlier token",
            prefix=key[:8],
            hash=hashlib.sha256(key.encode()).hexdigest(),
            created_at=_moment(created) or now,
            expires_at=expires,
        )
        for key, user_id, created in rows
    )
    schema_editor.execute(f"DROP TABLE {quote(TABLE)}")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


class Migration(migrations.Migration):
    dependencies = [("security", "0001_initial")]

    operations = [migrations.RunPython(hash_earlier_tokens, migrations.RunPython.noop, elidable=True)]
