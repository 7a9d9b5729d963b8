from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = _("User accounts")


class LoginSecurityConfig(AxesConfig):
    """django-axes (locking out repeated wrong passwords) under a Thai name in the admin."""

    verbose_name = _("Login security")
