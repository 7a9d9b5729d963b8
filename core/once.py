"""One-time tokens for forms that create a record, so that a form sent twice
(a double click, a page resent after a slow answer) creates one record.

The form carries ``{% once_field %}``. The view asks ``Once(request).earlier()``
for the record an earlier post of the same token made, and writes inside
``with once.claim() as claim: ...; claim.url = record_url``: the token is stored
under a unique constraint in the same transaction as the record, so of two
posts at the same moment the second waits for the first and then finds its
token taken (``AlreadySent``). A refused form keeps its token, unclaimed, so the
corrected form can still be sent. A post without a token works as before.
"""

import datetime
import re
import secrets
from contextlib import contextmanager

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import SubmittedForm

FIELD = "once"
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
KEPT = datetime.timedelta(days=7)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def posted_token(request) -> str:
    token = request.POST.get(FIELD, "") if request.method == "POST" else ""
    return token if TOKEN.fullmatch(token) else ""


class AlreadySent(Exception):
    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


class _Claim:
    url = ""


class Once:
    def __init__(self, request, *, fallback_url: str):
        self.token = posted_token(request)
        self.user = request.user
        self.fallback_url = fallback_url

    def earlier(self) -> str | None:
        """Where the record an earlier post of this form made is, if there was one."""
        if not self.token:
            return None
        url = (
            SubmittedForm.objects.filter(token=self.token, user=self.user)
            .values_list("url", flat=True)
            .first()
        )
        return (url or self.fallback_url) if url is not None else None

    @contextmanager
    def claim(self):
        """Take the token and run the write; both are undone if the write fails."""
        claim = _Claim()
        with transaction.atomic():
            row = None
            if self.token:
                try:
                    with transaction.atomic():
                        row = SubmittedForm.objects.create(token=self.token, user=self.user)
                except IntegrityError:
                    raise AlreadySent(self.earlier() or self.fallback_url) from None
            yield claim
            if row is not None:
                row.url = claim.url[:300]
                row.save(update_fields=["url"])
                SubmittedForm.objects.filter(created_at__lt=timezone.now() - KEPT).delete()


def already_sent(request, url: str):
    """Answer a form sent again: nothing new was made; show what the first made."""
    messages.info(
        request,
        _("This form had already been sent, so nothing new was made. Here is what it made."),
    )
    return redirect(url)
