"""The audit log: who did what and when, per organisation; read-only; kept for a period."""
