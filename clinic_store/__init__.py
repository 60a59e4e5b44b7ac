"""The clinic's own data, shared by the action server, the channels and the staff console.

Hand-offs (handoffs.py), the staff-notification outbox (outbox.py), staff logins
(staff_users.py) and what staff write into conversations (messages.py) live in
one database (DATABASE_URL), through one engine and one session factory per
database (database.py). The schema belongs to the Alembic migrations in
migrations/; `python -m clinic_store` applies them.
"""
