import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, password, username="staff"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_repeated_failed_logins_lock_the_user_out_from_that_address(client, staff_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "wrong-password").status_code == 200
    assert _login(client, "wrong-password").status_code == 429
    locked = _login(client, PASSWORD)
    assert locked.status_code == 429
    assert "เข้าสู่ระบบผิดหลายครั้ง" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_good_login_clears_earlier_failures(client, staff_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "wrong-password")
    assert _login(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "wrong-password")
    assert _login(client, PASSWORD).status_code == 302


def test_another_user_at_the_same_address_is_not_locked(client, staff_user, officer_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        _login(client, "wrong-password")
    assert _login(client, PASSWORD, username="officer").status_code == 302


def test_pages_send_a_content_security_policy_and_no_framing(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_forms_carry_a_csrf_token_and_refuse_a_post_without_one(staff_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    assert "csrfmiddlewaretoken" in client.get(reverse("login")).content.decode()
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert response.status_code == 403


def test_weak_passwords_are_refused(staff_user):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("12345678", "password", "staff123", "abc"):
        with pytest.raises(ValidationError):
            validate_password(weak, user=staff_user)
