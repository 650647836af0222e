"""Mail about the review queue: Reviewers hear of submissions, submitters of decisions, through the task queue.

Tasks run at once here (tests/conftest.py) and mail lands in Django's locmem outbox; the retry test holds the
tasks in django-tasks' dummy backend and runs them by hand.
"""

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend
from django_tasks.backends.dummy import DummyBackend
from django_tasks.base import TaskContext

from articles.models import Article
from authors.models import Author
from editorial import notifications
from hubs.models import Hub
from references.models import Reference


class MailServerDown(EmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


class RefusesOneAddress(EmailBackend):
    """Every address is taken but one."""

    def send_messages(self, messages):
        if any(address == "refused@example.org" for message in messages for address in message.to):
            raise ConnectionRefusedError("recipient refused")
        return super().send_messages(messages)


class QueueDown(DummyBackend):
    def enqueue(self, task, args, kwargs):
        raise ConnectionError("the task queue's database went away")


@pytest.fixture
def person(make_staff):
    """A staff member in a group, with a name and an address."""

    def make(group, first_name, email=None, **fields):
        user = make_staff(group)
        user.first_name, user.last_name = first_name, "Example"
        user.email = f"{first_name.lower()}@example.org" if email is None else email
        for name, value in fields.items():
            setattr(user, name, value)
        user.save()
        return user

    return make


@pytest.fixture
def team(person, django_user_model):
    """Two reviewers, an editor, and people who must not hear of submissions."""
    return {
        "reviewer": person("Reviewers", "Rita"),
        "other_reviewer": person("Reviewers", "Omar"),
        "editor": person("Editors", "Ed"),
        "inactive_reviewer": person("Reviewers", "Ines", is_active=False),
        "reviewer_without_address": person("Reviewers", "Nora", email=""),
        "superuser": django_user_model.objects.create_superuser("root", "root@example.org", "pw-for-tests"),
    }


def submitted(make_article, user, **fields):
    return make_article(title="Sleep and Memory", status=Article.Status.IN_REVIEW, publish_at=None,
                        submitted_by=user, submitted_at=timezone.now(), **fields)


def decided(article, reviewer, status, comment="", publish_at=None):
    """The reviewer's decision as the workflow stores it; publishing goes through `publish()` and its rules, so the
    article gets the reference and the recorded review that publishing needs."""
    article.decided_by, article.decided_at, article.decision_comment = reviewer, timezone.now(), comment
    if status != Article.Status.PUBLISHED:
        article.status = status
        article.save()
        return article
    article.citations.create(reference=Reference.objects.create(authors="Walker, M. P.", year=2009,
                                                                title="The role of sleep in cognition and emotion"))
    article.record_review(reviewer=Author.objects.create(name="Review Team", slug="review-team", kind="organisation"),
                          on=timezone.localdate())
    article.save()
    article.publish(by=reviewer, at=publish_at)
    return article


def admin_link(page, settings):
    opts = page._meta
    return settings.SITE_URL + reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[page.pk])


# Submissions


def test_a_submission_tells_each_active_reviewer_but_not_the_submitter(make_article, team, mailoutbox, settings):
    article = submitted(make_article, team["editor"])
    notifications.submission_received(article)
    assert sorted(message.to[0] for message in mailoutbox) == ["omar@example.org", "rita@example.org"]
    message = mailoutbox[0]
    assert message.subject == "Review requested: Sleep and Memory"
    assert "Ed Example submitted the article \"Sleep and Memory\" for medical review" in message.body
    assert admin_link(article, settings) in message.body
    assert "@" not in message.body  # names only: no addresses, nobody else's either


def test_a_reviewer_who_submits_is_not_told_of_their_own_submission(make_article, team, mailoutbox):
    notifications.submission_received(submitted(make_article, team["reviewer"]))
    assert [message.to for message in mailoutbox] == [["omar@example.org"]]


def test_a_hub_revision_goes_to_whoever_may_publish_hubs(make_hub, person, team, mailoutbox, settings):
    hub_publisher = person("Editors", "Hana")
    hub_publisher.user_permissions.add(Permission.objects.get(codename="publish_hub"))
    live = make_hub(title="Depression & Drive")
    revision = make_hub(title="Depression & Drive", slug="depression-drive-revision", is_published=False,
                        draft_of=live, submitted_by=team["editor"], submitted_at=timezone.now())
    notifications.submission_received(revision)
    assert sorted(message.to[0] for message in mailoutbox) == [
        "hana@example.org", "omar@example.org", "rita@example.org"]
    assert mailoutbox[0].subject == "Revision to review: Depression & Drive"
    assert "submitted changes to the live hub" in mailoutbox[0].body
    assert admin_link(revision, settings) in mailoutbox[0].body


