"""The review queue staff see (admin home, lists, dashboard) and expired reviews as readers see them."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, review_expires_at
from mindlab.cache import content_version
from mindlab.models import SiteSettings
from tests.test_pages import EMPTY_CACHE_BUDGETS, QUERY_BUDGETS, build_library

HOME = reverse("admin:index")
ARTICLES = reverse("admin:articles_article_changelist")
HUBS = reverse("admin:hubs_hub_changelist")
NEW_YORK = ZoneInfo(django_settings.TIME_ZONE)


@pytest.fixture
def named_staff(make_staff):
    def make(group, first_name):
        user = make_staff(group)
        user.first_name, user.last_name = first_name, "Example"
        user.save()
        return user

    return make


@pytest.fixture
def submit(make_article):
    """An article submitted for review by `user`, `minutes_ago`."""

    def make(user, title, minutes_ago=10, **fields):
        return make_article(title=title, status=Article.Status.IN_REVIEW, publish_at=None, submitted_by=user,
                            submitted_at=timezone.now() - timedelta(minutes=minutes_ago), **fields)

    return make


def queue_row(html, label):
    """The links of one row of the admin home's review queue, as (text, href)."""
    row = re.search(rf"<th scope=\"row\">{re.escape(label)}<br>.*?</th>\s*<td>(.*?)</td>", html, re.DOTALL)
    assert row, f"no row {label!r}"
    return [(text, href.replace("&amp;", "&")) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>',
                                                                             row.group(1))] or row.group(1)


# The admin home


def test_a_reviewer_sees_what_waits_for_their_review_linked_to_the_list(client, named_staff, submit, make_hub):
    reviewer, editor = named_staff("Reviewers", "Rita"), named_staff("Editors", "Ed")
    submit(editor, "First Draft")
    submit(editor, "Second Draft")
    submit(reviewer, "Rita's Own Draft")
    live = make_hub()
    make_hub(title="Hub Revision", is_published=False, review_state="review", draft_of=live, submitted_by=editor,
             submitted_at=timezone.now())
    client.force_login(reviewer)
    html = client.get(HOME).text
    assert queue_row(html, "Waiting for my review") == [("2 articles", f"{ARTICLES}?state=for-me"),
                                                        ("1 hub", f"{HUBS}?state=for-me")]
    listed = client.get(f"{ARTICLES}?state=for-me").text
    assert "First Draft" in listed and "Second Draft" in listed and "Rita&#x27;s Own Draft" not in listed
    assert "Hub Revision" in client.get(f"{HUBS}?state=for-me").text


def test_an_editor_sees_changes_requested_of_them_first_and_no_review_queue(client, named_staff, make_article):
    editor, other_editor = named_staff("Editors", "Ed"), named_staff("Editors", "Eve")
    make_article(title="Ed's Piece", status=Article.Status.CHANGES_REQUESTED, publish_at=None, submitted_by=editor)
    make_article(title="Eve's Piece", status=Article.Status.CHANGES_REQUESTED, publish_at=None,
                 submitted_by=other_editor)
    client.force_login(editor)
    html = client.get(HOME).text
    assert "Waiting for my review" not in html  # editors do not review
    assert html.index("Changes requested of me") < html.index("Changes requested<br>")
    assert queue_row(html, "Changes requested of me") == [("1 article", f"{ARTICLES}?state=mine")]
    assert queue_row(html, "Changes requested") == [("2 articles", f"{ARTICLES}?state=changes")]
    mine = client.get(f"{ARTICLES}?state=mine").text
    assert "Ed&#x27;s Piece" in mine and "Eve&#x27;s Piece" not in mine


def test_scheduled_and_review_overdue_counts_link_to_their_lists(client, named_staff, make_article, make_author):
    reviewer = make_author(kind="organisation")
    make_article(title="Coming Soon", publish_at=timezone.now() + timedelta(days=3), reviewer=reviewer,
                 last_reviewed=timezone.localdate())
    make_article(title="Reviewed Long Ago", reviewer=reviewer, last_reviewed=timezone.localdate() - timedelta(400))
    SiteSettings.objects.update_or_create(pk=1, defaults={"require_medical_review": False})  # a site that allows it
    make_article(title="Never Reviewed", reviewer=None)
    make_article(title="Fresh Review", reviewer=reviewer, last_reviewed=timezone.localdate())
    client.force_login(named_staff("Editors", "Ed"))
    html = client.get(HOME).text
    assert queue_row(html, "Scheduled") == [("1 article", f"{ARTICLES}?state=scheduled")]
    assert queue_row(html, "Review overdue") == [("2 articles", f"{ARTICLES}?review=overdue")]
    assert queue_row(html, "Changes requested of me") == "none"
    scheduled = client.get(f"{ARTICLES}?state=scheduled").text
    assert "Coming Soon" in scheduled and "Fresh Review" not in scheduled


