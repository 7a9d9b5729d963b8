import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import AnonymousUser

from accounts.line import line_user_id

pytestmark = pytest.mark.django_db

LINE_ID = "U4af4980629a3b1f9e8e2c2b7f2f1e0d9"


def test_a_linked_user_has_their_line_user_id(leader_user, staff_user):
    SocialAccount.objects.create(user=leader_user, provider="line", uid=LINE_ID)
    SocialAccount.objects.create(user=staff_user, provider="google", uid="1234")

    assert line_user_id(leader_user) == LINE_ID
    # Another provider's account is not a LINE account.
    assert line_user_id(staff_user) is None


def test_a_user_without_a_linked_account_has_none(leader_user):
    assert line_user_id(leader_user) is None
    assert line_user_id(AnonymousUser()) is None
    assert line_user_id(None) is None
