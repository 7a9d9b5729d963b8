"""What happened to an issue, told to whoever listens from the layers above.

The issues app does not know who is told or how (the notifications app listens);
it only says, once for each history entry it writes, that the entry exists.
"""

from django.dispatch import Signal

# Sent inside the transaction that writes ``update`` (an ``IssueUpdate``), before the
# issue itself is saved: a receiver writes its own rows in the same transaction, so a
# change rolled back leaves none of them, and does anything outside the database
# (mail, LINE) in ``transaction.on_commit``.
issue_changed = Signal()
