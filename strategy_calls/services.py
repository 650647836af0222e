"""Mail that follows a strategy-call request. Runs after the request is committed, so mail never loses a row."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from mindlab.jsonld import absolute
from mindlab.models import SiteSettings

from .models import StrategyCallRequest

log = logging.getLogger(__name__)


def send_notifications(request_id):
    """Send whichever of the two emails has not gone out yet; each is sent once at most.

    The row is locked while sending, so two retries at the same moment cannot both send. Returns True
    when nothing is left pending. Mail content names no personal details: staff read them in admin.
    """
    with transaction.atomic():
        request = StrategyCallRequest.objects.select_for_update().get(pk=request_id)
        if not request.notification_pending:
            return True
        context = {
            "request": request,
            "admin_url": absolute(request.get_admin_url()),
            "site_settings": SiteSettings.current(),
            "site_name": settings.SITE_NAME,
        }
        if request.staff_notified_at is None and settings.STRATEGY_CALL_NOTIFY_EMAILS:
            subject = f"{'URGENT: ' if request.is_urgent else ''}New strategy-call request #{request.pk}"
            if _send(subject, "strategy_calls/email/staff_notification.txt", context,
                     settings.STRATEGY_CALL_NOTIFY_EMAILS, request):
                request.staff_notified_at = timezone.now()
        if request.acknowledged_at is None:
            if _send("We received your request", "strategy_calls/email/acknowledgement.txt", context,
                     [request.email], request):
                request.acknowledged_at = timezone.now()
        request.save(update_fields=["staff_notified_at", "acknowledged_at"])
        return not request.notification_pending


def _send(subject, template, context, recipients, request):
    try:
        send_mail(subject, render_to_string(template, context), None, recipients)
    except Exception:  # any transport failure leaves the request pending for a retry
        log.exception("Strategy-call request #%s: sending %r failed; it stays pending.", request.pk, subject)
        return False
    return True


def retry_pending(queryset=None):
    """Retry every pending request (or those in `queryset`); returns (sent, still_pending) counts."""
    queryset = (queryset if queryset is not None else StrategyCallRequest.objects.all()).notification_pending()
    results = [send_notifications(pk) for pk in queryset.values_list("pk", flat=True)]
    return results.count(True), results.count(False)
