"""What is sent later and retried (staff notifications, staff messages): each attempt recorded."""

from datetime import datetime
from typing import Any, ClassVar

import sqlalchemy as sa

from clinic_store.database import Repository
from clinic_store.models import FAILED, Attempted


class AttemptLog(Repository):
    """Records attempts at sending rows of `model` (a models.Attempted table)."""

    model: ClassVar[type[Attempted]]

    def record_failure(self, row_id: int, error: str, retry_at: datetime | None) -> None:
        """A failed attempt: tried again at `retry_at`, or failed for good when None."""
        if retry_at is None:
            self.record_attempt(row_id, status=FAILED, last_error=error)
        else:
            self.record_attempt(row_id, last_error=error, next_attempt_at=retry_at)

    def record_attempt(self, row_id: int, **values: Any) -> None:
        """One more attempt at sending the row, with the columns in `values` changed."""
        model = self.model
        with self.session() as s, s.begin():
            s.execute(
                sa.update(model)
                .where(model.id == row_id)
                .values(attempts=model.attempts + 1, **values)
                .execution_options(synchronize_session=False)
            )