# Decisions


def test_changes_requested_tells_the_submitter_with_the_comment(make_article, team, mailoutbox, settings):
    article = submitted(make_article, team["editor"])
    decided(article, team["reviewer"], Article.Status.CHANGES_REQUESTED, comment="Cite the 2019 trial, please.")
    notifications.decision_made(article)
    [message] = mailoutbox
    assert message.to == ["ed@example.org"]
    assert message.body.startswith("Hello Ed,\n")
    assert message.subject == "Changes requested: Sleep and Memory"
    assert "Rita Example asked for changes" in message.body and "Cite the 2019 trial, please." in message.body
    assert admin_link(article, settings) in message.body


def test_approved_and_published_tells_the_submitter(make_article, team, mailoutbox):
    article = decided(submitted(make_article, team["editor"]), team["reviewer"], Article.Status.PUBLISHED)
    notifications.decision_made(article)
    [message] = mailoutbox
    assert message.subject == "Published: Sleep and Memory"
    assert "Rita Example approved and published the article" in message.body


def test_scheduled_says_when_it_goes_live(make_article, team, mailoutbox):
    moment = datetime(2031, 3, 4, 9, 30, tzinfo=ZoneInfo("America/New_York"))
    article = decided(submitted(make_article, team["editor"]), team["reviewer"], Article.Status.PUBLISHED,
                      publish_at=moment)
    notifications.decision_made(article)
    [message] = mailoutbox
    assert message.subject == "Scheduled for March 4, 2031, 09:30 EST: Sleep and Memory"
    assert "scheduled to go live on March 4, 2031, 09:30 EST" in message.body


def test_an_approved_revision_links_to_the_live_page(make_hub, team, mailoutbox, settings):
    live = make_hub(title="Focus")
    revision = make_hub(title="Focus", slug="focus-revision", is_published=False, draft_of=live,
                        submitted_by=team["editor"], submitted_at=timezone.now(),
                        decided_by=team["reviewer"], decided_at=timezone.now())
    Hub.objects.filter(pk=revision.pk).delete()  # merged into the live hub: the mail must not need the row
    notifications.decision_made(revision)
    [message] = mailoutbox
    assert message.subject == "Published: Focus"
    assert admin_link(live, settings) in message.body


def test_nobody_is_told_of_their_own_decision(make_article, team, mailoutbox):
    article = decided(submitted(make_article, team["reviewer"]), team["reviewer"], Article.Status.PUBLISHED)
    notifications.decision_made(article)
    assert mailoutbox == []


# Failures stay out of the admin request


def test_a_mail_server_that_is_down_does_not_break_the_caller(make_article, team, mailoutbox, settings, caplog):
    settings.EMAIL_BACKEND = "tests.test_notifications.MailServerDown"
    article = submitted(make_article, team["editor"])
    with caplog.at_level(logging.WARNING, logger="editorial.notifications"):
        notifications.submission_received(article)  # returns: the task's failure is the worker's business
    assert mailoutbox == []
    assert "not sent to 2 user(s)" in caplog.text


def test_a_queue_that_cannot_take_the_task_does_not_break_the_caller(make_article, team, mailoutbox, settings,
                                                                     caplog):
    settings.TASKS = {"default": {"BACKEND": "tests.test_notifications.QueueDown"}}
    article = submitted(make_article, team["editor"])
    with caplog.at_level(logging.ERROR, logger="editorial.notifications"):
        notifications.submission_received(article)
        notifications.decision_made(decided(article, team["reviewer"], Article.Status.CHANGES_REQUESTED))
    assert mailoutbox == []
    assert "could not be queued" in caplog.text and "went away" in caplog.text


def test_a_failed_send_is_tried_again_later_for_those_it_missed_only(make_article, team, mailoutbox, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.EMAIL_BACKEND = "tests.test_notifications.RefusesOneAddress"
    team["other_reviewer"].email = "refused@example.org"
    team["other_reviewer"].save()
    notifications.submission_received(submitted(make_article, team["editor"]))
    [first] = default_task_backend.results
    assert first.task.call(TaskContext(task_result=first), *first.args) == "retrying"
    assert [message.to for message in mailoutbox] == [["rita@example.org"]]
    retry = default_task_backend.results[-1]
    assert retry.args[3:] == [[team["other_reviewer"].pk], 2]
    assert retry.task.run_after > timezone.now() + timedelta(seconds=notifications.RETRY_SECONDS - 5)
