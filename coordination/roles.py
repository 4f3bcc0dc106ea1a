"""The roles a user can have (DESIGN.md, "Users and what each may do")."""
ROLES = ("coordinator", "ministry_staff", "secretariat", "observer", "admin")
