from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from strategy_calls.models import Status, StrategyCallRequest


class Command(BaseCommand):
    help = "Delete closed and spam strategy-call requests received more than DAYS days ago."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, required=True, metavar="DAYS",
                            help="Age in whole days; requests received before now minus DAYS are deleted.")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be deleted; delete nothing.")

    @transaction.atomic
    def handle(self, *args, older_than, dry_run, **options):
        if older_than < 1:
            raise CommandError(f"--older-than must be at least 1 day; got {older_than}.")
        cutoff = timezone.now() - timedelta(days=older_than)
        doomed = StrategyCallRequest.objects.filter(status__in=[Status.CLOSED, Status.SPAM], received__lt=cutoff)
        summary = {status: doomed.filter(status=status).count() for status in (Status.CLOSED, Status.SPAM)}
        ids = list(doomed.order_by("pk").values_list("pk", flat=True))
        if not dry_run:
            doomed.delete()
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {len(ids)} request(s) received before {cutoff:%Y-%m-%d}: "
            f"{summary[Status.CLOSED]} closed, {summary[Status.SPAM]} spam."
            + (f" IDs: {', '.join(map(str, ids))}" if ids else "")
        )
