"""Send each officer who wants it one e-mail saying they have new notifications (no case
content at all). Run it once a day, e.g. from cron: `manage.py send_notification_digest`. The
e-mails are queued: the task worker (`manage.py db_worker`) sends them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cse_portal.notifications import send_notification_digest


class Command(BaseCommand):
    help = "E-mail each officer with new notifications that there is something to look at."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = send_notification_digest()
        self.stdout.write(f"{queued} digest e-mail{'s' if queued != 1 else ''} queued.")
