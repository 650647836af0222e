"""Mail that keeps the review queue moving: Reviewers hear of a submission, the submitter of the decision.

The workflow calls `submission_received(page)` and `decision_made(page)` after its transaction commits. Each
only queues a task (django-tasks), and never raises into the admin request: a queueing error is logged, and
the page is saved whatever happens to its mail. What the mail says (title, link, decision, comment, times) is
taken from the page when it is queued, so a later edit, or an approved revision merged and deleted, cannot
change it; the queue holds user ids, never addresses, which are read when the mail is sent. The mail names
people and the page, nothing else. A send that fails is tried again later for the recipients it missed,
each wait twice the last, a bounded number of times (mindlab/tasks.py, as strategy-call mail does).
"""

import logging

from django.contrib.auth import get_backends, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone
from django_tasks import task

from mindlab.jsonld import absolute
from mindlab.tasks import retry_later

log = logging.getLogger(__name__)

ATTEMPTS = 5
RETRY_SECONDS = 60
# Who may decide on a page of each kind: they are told of its submissions.
REVIEW_PERMISSIONS = {"articles.article": "articles.review_article", "hubs.hub": "hubs.publish_hub",
                      "pages.page": "pages.publish_page"}

PUBLISHED, SCHEDULED, CHANGES_REQUESTED = "published", "scheduled", "changes"


def submission_received(page):
    """Tell everyone who may review `page` (a new page or a pending revision) that it waits for them; not the
    submitter."""
    try:
        submitter = page.submitted_by
        facts = {
            **_page_facts(page, page),
            "submitter": display_name(submitter),
            "submitted_at": _when(page.submitted_at),
        }
        subject = f"{'Revision to review' if facts['revision'] else 'Review requested'}: {facts['title']}"
        recipients = reviewers_of(page).exclude(pk=getattr(submitter, "pk", None))
        _queue("editorial/email/submission_received.txt", subject, facts, recipients)
    except Exception:
        log.exception("%s #%s: the mail to reviewers about its submission could not be queued.",
                      type(page).__name__, page.pk)


def decision_made(page):
    """Tell the submitter of `page` what was decided: approved and published, scheduled (with the time), or
    changes requested (with the comment). Nobody is told of their own decision."""
    try:
        submitter, decider = page.submitted_by, page.decided_by
        if submitter is None or (decider is not None and submitter.pk == decider.pk):
            return
        outcome = _outcome(page)
        # After approval the page to open is the live one; a revision sent back is edited where it is.
        shown = page.draft_of if outcome != CHANGES_REQUESTED and page.draft_of_id else page
        facts = {
            **_page_facts(page, shown),
            "outcome": outcome,
            "decider": display_name(decider),
            "comment": page.decision_comment.strip(),
            "publish_at": _when(getattr(page, "publish_at", None)),
        }
        subject = {
            PUBLISHED: f"Published: {facts['title']}",
            SCHEDULED: f"Scheduled for {facts['publish_at']}: {facts['title']}",
            CHANGES_REQUESTED: f"Changes requested: {facts['title']}",
        }[outcome]
        users = get_user_model()._default_manager.filter(pk=submitter.pk, is_active=True)
        _queue("editorial/email/decision_made.txt", subject, facts, users)
    except Exception:
        log.exception("%s #%s: the mail about its review decision could not be queued.", type(page).__name__, page.pk)


def reviewers_of(page):
    """Active users who may review a page of this kind: the Reviewers group, or the permission given another
    way. Superusers are not added for their flag alone (they administer; reviewing is a role)."""
    backend = next(backend for backend in get_backends() if isinstance(backend, ModelBackend))
    return backend.with_perm(REVIEW_PERMISSIONS[page._meta.label_lower], include_superusers=False)


def display_name(user):
    return (user.get_full_name() or user.get_username()) if user else "Someone"


def _page_facts(page, shown):
    opts = shown._meta
    return {
        "kind": opts.verbose_name,
        "title": " ".join(page.title.split()),  # one line: it goes into the subject
        "revision": page.draft_of_id is not None,
        "admin_url": absolute(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[shown.pk])),
    }


def _outcome(page):
    """The decision as the workflow's own querysets see it ("Scheduled" is published with a future time)."""
    if type(page)._default_manager.filter(pk=page.pk).changes_requested().exists():
        return CHANGES_REQUESTED
    publish_at = getattr(page, "publish_at", None)
    return SCHEDULED if publish_at and publish_at > timezone.now() else PUBLISHED


def _when(moment):
    return dateformat.format(timezone.localtime(moment), "F j, Y, H:i T") if moment else ""


def _queue(template, subject, facts, users):
    recipient_ids = list(users.exclude(email="").values_list("pk", flat=True))
    if recipient_ids:
        send_review_mail.enqueue(template, subject, facts, recipient_ids)


@task(takes_context=True)
def send_review_mail(context, template, subject, facts, recipient_ids, attempt=1):
    """One email to each recipient (nobody sees another's address); those it could not reach are tried again."""
    missed = _send(template, subject, facts, recipient_ids)
    if not missed:
        return "sent"
    if retry_later(context, attempt, ATTEMPTS, RETRY_SECONDS, template, subject, facts, missed):
        return "retrying"
    log.warning("%r: not sent to %s user(s) after %s attempt(s).", subject, len(missed), attempt)
    return "failed"


def _send(template, subject, facts, recipient_ids):
    """Send to each active recipient with an address; returns the ids not reached."""
    users = list(get_user_model()._default_manager.filter(pk__in=recipient_ids, is_active=True).exclude(email=""))
    connection = get_connection()
    try:
        connection.open()  # a mail server that is down costs one timeout, not one per recipient
    except Exception:
        log.exception("%r: the mail server did not answer.", subject)
        return [user.pk for user in users]
    missed = []
    try:
        for user in users:
            body = render_to_string(template, {**facts, "recipient": user.get_short_name() or user.get_username()})
            try:
                EmailMessage(subject, body, None, [user.email], connection=connection).send()
            except Exception:
                log.exception("%r: sending to user #%s failed.", subject, user.pk)
                missed.append(user.pk)
    finally:
        connection.close()
    return missed
