"""The suite hashes passwords cheaply (see conftest.py); these tests keep the real
hasher honest: production settings use PBKDF2, and a PBKDF2 password logs in."""

from django.conf import global_settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import PASSWORD, make_user
from tests.test_settings import PRODUCTION, manage

PBKDF2 = "django.contrib.auth.hashers.PBKDF2PasswordHasher"


def test_production_settings_hash_passwords_with_pbkdf2():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; from django.contrib.auth.hashers import "
        "make_password; print(settings.PASSWORD_HASHERS[0]); print(make_password('x'))",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    hasher, hashed = result.stdout.split()
    assert hasher == PBKDF2
    assert hashed.startswith("pbkdf2_sha256$")


def test_a_password_hashed_with_pbkdf2_logs_in(client, settings, reference_data):
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    make_user(username="chair1", role="leader", community_number=1)
    stored = get_user_model().objects.get(username="chair1").password
    assert stored.startswith("pbkdf2_sha256$")

    refused = client.post(reverse("login"), {"username": "chair1", "password": "wrong"})
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("login"), {"username": "chair1", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(get_user_model().objects.get().pk)
