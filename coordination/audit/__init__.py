"""The audit log: security-relevant events (sign-in, passwords, two-step sign-in, tokens,
user changes, exports), append-only, read by the administrator."""
