"""Mail that follows a strategy-call request: sent by the task worker once the request is committed.

Each of the two emails (the staff notification and the visitor's acknowledgement) goes out at most once,
and no row lock is held while the mail server is talked to. A sender first claims an email with a
conditional UPDATE, which only one sender can win; it sends, then records the sent time. A failed send
releases the claim. A sender that dies between claiming and recording leaves its claim, and nobody sends
that email again until STRATEGY_CALL_MAIL_CLAIM_SECONDS have passed. After that the retry action or
command sends it: twice in all if the dead sender had got it out (docs/strategy-calls.md).
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import DatabaseError, close_old_connections
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from mindlab.jsonld import absolute
from mindlab.models import SiteSettings
from mindlab.tasks import retry_later

from .models import Status, StrategyCallRequest, triage_users

log = logging.getLogger(__name__)

# Each email's (sent time, claim time) fields.
STAFF_NOTIFICATION = ("staff_notified_at", "staff_notification_claimed_at")
ACKNOWLEDGEMENT = ("acknowledged_at", "acknowledgement_claimed_at")
URGENT_PRIORITY = 50  # an urgent request's mail goes ahead of the queue


def queue_notifications(request_id, urgent=False):
    """Hand a committed request's mail to the task worker.

    Never raises: the visitor is thanked whatever happens here. If the queue cannot take the task (the
    database went away after the commit, say), the request stays "notification pending" for a retry.
    """
    try:
        deliver.using(priority=URGENT_PRIORITY if urgent else 0).enqueue(request_id)
    except Exception:
        log.exception("Strategy-call request #%s: its mail could not be queued; it stays pending.", request_id)


@task(takes_context=True)
def deliver(context, request_id, attempt=1):
    """Send what is pending; after a failure, try again later, each wait twice the last, a bounded number of times."""
    try:
        if send_notifications(request_id):
            return "sent"
    except Exception:  # the database, say: as good as a failed send, tried again below
        log.exception("Strategy-call request #%s: sending its mail failed.", request_id)
    if retry_later(context, attempt, settings.STRATEGY_CALL_MAIL_ATTEMPTS, settings.STRATEGY_CALL_MAIL_RETRY_SECONDS,
                   request_id):
        return "retrying"
    log.warning("Strategy-call request #%s: mail not sent after %s attempt(s); it stays pending for the retry "
                "action or command.", request_id, attempt)
    return "pending"


def send_notifications(request_id):
    """Send whichever of the two emails has not gone out yet. Call it outside a transaction.

    Returns True when each of them has gone out, from here or from another sender; False when one failed or
    is still in another sender's hands. Mail content names no personal details: staff read them in admin.
    """
    request = StrategyCallRequest.objects.filter(pk=request_id).first()
    if request is None or request.status == Status.SPAM:
        return True
    context = {
        "request": request,
        "admin_url": absolute(request.get_admin_url()),
        "site_settings": SiteSettings.current(),
        "site_name": settings.SITE_NAME,
        "warning_signs": warning_signs(request),
    }
    emails = []
    if request.staff_notified_at is None and settings.STRATEGY_CALL_NOTIFY_EMAILS:
        subject = f"{'URGENT: ' if request.is_urgent else ''}New strategy-call request #{request.pk}"
        emails.append((STAFF_NOTIFICATION, subject, "strategy_calls/email/staff_notification.txt",
                       settings.STRATEGY_CALL_NOTIFY_EMAILS))
    if request.acknowledged_at is None and request.is_urgent:
        # Its own acknowledgement: the crisis line first, as on the thank-you page.
        emails.append((ACKNOWLEDGEMENT, "We received your request: if you are in crisis, help is there now",
                       "strategy_calls/email/acknowledgement_urgent.txt", [request.email]))
    elif request.acknowledged_at is None:
        emails.append((ACKNOWLEDGEMENT, "We received your request", "strategy_calls/email/acknowledgement.txt",
                       [request.email]))
    if not emails:
        return True
    connection = get_connection()
    try:
        # Opened before anything is claimed: a mail server that is down or never answers costs one timeout and
        # leaves no claim behind.
        connection.open()
    except Exception:
        log.exception("Strategy-call request #%s: the mail server did not answer; its mail stays pending.", request.pk)
        return False
    try:
        for fields, subject, template, recipients in emails:
            claim = _claim(request.pk, fields)
            if claim is None:
                continue  # sent meanwhile, or in another sender's hands
            try:
                EmailMessage(subject, render_to_string(template, context), None, recipients,
                             connection=connection).send()
            except Exception:
                log.exception("Strategy-call request #%s: sending %r failed; it stays pending.", request.pk, subject)
                _release(request.pk, fields, claim)
                continue
            _record(request.pk, fields)
    finally:
        connection.close()
    sent_times = StrategyCallRequest.objects.filter(pk=request.pk).values(*(fields[0] for fields, *_ in emails))
    return all(all(row.values()) for row in sent_times)


def warning_signs(request):
    """The crisis warning signs matched in the request's message, named for the staff notification."""
    from . import crisis

    try:
        return crisis.warning_signs(request.message)
    except Exception:  # the notification must go out even if the matcher fails
        log.exception("Strategy-call request #%s: matching warning signs failed.", request.pk)
        return []


