"""Tokens issued before ApiToken (DRF's authtoken table, plain keys) keep working: each key is
copied as its sha256, then the plain keys are deleted.

rest_framework.authtoken is no longer installed, so its table is read with SQL when it exists
(databases created before this change); a new database has none and there is nothing to do.
The emptied table stays behind (with authtoken's rows in django_migrations) so that reinstalling
the app would find what its migrations expect; it can be dropped by hand.
"""

import hashlib
from datetime import UTC, datetime

from django.db import migrations
from django.utils import timezone
from django.utils.dateparse import parse_datetime

LEGACY_TABLE = "authtoken_token"


def _aware(value):
    if isinstance(value, str):
        value = parse_datetime(value)
    if not isinstance(value, datetime):
        return timezone.now()
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)


def hash_legacy_keys(apps, schema_editor):
    connection = schema_editor.connection
    if LEGACY_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    with connection.cursor() as cursor:
        # Literal SQL (SQLite and PostgreSQL both quote identifiers with double quotes).
        cursor.execute('SELECT "key", user_id, created FROM authtoken_token')
        rows = cursor.fetchall()
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=user_id,
            key_hash=hashlib.sha256(key.encode()).hexdigest(),
            prefix=key[:8],
            created_at=_aware(created),
        )
        for key, user_id, created in rows
    )
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM authtoken_token")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_apitoken'),
    ]

    # Not reversible into plain keys (only hashes are kept): going back leaves issued tokens
    # in ApiToken, which 0003's reversal drops; users then sign in for a new one.
    operations = [
        migrations.RunPython(hash_legacy_keys, migrations.RunPython.noop),
    ]
