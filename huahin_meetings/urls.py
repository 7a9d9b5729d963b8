from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.urls import include, path

from accounts.forms import LoginForm
from accounts.line_login import line_login_configured

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "accounts/login/",
        # Outside the request's transaction: checking a password takes a deliberate
        # half second, and on SQLite a transaction holds the write lock from its start,
        # so a hall of people signing in would queue every check-in behind the hashes.
        # What a login writes (the session, the last login, a failed attempt) is saved
        # one statement at a time, as in a plain Django project.
        transaction.non_atomic_requests(
            auth_views.LoginView.as_view(
                authentication_form=LoginForm,
                # Called by the template on each request: the LINE button follows the
                # settings.
                extra_context={"line_login_configured": line_login_configured},
            )
        ),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("communities/", include("communities.urls")),
    path("meetings/", include("meetings.urls")),
    path("issues/", include("issues.urls")),
    path("users/", include("accounts.urls")),
    path("profile/", include("accounts.profile_urls")),
    # Signing in with LINE (django-allauth); the password login above stays the main one.
    path("auth/", include("accounts.line_urls")),
    # The reports declare their own paths (dashboard/, reports/..., a community's
    # page, a meeting's minutes PDF and LINE summary).
    path("", include("reports.urls")),
    # The notifications' pages and LINE's webhook (/line/webhook/).
    path("", include("notifications.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
