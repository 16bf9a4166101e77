"""flag history append-only: triggers refuse UPDATE and DELETE on flag_history

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 10:00:00.000000

The audit history is what an auditor's decision rests on; no code path updates or deletes it
(a test scans the source), and these triggers make the database refuse it too, whoever connects.
Flags are never deleted either: a withdrawal closes them, and the history's foreign key to `flag`
(no cascade) already refuses deleting a flag that has history. Triggers are not part of the
models, so `compare_metadata` does not see them.
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

MESSAGE = "flag_history is append-only: its rows are never updated or deleted"
_ACTIONS = ("UPDATE", "DELETE")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION flag_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$"
        )
        for action in _ACTIONS:
            op.execute(
                f"CREATE TRIGGER flag_history_no_{action.lower()} BEFORE {action} ON flag_history "
                "FOR EACH STATEMENT EXECUTE FUNCTION flag_history_append_only()"
            )
        # TRUNCATE skips row and statement DELETE triggers; it has its own
        op.execute(
            "CREATE TRIGGER flag_history_no_truncate BEFORE TRUNCATE ON flag_history "
            "FOR EACH STATEMENT EXECUTE FUNCTION flag_history_append_only()"
        )
        return
    for action in _ACTIONS:
        op.execute(
            f"CREATE TRIGGER flag_history_no_{action.lower()} BEFORE {action} ON flag_history "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for action in (*_ACTIONS, "TRUNCATE") if postgres else _ACTIONS:
        suffix = " ON flag_history" if postgres else ""
        op.execute(f"DROP TRIGGER IF EXISTS flag_history_no_{action.lower()}{suffix}")
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS flag_history_append_only()")
