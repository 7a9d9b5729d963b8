"""The project's settings as deployed, with one change for the hall test: passwords
are hashed with MD5, so that thirty logins do not cost thirty PBKDF2 hashes of CPU
(tests/test_passwords.py checks the real hasher)."""

from huahin_meetings.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
