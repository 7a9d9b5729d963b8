"""Signing in with LINE beside the password: linking from the profile page, signing
in with a linked account, and every refusal ending in a message, never a 500.

LINE itself is never reached: its token and profile endpoints are answered at the
HTTP boundary (``requests.Session.request``), as LINE answers them."""

import json
import logging
from unittest import mock
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from accounts.line import line_user_id

pytestmark = pytest.mark.django_db

User = get_user_model()
LINE_USER_ID = "U1234567890abcdef1234567890abcdef"
TOKEN_URL = "https://api.line.me/oauth2/v2.1/token"
PROFILE_URL = "https://api.line.me/v2/profile"
PROFILE = {
    "userId": LINE_USER_ID,
    "displayName": "สมชาย หัวหิน",
    "pictureUrl": "https://profile.line-scdn.net/abcdefghijklmn",
    "statusMessage": "สวัสดีครับ",
}
TOKEN = {
    "access_token": "bNl4YEFPI/hjFWhTqexp4MuEw5YPs",
    "expires_in": 2592000,
    "id_token": "eyJhbGciOiJIUzI1NiJ9.e30.signature",
    "refresh_token": "Aa1FdeggRhTnPNNpxr8p",
    "scope": "profile openid",
    "token_type": "Bearer",
}
EXPIRED_CODE = {"error": "invalid_grant", "error_description": "authorization code expired"}


@pytest.fixture
def line_settings(settings):
    settings.LINE_LOGIN_CHANNEL_ID = "1656789012"
    settings.LINE_LOGIN_CHANNEL_SECRET = "0123456789abcdef0123456789abcdef"
    return settings


@pytest.fixture(autouse=True)
def _thai():
    with translation.override("th"):
        yield


def _response(status: int, payload: dict, url: str) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(payload).encode()
    response.headers["content-type"] = "application/json"
    response.url = url
    response.reason = "OK" if status == 200 else "Bad Request"
    return response


def _line(*, token=(200, TOKEN), profile=(200, PROFILE)):
    """LINE's two endpoints as allauth calls them; anything else is a test error."""

    def answer(method, url, **kwargs):
        if method == "POST" and url == TOKEN_URL:
            assert kwargs["data"]["code"] == "auth-code"
            assert kwargs["data"]["code_verifier"]
            return _response(*token, url)
        if method == "GET" and url == PROFILE_URL:
            assert kwargs["headers"]["Authorization"] == f"Bearer {TOKEN['access_token']}"
            return _response(*profile, url)
        raise AssertionError(f"unexpected request {method} {url}")

    return mock.patch("requests.Session.request", side_effect=answer)


def _start(client, process: str, next_url: str = ""):
    """Press the LINE button; return the state LINE would send back."""
    data = {"process": process}
    if next_url:
        data["next"] = next_url
    response = client.post(reverse("line_login"), data)
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        "https://access.line.me/oauth2/v2.1/authorize"
    )
    query = parse_qs(location.query)
    assert sorted(query["scope"][0].split()) == ["openid", "profile"]
    assert query["client_id"] == ["1656789012"]
    assert query["code_challenge_method"] == ["S256"]
    return query["state"][0]


def line_round_trip(client, process: str, **answers):
    """Press the LINE button, come back from LINE with a code; return the response."""
    state = _start(client, process)
    with _line(**answers):
        return client.get(reverse("line_callback"), {"code": "auth-code", "state": state})


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _signed_in(client):
    return client.session.get("_auth_user_id")


def test_a_signed_in_leader_links_their_line_account(client, leader_user, line_settings):
    client.force_login(leader_user)
    response = line_round_trip(client, "connect")

    assert response.status_code == 302
    assert response["Location"] == reverse("profile:page")
    assert line_user_id(leader_user) == LINE_USER_ID
    account = SocialAccount.objects.get(user=leader_user)
    # Only the id and the display name are kept: no picture, no status, no token.
    assert account.extra_data == {"userId": LINE_USER_ID, "displayName": "สมชาย หัวหิน"}
    assert "เชื่อมต่อบัญชี LINE แล้ว" in _messages(response)[0]
    page = client.get(reverse("profile:page")).content.decode()
    assert "สมชาย หัวหิน" in page
    assert "ยกเลิกการเชื่อมต่อ" in page


def test_a_linked_account_signs_in_with_line(client, leader_user, line_settings):
    SocialAccount.objects.create(
        user=leader_user, provider="line", uid=LINE_USER_ID, extra_data={"userId": LINE_USER_ID}
    )
    users = User.objects.count()

    response = line_round_trip(client, "login")

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert _signed_in(client) == str(leader_user.pk)
    # Signed in by the project's backend (django-axes's, listed first, loads no user),
    # so the session loads the user back on the next page.
    assert client.session["_auth_user_backend"] == "accounts.backends.RoleBackend"
    assert client.get(reverse("home")).wsgi_request.user == leader_user
    assert User.objects.count() == users
    account = SocialAccount.objects.get(user=leader_user)
    assert account.extra_data == {"userId": LINE_USER_ID, "displayName": "สมชาย หัวหิน"}


def test_an_unlinked_line_account_is_refused_and_no_user_is_made(
    client, leader_user, line_settings, caplog
):
    users = User.objects.count()
    with caplog.at_level(logging.INFO, logger="accounts.line_login"):
        response = line_round_trip(client, "login")

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert not _signed_in(client)
    assert User.objects.count() == users
    assert not SocialAccount.objects.exists()
    [message] = _messages(response)
    assert "บัญชี LINE นี้ยังไม่ได้เชื่อมกับผู้ใช้ในระบบ" in message
    assert "linked to no user" in caplog.text


