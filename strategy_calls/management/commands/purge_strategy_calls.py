from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from strategy_calls.models import CLOSED_STATUSES, Status, StrategyCallRequest


class Command(BaseCommand):
    help = ("Delete closed and spam strategy-call requests closed more than DAYS days ago (the retention period, "
            "DJANGO_STRATEGY_CALL_RETENTION_DAYS, unless given). Run it once a day from cron or the worker host.")

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, metavar="DAYS",
                            help="Days since closing; by default the retention period from the settings.")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be deleted; delete nothing.")

    @transaction.atomic
    def handle(self, *args, older_than, dry_run, **options):
        days = settings.STRATEGY_CALL_RETENTION_DAYS if older_than is None else older_than
        if days < 1:
            raise CommandError(f"--older-than must be at least 1 day; got {days}.")
        cutoff = timezone.now() - timedelta(days=days)
        doomed = StrategyCallRequest.objects.filter(status__in=CLOSED_STATUSES, closed_at__lt=cutoff)
        summary = {status: doomed.filter(status=status).count() for status in (Status.CLOSED, Status.SPAM)}
        ids = list(doomed.order_by("pk").values_list("pk", flat=True))
        if not dry_run:
            doomed.delete()
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {len(ids)} request(s) closed before {cutoff:%Y-%m-%d}: "
            f"{summary[Status.CLOSED]} closed, {summary[Status.SPAM]} spam."
            + (f" IDs: {', '.join(map(str, ids))}" if ids else "")
        )
        kept = StrategyCallRequest.objects.filter(received__lt=cutoff).open().count()
        if kept:
            self.stdout.write(f"{kept} open request(s) received before {cutoff:%Y-%m-%d} are kept and flagged "
                              "\"past retention\" in the queue: close them or note why they stay open.")
