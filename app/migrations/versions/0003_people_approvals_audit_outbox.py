"""Users and tokens, approval records, corrections, the audit trail, the outbox.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=40, create_constraint=False)


def _when(name: str, nullable: bool = True) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        # "ready_for_provisioning" is longer than the 20 characters the status had.
        batch.alter_column("status", type_=sa.String(length=40), existing_nullable=False)
        batch.add_column(sa.Column("uploaded_by", sa.String(length=32), nullable=True))
        batch.create_index("ix_cases_uploaded_by", ["uploaded_by"])
    op.create_table(
        "users",
        sa.Column("id", sa.String(length=32), primary_key=True),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("roles", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        _when("created_at", nullable=False),
    )
    op.create_index("ix_users_email", "users", ["email"], unique=True)
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(length=32), primary_key=True),
        sa.Column("user_id", sa.String(length=32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        _when("created_at", nullable=False),
        _when("last_used_at"),
        _when("revoked_at"),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])
    op.create_index("ix_api_tokens_token_hash", "api_tokens", ["token_hash"], unique=True)
    op.create_table(
        "approvals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.String(length=32), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column(
            "state",
            _enum("approvalstate", "pending", "granted", "rejected", "reset", "expired"),
            nullable=False,
        ),
        sa.Column("reasons_json", sa.Text(), nullable=False),
        sa.Column("rules_json", sa.Text(), nullable=False),
        sa.Column("basis_json", sa.Text(), nullable=False),
        _when("requested_at", nullable=False),
        _when("due_at"),
        _when("reminded_at"),
        _when("escalated_at"),
        _when("decided_at"),
        sa.Column("decided_by", sa.String(length=32), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("reset_cause", sa.Text(), nullable=True),
        _when("updated_at", nullable=False),
        sa.UniqueConstraint("case_id", "role", name="uq_approval_case_role"),
    )
    op.create_index("ix_approvals_case_id", "approvals", ["case_id"])
    op.create_index("ix_approvals_state", "approvals", ["state"])
    op.create_index("ix_approvals_due_at", "approvals", ["due_at"])
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.String(length=32), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("path", sa.String(length=120), nullable=False),
        sa.Column("old_json", sa.Text(), nullable=True),
        sa.Column("new_json", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("decision_before_json", sa.Text(), nullable=True),
        sa.Column("decision_after_json", sa.Text(), nullable=True),
        _when("created_at", nullable=False),
    )
    op.create_index("ix_corrections_case_id", "corrections", ["case_id"])
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.String(length=32), nullable=True),
        sa.Column("case_seq", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=True),
        sa.Column("data_json", sa.Text(), nullable=False),
        _when("created_at", nullable=False),
        sa.Column("prev_case_hash", sa.String(length=64), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=True),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.UniqueConstraint("case_id", "case_seq", name="uq_audit_case_seq"),
    )
    op.create_index("ix_audit_events_case_id", "audit_events", ["case_id"])
    op.create_index("ix_audit_events_kind", "audit_events", ["kind"])
    op.create_table(
        "outbox_events",
        sa.Column("seq", sa.Integer(), primary_key=True),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("type", sa.String(length=60), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=True),
        sa.Column("data_json", sa.Text(), nullable=False),
        _when("created_at", nullable=False),
        sa.Column("state", _enum("deliverystate", "pending", "delivered", "dead"), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _when("next_attempt_at", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        _when("delivered_at"),
    )
    op.create_index("ix_outbox_events_id", "outbox_events", ["id"], unique=True)
    op.create_index("ix_outbox_events_type", "outbox_events", ["type"])
    op.create_index("ix_outbox_events_case_id", "outbox_events", ["case_id"])
    op.create_index("ix_outbox_events_state", "outbox_events", ["state"])


def downgrade() -> None:
    for table in ("outbox_events", "audit_events", "corrections", "approvals", "api_tokens"):
        op.drop_table(table)
    op.drop_table("users")
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_uploaded_by")
        batch.drop_column("uploaded_by")
        batch.alter_column("status", type_=sa.String(length=20), existing_nullable=False)