def test_an_expired_code_gets_a_message_not_an_error(client, leader_user, line_settings, caplog):
    SocialAccount.objects.create(user=leader_user, provider="line", uid=LINE_USER_ID)
    with caplog.at_level(logging.WARNING, logger="accounts.line_login"):
        response = line_round_trip(client, "login", token=(400, EXPIRED_CODE))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert not _signed_in(client)
    assert "LINE ยืนยันตัวตนของท่านไม่ได้" in _messages(response)[0]
    assert "authorization code expired" in caplog.text
    assert TOKEN["access_token"] not in caplog.text


def test_a_refused_profile_request_gets_a_message(client, leader_user, line_settings):
    client.force_login(leader_user)
    response = line_round_trip(client, "connect", profile=(401, {"message": "invalid token"}))

    assert response.status_code == 302
    assert response["Location"] == reverse("profile:page")
    assert line_user_id(leader_user) is None
    assert "LINE ยืนยันตัวตนของท่านไม่ได้" in _messages(response)[0]


def test_a_callback_without_its_state_or_cancelled_gets_a_message(client, line_settings):
    response = client.get(reverse("line_callback"), {"code": "auth-code", "state": "forged"})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "LINE ยืนยันตัวตนของท่านไม่ได้" in _messages(response)[0]

    state = _start(client, "login")
    response = client.get(reverse("line_callback"), {"error": "access_denied", "state": state})
    assert response.status_code == 302
    assert "ยกเลิกการเข้าสู่ระบบด้วย LINE" in _messages(response)[-1]


def test_a_line_account_linked_to_someone_else_is_not_moved(
    client, leader_user, staff_user, line_settings
):
    SocialAccount.objects.create(user=staff_user, provider="line", uid=LINE_USER_ID)
    client.force_login(leader_user)

    response = line_round_trip(client, "connect")

    assert response["Location"] == reverse("profile:page")
    assert line_user_id(leader_user) is None
    assert line_user_id(staff_user) == LINE_USER_ID
    assert "เชื่อมกับผู้ใช้อื่นในระบบอยู่แล้ว" in _messages(response)[0]


def test_a_second_line_account_is_not_linked(client, leader_user, line_settings):
    SocialAccount.objects.create(user=leader_user, provider="line", uid="U" + "f" * 32)
    client.force_login(leader_user)

    response = line_round_trip(client, "connect")

    assert response["Location"] == reverse("profile:page")
    assert list(SocialAccount.objects.values_list("uid", flat=True)) == ["U" + "f" * 32]
    assert "ยกเลิกการเชื่อมต่อบัญชีเดิมก่อน" in _messages(response)[0]


def test_linking_needs_a_signed_in_user(client, leader_user, line_settings):
    response = line_round_trip(client, "connect")

    assert response["Location"] == reverse("login")
    assert not SocialAccount.objects.exists()
    assert not _signed_in(client)


def test_a_deactivated_user_cannot_sign_in_with_line(client, leader_user, line_settings):
    SocialAccount.objects.create(user=leader_user, provider="line", uid=LINE_USER_ID)
    leader_user.is_active = False
    leader_user.save(update_fields=["is_active"])

    response = line_round_trip(client, "login")

    assert response["Location"] == reverse("login")
    assert not _signed_in(client)
    assert "บัญชีนี้ถูกปิดการใช้งาน" in _messages(response)[0]


def test_unlinking_removes_the_line_account(client, leader_user, line_settings):
    SocialAccount.objects.create(user=leader_user, provider="line", uid=LINE_USER_ID)
    client.force_login(leader_user)

    response = client.post(reverse("profile:line_unlink"))

    assert response["Location"] == reverse("profile:page")
    assert line_user_id(leader_user) is None
    page = client.get(reverse("profile:page")).content.decode()
    assert "เชื่อมต่อ LINE" in page


def test_without_the_settings_no_line_button_and_no_line_flow(client, leader_user, settings):
    settings.LINE_LOGIN_CHANNEL_ID = settings.LINE_LOGIN_CHANNEL_SECRET = ""
    login_page = client.get(reverse("login")).content.decode()
    assert reverse("line_login") not in login_page

    response = client.post(reverse("line_login"), {"process": "login"})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "ยังไม่ได้ตั้งค่าการเข้าสู่ระบบด้วย LINE" in _messages(response)[0]
    assert client.get(reverse("line_callback"), {"code": "x", "state": "y"}).status_code == 302

    client.force_login(leader_user)
    profile_page = client.get(reverse("profile:page")).content.decode()
    assert reverse("line_login") not in profile_page


def test_with_the_settings_the_line_buttons_are_shown(client, leader_user, line_settings):
    login_page = client.get(reverse("login")).content.decode()
    assert f'action="{reverse("line_login")}"' in login_page
    assert "เข้าสู่ระบบด้วย LINE" in login_page
    # The password login stays as it is.
    assert 'name="password"' in login_page

    client.force_login(leader_user)
    profile_page = client.get(reverse("profile:page")).content.decode()
    assert f'action="{reverse("line_login")}"' in profile_page
    assert 'name="process" value="connect"' in profile_page
    assert "เชื่อมต่อ LINE" in profile_page


def test_the_line_login_page_takes_no_get(client, line_settings):
    """A link alone cannot start a LINE sign-in; the buttons post a form."""
    response = client.get(reverse("line_login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


def test_allauth_serves_only_the_line_pages(client):
    assert reverse("line_login") == "/auth/line/login/"
    assert reverse("line_callback") == "/auth/line/login/callback/"
    for path in ("/auth/signup/", "/auth/login/", "/auth/password/reset/", "/auth/3rdparty/"):
        assert client.get(path).status_code == 404, path
