"""Console logins: bcrypt hashes, checked without revealing which usernames exist."""

import pytest

from clinic_store.staff_users import StaffUserExists


def test_staff_users_log_in_with_their_own_password_only(staff_logins):
    staff_logins.create("kim", "correct horse")
    assert staff_logins.verify("kim", "correct horse")
    assert not staff_logins.verify("kim", "Correct horse")
    assert not staff_logins.verify("lee", "correct horse")
    with pytest.raises(StaffUserExists):
        staff_logins.create("kim", "another")


@pytest.mark.parametrize(("username", "password"), [("kim", ""), ("", "pw"), ("kim", "é" * 37)])
def test_empty_names_and_passwords_and_overlong_passwords_are_refused(
    staff_logins, username, password
):
    with pytest.raises(ValueError):
        staff_logins.create(username, password)
