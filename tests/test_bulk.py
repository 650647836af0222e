"""update_columns() (mindlab/bulk.py): what bulk_update() stored, written as one UPDATE sent for many rows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from hubs.models import Hub
from mindlab.bulk import update_columns


def test_update_columns_stores_the_named_fields_of_each_row_and_no_other(make_article):
    first, second = make_article(title="First"), make_article(title="Second")
    until = timezone.now() + timedelta(days=2)
    first.related_html, first.related_until, first.title = "<p>one</p>", until, "Not saved"
    second.related_html, second.related_until = "<p>two</p>", None

    assert update_columns([first, second], ["related_html", "related_until"]) == 2

    first.refresh_from_db(), second.refresh_from_db()
    assert (first.related_html, first.related_until, first.title) == ("<p>one</p>", until, "First")
    assert (second.related_html, second.related_until, second.title) == ("<p>two</p>", None, "Second")


def test_update_columns_prepares_json_as_save_does(make_hub):
    hub = make_hub()
    hub.listing, hub.listing_count = ["<article>a “card”</article>", "<article>b</article>"], 2
    update_columns([hub], ["listing", "listing_count"])
    stored = Hub.objects.get(pk=hub.pk)
    assert (stored.listing, stored.listing_count) == (hub.listing, 2)


def test_update_columns_with_no_rows_sends_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert update_columns([], ["related_html"]) == 0


def test_update_columns_refuses_the_primary_key(make_article):
    with pytest.raises(ValueError, match="primary key"):
        update_columns([make_article()], ["id"])
    assert Article.objects.count() == 1
