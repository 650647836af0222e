"""The review queue on the admin home: what waits for whom, counted per kind of page and linked to the lists
(`mindlab.workflow.StateFilter`), and the pages waiting for review with who submitted them and when.

A fixed number of queries whatever the size of the queue: one count per row and kind of page, one query per
kind for the waiting list (tests/test_queue.py holds it).
"""

from django.db.models import Count, Q
from django.urls import reverse

from articles.models import Article
from hubs.models import Hub
from pages.models import Page

from .notifications import REVIEW_PERMISSIONS, display_name

KINDS = (Article, Hub, Page)
WAITING_LIST_LENGTH = 20


def admin_home(user):
    """The rows of the queue this user may act on, (label, note, [(text, url)]), and the waiting list."""
    viewable = [model for model in KINDS if user.has_perm(_permission(model, "view"))]
    reviewable = [model for model in viewable if user.has_perm(REVIEW_PERMISSIONS[model._meta.label_lower])]
    changeable = [model for model in viewable if user.has_perm(_permission(model, "change"))]
    rows = []
    if reviewable:
        rows.append(("Waiting for my review", "Submitted pages and revisions, except your own.", [
            _link(model, model.objects.awaiting_review().exclude(submitted_by=user).count(), "state=for-me")
            for model in reviewable
        ]))
    if changeable:
        counts = {model: model.objects.changes_requested().aggregate(mine=Count("pk", filter=Q(submitted_by=user)),
                                                                      all=Count("pk"))
                  for model in changeable}
        rows.append(("Changes requested of me", "Sent back to you with a reviewer's comment.",
                     [_link(model, counts[model]["mine"], "state=mine") for model in changeable]))
        rows.append(("Changes requested", "Everyone's.",
                     [_link(model, counts[model]["all"], "state=changes") for model in changeable]))
    if Article in viewable:
        rows.append(("Scheduled", "Published with a future time: they appear by themselves.",
                     [_link(Article, Article.objects.scheduled().count(), "state=scheduled")]))
        rows.append(("Review overdue", "Published, never reviewed or past the review interval.",
                     [_link(Article, Article.objects.review_overdue().count(), "review=overdue")]))

    # The oldest of each kind, one more than shown to tell whether the list goes on; newest last.
    waiting = sorted(
        (page for model in viewable for page in model.objects.awaiting_review().for_queue()[:WAITING_LIST_LENGTH + 1]),
        key=lambda page: (page.submitted_at is not None, page.submitted_at or 0),
    )
    return {
        "review_queue": [(label, note, [link for link in links if link]) for label, note, links in rows],
        "waiting_for_review": [_waiting_row(page) for page in waiting[:WAITING_LIST_LENGTH]],
        "waiting_for_review_more": [
            (model._meta.verbose_name_plural, _changelist(model, "state=review"))
            for model in viewable
        ] if len(waiting) > WAITING_LIST_LENGTH else [],
    }


def _permission(model, action):
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def _changelist(model, query):
    return f"{reverse(f'admin:{model._meta.app_label}_{model._meta.model_name}_changelist')}?{query}"


def _link(model, count, query):
    """(text, url) for `count` pages of a kind, or None for none (a row without links says "none")."""
    if not count:
        return None
    opts = model._meta
    return f"{count} {opts.verbose_name if count == 1 else opts.verbose_name_plural}", _changelist(model, query)


def _waiting_row(page):
    opts = page._meta
    return {
        "title": page.title,
        "kind": f"{opts.verbose_name} revision" if page.draft_of_id else opts.verbose_name,
        "url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[page.pk]),
        "submitted_by": display_name(page.submitted_by) if page.submitted_by_id else "—",
        "submitted_at": page.submitted_at,
    }
