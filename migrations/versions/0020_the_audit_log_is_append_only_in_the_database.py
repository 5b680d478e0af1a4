"""the audit log is append-only in the database itself

The app has no way to edit or delete an audit row; with these triggers neither has anything
else that connects as the app's database user (a script, a console, a bug): an UPDATE,
DELETE (or, on PostgreSQL, TRUNCATE) of auditlog is refused by the database. Only a schema
change (dropping the trigger, itself a deliberate act on the server) could remove them.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 21:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REFUSAL = "审计日志只能追加，不能修改或删除"
SQLITE_TRIGGERS = {
    "auditlog_no_update": "UPDATE",
    "auditlog_no_delete": "DELETE",
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION auditlog_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'insufficient_privilege';
            END $$
            """
        )
        op.execute(
            "CREATE TRIGGER auditlog_no_change BEFORE UPDATE OR DELETE ON auditlog "
            "FOR EACH ROW EXECUTE FUNCTION auditlog_append_only()"
        )
        op.execute(
            "CREATE TRIGGER auditlog_no_truncate BEFORE TRUNCATE ON auditlog "
            "FOR EACH STATEMENT EXECUTE FUNCTION auditlog_append_only()"
        )
        return
    for name, event in SQLITE_TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {event} ON auditlog "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER auditlog_no_truncate ON auditlog")
        op.execute("DROP TRIGGER auditlog_no_change ON auditlog")
        op.execute("DROP FUNCTION auditlog_append_only()")
        return
    for name in SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
