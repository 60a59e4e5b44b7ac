"""`python -m clinic_store` migrates DATABASE_URL (`make run` runs it at start-up)."""

from clinic_store.database import migrate

migrate()