def test_staff_who_cannot_see_pages_see_no_queue(client, make_staff, submit, named_staff):
    submit(named_staff("Editors", "Ed"), "A Draft")
    client.force_login(make_staff("Strategy-call triage"))
    html = client.get(HOME).text
    assert "Review queue" not in html and "Waiting for review" not in html and "A Draft" not in html


def test_waiting_for_review_lists_who_submitted_and_when_newest_last(client, named_staff, submit, make_hub,
                                                                    make_article):
    reviewer, editor, other = named_staff("Reviewers", "Rita"), named_staff("Editors", "Ed"), named_staff(
        "Editors", "Eve")
    submit(editor, "Submitted Yesterday", minutes_ago=24 * 60)
    submit(other, "Submitted Just Now", minutes_ago=1)
    live = make_hub(title="Focus")
    make_hub(title="Focus, Revised", slug="focus-revised", is_published=False, review_state="review", draft_of=live,
             submitted_by=other, submitted_at=timezone.now() - timedelta(hours=2))
    make_article(title="Still A Draft", status=Article.Status.DRAFT, publish_at=None)
    client.force_login(reviewer)
    html = client.get(HOME).text
    waiting = html[html.index("<caption>Waiting for review</caption>"):]
    rows = re.findall(r"<tr><td><a href=\"[^\"]+\">([^<]+)</a> <span class=\"help\">\(([^)]+)\)</span></td>"
                      r"<td>([^<]+)</td>", waiting)
    assert rows == [("Submitted Yesterday", "article", "Ed Example"), ("Focus, Revised", "hub revision", "Eve Example"),
                    ("Submitted Just Now", "article", "Eve Example")]
    yesterday = timezone.localtime(timezone.now() - timedelta(days=1))
    assert yesterday.strftime("%b %-d, %Y") in waiting
    assert "Still A Draft" not in html


