"""PostgreSQL refuses UPDATE, DELETE and TRUNCATE on the audit events and checkpoints.

Row-level BEFORE triggers stop UPDATE and DELETE; a statement-level trigger stops TRUNCATE (which
row triggers never see). The head row (audit_audithead) moves with every append and stays
updatable. SQLite has no TRUNCATE and the verifier is the guard there.
"""

from django.db import migrations

APPEND_ONLY_TABLES = ("audit_auditevent", "audit_auditcheckpoint")

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION govbuy_audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'govbuy audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Audit events and checkpoints are never changed; record a new event instead.';
END
$$;
"""


def create_sql(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_refuse_update_delete ON {table};",
        f"CREATE TRIGGER {table}_refuse_update_delete BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION govbuy_audit_refuse_change();",
        f"DROP TRIGGER IF EXISTS {table}_refuse_truncate ON {table};",
        f"CREATE TRIGGER {table}_refuse_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION govbuy_audit_refuse_change();",
    ]


def drop_sql(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_refuse_update_delete ON {table};",
        f"DROP TRIGGER IF EXISTS {table}_refuse_truncate ON {table};",
    ]


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # params=None: the function body uses % placeholders of RAISE, not of the driver.
    schema_editor.execute(CREATE_FUNCTION, params=None)
    for table in APPEND_ONLY_TABLES:
        for statement in create_sql(table):
            schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in APPEND_ONLY_TABLES:
        for statement in drop_sql(table):
            schema_editor.execute(statement)
    schema_editor.execute("DROP FUNCTION IF EXISTS govbuy_audit_refuse_change();")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_verify_run")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
