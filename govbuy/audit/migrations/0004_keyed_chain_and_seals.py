"""The chain becomes keyed (scheme 2: HMAC under GOVBUY_AUDIT_CHAIN_KEY), bid events can be sealed
until the opening, and SQLite refuses changes to events and checkpoints as PostgreSQL does.

Events already written keep their plain sha256 hashes (scheme 1: they cannot be rewritten, and
published checkpoints name them). A signed checkpoint at the head of that chain marks where plain
hashes end; the verifier refuses a plain hash anywhere after it, so a tail rewritten later with
recomputed plain hashes is found.
"""

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

LEGACY_BOUNDARY_REASON = "legacy-plain-hashes-end"  # govbuy.audit.chain.LEGACY_BOUNDARY_REASON

SQLITE_TABLES = ("audit_auditevent", "audit_auditcheckpoint")


def sqlite_create(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_refuse_update BEFORE UPDATE ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'govbuy audit trail is append-only: UPDATE refused'); END;",
        f"CREATE TRIGGER IF NOT EXISTS {table}_refuse_delete BEFORE DELETE ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'govbuy audit trail is append-only: DELETE refused'); END;",
    ]


def sqlite_drop(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_refuse_update;", f"DROP TRIGGER IF EXISTS {table}_refuse_delete;"]


def mark_legacy_boundary(apps, schema_editor):
    from govbuy.audit.chain import checkpoint_signature

    head = apps.get_model("audit", "AuditHead").objects.filter(pk=1).first()
    if head is None or head.position == 0:
        return
    checkpoint_model = apps.get_model("audit", "AuditCheckpoint")
    created_at = timezone.now()
    checkpoint_model.objects.create(
        position=head.position,
        head_hash=head.hash,
        reason=LEGACY_BOUNDARY_REASON,
        created_at=created_at,
        signature=checkpoint_signature(
            key=settings.AUDIT_CHECKPOINT_KEY,
            position=head.position,
            head_hash=head.hash,
            reason=LEGACY_BOUNDARY_REASON,
            created_at=created_at,
        ),
    )


def install_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in SQLITE_TABLES:
        for statement in sqlite_create(table):
            schema_editor.execute(statement)


def uninstall_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in SQLITE_TABLES:
        for statement in sqlite_drop(table):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_triggers")]

    operations = [
        migrations.CreateModel(
            name="AuditSeal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.BigIntegerField(unique=True, verbose_name="position")),
                ("key", models.CharField(db_index=True, max_length=100, verbose_name="sealed until")),
                ("lifted_at", models.DateTimeField(blank=True, null=True, verbose_name="lifted at")),
            ],
            options={"verbose_name": "sealed audit event", "verbose_name_plural": "sealed audit events"},
        ),
        migrations.AddField(
            model_name="auditevent",
            name="scheme",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="hash scheme"),
        ),
        migrations.RunPython(mark_legacy_boundary, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(install_sqlite_triggers, uninstall_sqlite_triggers, elidable=False),
    ]