def test_the_admin_home_costs_the_same_queries_whatever_the_queue(client, named_staff, submit, make_article,
                                                                   make_hub):
    reviewer, editor = named_staff("Reviewers", "Rita"), named_staff("Editors", "Ed")
    client.force_login(reviewer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(HOME).status_code == 200
        return len(captured)

    submit(editor, "Waiting 0")
    make_article(status=Article.Status.CHANGES_REQUESTED, publish_at=None, submitted_by=editor)
    client.get(HOME)  # per-process lookups (content types, permissions) are made once
    few = queries()
    for n in range(1, 25):  # more than the waiting list shows
        submitted_by = named_staff("Editors", f"Editor{n}")  # a submitter each: no user read per row
        submit(submitted_by, f"Waiting {n}", minutes_ago=n)
        make_hub(title=f"Revision {n}", is_published=False, review_state="review", draft_of=make_hub(),
                 submitted_by=submitted_by, submitted_at=timezone.now())
        make_article(status=Article.Status.CHANGES_REQUESTED, publish_at=None, submitted_by=submitted_by)
        make_article(publish_at=timezone.now() + timedelta(days=n))
    many = queries()
    assert many == few
    html = client.get(HOME).text
    assert html.count('<span class="help">(article)</span>') + html.count("(hub revision)") == 20
    assert "The longest waiting are shown" in html


# The dashboard


def test_dashboard_tells_an_expired_review_from_none_at_all(admin_client, make_article, make_author):
    reviewer = make_author(kind="organisation")
    make_article(title="Review Expired", reviewer=reviewer, last_reviewed=timezone.localdate() - timedelta(400))
    SiteSettings.objects.update_or_create(pk=1, defaults={"require_medical_review": False})  # a site that allows it
    make_article(title="Never Reviewed", reviewer=None)
    make_article(title="Reviewed This Year", reviewer=reviewer, last_reviewed=timezone.localdate())
    html = admin_client.get(reverse("admin:articles_article_dashboard")).text
    expired = html[html.index("Medical review expired (1)"):html.index("Never medically reviewed (1)")]
    never = html[html.index("Never medically reviewed (1)"):html.index("Review due in the next")]
    assert "Review Expired" in expired and "Never Reviewed" not in expired
    assert "Never Reviewed" in never and "Review Expired" not in never
    assert "Reviewed This Year" not in expired + never


# Expired reviews on the public page


@pytest.fixture
def last_reviewed_line(db):
    """Switch Site settings' "say when it was last reviewed once the review has expired"."""

    def switch(on):
        SiteSettings.objects.update_or_create(pk=1, defaults={"show_last_review_when_expired": on})

    return switch


@pytest.fixture
def reviewed_article(make_article, make_author):
    """Published in 2025, reviewed on March 1, 2025: due March 1, 2026, expired from March 2."""
    reviewer = make_author(name="Clinical Review Team", kind="organisation")
    return make_article(title="Sleep and Memory", publish_at=datetime(2025, 1, 1, tzinfo=NEW_YORK),
                        reviewer=reviewer, last_reviewed=date(2025, 3, 1))


def review_line(html):
    return re.sub(r"<[^>]+>", "", re.search(r'<p class="reviewed">(.*?)</p>', html).group(1)).strip()


def at(*moment):
    return time_machine.travel(datetime(*moment, tzinfo=NEW_YORK), tick=False)


@pytest.mark.parametrize(("on", "day", "expected"), [
    (True, (2026, 3, 2), "Last medically reviewed by Clinical Review Team on March 1, 2025"),
    (False, (2026, 3, 2), "✓ Medically reviewed by Clinical Review Team on March 1, 2025"),
    (True, (2026, 3, 1), "✓ Medically reviewed by Clinical Review Team on March 1, 2025"),  # due, not expired
])
def test_the_review_line_says_when_an_expired_review_was_last_done(client, reviewed_article, last_reviewed_line,
                                                                   on, day, expected):
    last_reviewed_line(on)
    with at(*day, 12):
        assert review_line(client.get(reviewed_article.get_absolute_url()).text) == expected


def test_a_cached_article_page_changes_its_review_line_by_itself_when_the_review_expires(
        client, reviewed_article, last_reviewed_line):
    last_reviewed_line(True)
    url = reviewed_article.get_absolute_url()
    with at(2026, 3, 1, 23, 59, 59):
        client.get(url)
        cached = client.get(url)
        assert cached["X-Page-Cache"] == "hit"
        assert review_line(cached.text).startswith("✓ Medically reviewed by")
    with at(2026, 3, 2, 0, 0, 1):
        fresh = client.get(url)
        assert fresh["X-Page-Cache"] == "miss"
        assert review_line(fresh.text).startswith("Last medically reviewed by")


def test_an_expiring_review_is_a_moment_of_change_only_when_the_line_shows_it(reviewed_article, last_reviewed_line):
    midnight = datetime(2026, 3, 2, tzinfo=NEW_YORK)
    assert review_expires_at(reviewed_article.review_due) == midnight
    with at(2026, 2, 1, 12):
        assert Article.objects.next_visibility_change() is None
        last_reviewed_line(True)
        assert Article.objects.next_visibility_change() == midnight
    with at(2026, 3, 2, 12):  # already expired: nothing left to change
        assert Article.objects.next_visibility_change() is None


def test_an_expired_review_keeps_the_article_page_in_its_query_budget(
        client, settings, last_reviewed_line, django_assert_max_num_queries, django_assert_num_queries, make_hub,
        make_article, make_author, make_reference, make_faq):
    settings.PAGE_CACHE = False
    last_reviewed_line(True)
    _, article, _ = build_library(make_hub, make_article, make_author, make_reference, make_faq, 5)
    with time_machine.travel(article.review_due + timedelta(days=40), tick=False):
        client.get(article.get_absolute_url())
        with django_assert_max_num_queries(QUERY_BUDGETS["article"]):
            response = client.get(article.get_absolute_url())
        assert review_line(response.text).startswith("Last medically reviewed by")
        cache.clear()
        content_version()
        with django_assert_num_queries(EMPTY_CACHE_BUDGETS["article"]):
            client.get(article.get_absolute_url())


def test_the_lists_filter_each_state_once_and_keep_the_queue_choices(admin_client):
    for url in (ARTICLES, HUBS):
        html = admin_client.get(url).text
        choices = re.findall(r'<a href="\?[^"]*state=[^"]*"[^>]*>([^<]+)</a>', html)
        for label in ("Draft", "In review", "Waiting for my review", "Changes requested", "Changes requested of me"):
            assert choices.count(label) == 1, (url, choices)
        assert choices.count("Scheduled") == (1 if url == ARTICLES else 0)
        assert "queue=" not in html
