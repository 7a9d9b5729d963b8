"""allauth's two LINE pages, and nothing else of allauth: the password login, the
profile page and unlinking are the system's own."""

from allauth.socialaccount.providers.line.views import oauth2_callback, oauth2_login
from django.urls import path

from .line_login import line_start_view, line_view

# No namespace: allauth finds the callback by the name ``line_callback``.
urlpatterns = [
    path("line/login/", line_start_view(oauth2_login), name="line_login"),
    path("line/login/callback/", line_view(oauth2_callback), name="line_callback"),
]