def queue_assignment_email(request_id, user_id):
    """Tell a newly assigned triager by email, through the task worker. Never raises: the assignment stands."""
    try:
        tell_assignee.enqueue(request_id, user_id)
    except Exception:
        log.exception("Strategy-call request #%s: the assignment email could not be queued.", request_id)


@task(takes_context=True)
def tell_assignee(context, request_id, user_id, attempt=1):
    """Email the assignee that a request is theirs; no personal details, just the admin link."""
    request = StrategyCallRequest.objects.filter(pk=request_id, assignee_id=user_id).first()
    user = triage_users().filter(pk=user_id).exclude(email="").first()
    if request is None or user is None:
        return "not sent"  # reassigned meanwhile, left the group, or has no address
    body = render_to_string("strategy_calls/email/assigned.txt", {
        "request": request, "user": user, "admin_url": absolute(request.get_admin_url()),
        "site_name": settings.SITE_NAME,
    })
    subject = f"{'URGENT: ' if request.is_urgent else ''}Strategy-call request #{request.pk} is assigned to you"
    try:
        EmailMessage(subject, body, None, [user.email]).send()
        return "sent"
    except Exception:
        log.exception("Strategy-call request #%s: the assignment email to user %s failed.", request_id, user_id)
    if retry_later(context, attempt, settings.STRATEGY_CALL_MAIL_ATTEMPTS, settings.STRATEGY_CALL_MAIL_RETRY_SECONDS,
                   request_id, user_id):
        return "retrying"
    return "failed"


def _claim(request_id, fields):
    """Take the email on, or None when it is sent or another sender holds a claim that has not gone stale."""
    sent, claimed = fields
    now = timezone.now()
    stale = now - timedelta(seconds=settings.STRATEGY_CALL_MAIL_CLAIM_SECONDS)
    # One UPDATE, committed at once: of two senders, the second finds the claim made and updates nothing.
    won = StrategyCallRequest.objects.filter(
        Q(**{f"{claimed}__isnull": True}) | Q(**{f"{claimed}__lt": stale}), pk=request_id, **{f"{sent}__isnull": True}
    ).update(**{claimed: now})
    return now if won else None


def _release(request_id, fields, claim):
    sent, claimed = fields
    try:
        StrategyCallRequest.objects.filter(pk=request_id, **{claimed: claim}).update(**{claimed: None})
    except DatabaseError:
        log.exception("Strategy-call request #%s: a failed send could not release its claim; it is tried again "
                      "after the claim goes stale.", request_id)


def _record(request_id, fields, waits=(1, 2, 4, 8, 16)):
    """Record the sent time, waiting out a database restart: an unrecorded email could be sent again."""
    sent, claimed = fields
    for wait in (*waits, None):
        try:
            StrategyCallRequest.objects.filter(pk=request_id, **{f"{sent}__isnull": True}).update(
                **{sent: timezone.now()}
            )
            return
        except DatabaseError:
            if wait is None:
                log.exception("Strategy-call request #%s: %s sent but not recorded; its claim keeps it from being "
                              "sent again until it goes stale.", request_id, sent)
                return
            time.sleep(wait)
            close_old_connections()  # drops the broken connection, so the next try opens a new one


def retry_pending(queryset=None):
    """Send now what is pending for every request (or those in `queryset`); returns (complete, still pending)."""
    queryset = (queryset if queryset is not None else StrategyCallRequest.objects.all()).notification_pending()
    ids = list(queryset.values_list("pk", flat=True))
    for request_id in ids:
        send_notifications(request_id)
    pending = StrategyCallRequest.objects.filter(pk__in=ids).notification_pending().count()
    return len(ids) - pending, pending


def queue_pending(queryset):
    """Queue a fresh round of attempts for every pending request in `queryset`; returns how many."""
    ids = list(queryset.notification_pending().values_list("pk", "is_urgent"))
    for request_id, urgent in ids:
        queue_notifications(request_id, urgent)
    return len(ids)
