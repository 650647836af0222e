from django.core.management.base import BaseCommand

from strategy_calls import services


class Command(BaseCommand):
    help = ("Send now, without the task worker, the notifications of every strategy-call request still pending. "
            "Each email goes out once: the worker and this command claim each email before sending it.")

    def handle(self, *args, **options):
        sent, pending = services.retry_pending()
        self.stdout.write(f"Completed {sent} request(s); {pending} still pending.")
        if pending:
            self.stderr.write("Some notifications failed again; see the log for the mail server's answer.")
