"""Staff logins for the console: bcrypt hashes, never the passwords."""

import functools
import secrets

import bcrypt
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from clinic_store.database import Repository, utcnow
from clinic_store.models import NAME_LENGTH, StaffUser

# bcrypt only reads the first 72 bytes; longer passwords are refused, not truncated.
MAX_PASSWORD_BYTES = 72
BCRYPT_ROUNDS = 12  # about a quarter of a second per check: slow for guessers, fine for staff


class StaffUserExists(ValueError):
    """The username is taken."""


@functools.lru_cache(maxsize=1)
def _decoy_hash() -> bytes:
    """Checked against for unknown usernames, so timing does not reveal which exist."""
    return bcrypt.hashpw(secrets.token_urlsafe(16).encode(), bcrypt.gensalt(BCRYPT_ROUNDS))


class StaffUsers(Repository):
    """Creates and checks console logins."""

    def create(self, username: str, password: str) -> None:
        """A new console login; raises StaffUserExists or ValueError for a bad name or password."""
        username = username.strip()
        if not username or len(username) > NAME_LENGTH:
            raise ValueError(f"the username must have 1 to {NAME_LENGTH} characters")
        if not password or len(password.encode()) > MAX_PASSWORD_BYTES:
            raise ValueError(f"the password must have 1 to {MAX_PASSWORD_BYTES} bytes")
        password_hash = bcrypt.hashpw(password.encode(), bcrypt.gensalt(BCRYPT_ROUNDS)).decode()
        try:
            with self.session() as s, s.begin():
                s.add(
                    StaffUser(username=username, password_hash=password_hash, created_at=utcnow())
                )
        except IntegrityError as error:
            raise StaffUserExists(username) from error

    def verify(self, username: str, password: str) -> bool:
        """Whether the username exists and the password is its password."""
        with self.session() as s, s.begin():
            stored = s.scalars(
                sa.select(StaffUser.password_hash).where(StaffUser.username == username.strip())
            ).first()
        candidate = password.encode()
        if stored is None or len(candidate) > MAX_PASSWORD_BYTES:
            bcrypt.checkpw(b"decoy", _decoy_hash())
            return False
        return bcrypt.checkpw(candidate, stored.encode())

    def usernames(self) -> list[str]:
        """Everyone who can log in, alphabetically: the colleagues a case can be assigned to."""
        with self.session() as s, s.begin():
            return list(s.scalars(sa.select(StaffUser.username).order_by(StaffUser.username)))
