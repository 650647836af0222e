"""Small factories: each makes one valid object and takes overrides for what a test cares about."""

from datetime import timedelta
from itertools import count

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import timezone

from articles.models import Article
from authors.models import Author
from faqs.models import FAQ
from hubs.models import Hub
from references.models import Reference

_sequence = count(1)


@pytest.fixture
def make_author(db):
    def make(**overrides):
        n = next(_sequence)
        fields = {"name": f"Author {n}", "slug": f"author-{n}", "role": "Neuro-Advisor & Author"}
        return Author.objects.create(**{**fields, **overrides})

    return make


@pytest.fixture
def make_hub(db):
    def make(**overrides):
        n = next(_sequence)
        fields = {"title": f"Hub {n}", "slug": f"hub-{n}", "tagline": f"Tagline {n}", "is_published": True}
        return Hub.objects.create(**{**fields, **overrides})

    return make


@pytest.fixture
def make_reference(db):
    def make(**overrides):
        n = next(_sequence)
        fields = {
            "authors": [{"family": "Russo", "given": "S. J."}, {"family": "Nestler", "given": "E. J."}],
            "year": 2013,
            "title": f"The brain reward circuitry in mood disorders {n}",
            "container": "Nature Reviews Neuroscience",
            "volume": "14",
            "issue": "9",
            "pages": "609–625",
            "doi": f"10.1038/nrn{n}",
        }
        return Reference.objects.create(**{**fields, **overrides})

    return make


@pytest.fixture
def make_article(db, make_hub, make_author, make_reference):
    """A published article (published an hour ago) unless overridden.

    A published one is made the way publishing works (the rules in Site settings hold for it too): written as
    a draft, given its citations (`references`: one new reference unless given) and FAQs (`faqs`: question and
    answer pairs), its medical review recorded (by a clinical review team, today, unless `reviewer`/
    `last_reviewed` are given), then published.
    """
    review_team = []

    def make(**overrides):
        n = next(_sequence)
        fields = {
            "title": f"Article {n}",
            "slug": f"article-{n}",
            "body": f"Opening paragraph of article {n}.\n\n## Why does it matter?\n\nBecause it does.",
            "status": Article.Status.PUBLISHED,
            "publish_at": timezone.now() - timedelta(hours=1),
        }
        fields.update(overrides)
        fields.setdefault("primary_hub", make_hub())
        fields.setdefault("author", make_author())
        tags = fields.pop("tags", [])
        references = fields.pop("references", None)
        faqs = fields.pop("faqs", [])
        publish = fields["status"] == Article.Status.PUBLISHED
        if publish:
            fields["status"] = Article.Status.DRAFT
            if "reviewer" not in fields:
                review_team[:] = review_team or [make_author(name="Clinical Review Team", kind="organisation")]
                fields["reviewer"] = review_team[0]
                fields.setdefault("last_reviewed", timezone.localdate())
            if references is None:
                references = [make_reference()]
        article = Article.objects.create(**fields)
        if tags:
            article.tags.set(tags)
        for order, reference in enumerate(references or []):
            article.citations.create(reference=reference, order=order)
        for order, (question, answer) in enumerate(faqs):
            article.faqs.create(question=question, answer=answer, order=order)
        if publish:
            article.record_review()
            article.publish(at=fields["publish_at"])
        return article

    return make


@pytest.fixture
def make_faq(db):
    def make(**overrides):
        n = next(_sequence)
        return FAQ.objects.create(**{"question": f"Question {n}?", "answer": f"Answer **{n}**.", **overrides})

    return make


@pytest.fixture
def make_staff(db, django_user_model):
    """A staff user in one of the groups the migration creates."""

    def make(group_name):
        n = next(_sequence)
        user = django_user_model.objects.create_user(username=f"staff{n}", password="pw-for-tests", is_staff=True)
        user.groups.add(Group.objects.get(name=group_name))
        return user

    return make


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Production serves hashed names from a manifest made by collectstatic; tests have no manifest."""
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }}


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache may be a shared Redis; no test sees what another left there."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def at_time():
    """`with at_time(moment):` — the clock stands at `moment` inside the block."""

    def travel(moment):
        return time_machine.travel(moment, tick=False)

    return travel


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Tasks (mail after a strategy-call request) run inside the request, as with DEBUG on. Production queues
    them in the database for the worker; tests/test_mail.py runs that path too."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
