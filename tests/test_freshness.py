"""Pages are never stale: after any change an editor makes in the admin, every public page served with the
page cache on is the page rendered with every cache empty. Nothing maps changes to pages, so nothing can
forget one: these tests make the changes the way staff do (the admin's own forms) and compare."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, ArticleCitation, Tag
from authors.models import Author
from faqs.models import FAQ
from hubs.models import Hub
from mindlab.models import SiteSettings
from ops.http import admin_form_values


def edit_in_admin(admin_client, obj, **changes):
    """Open the object's change form in the admin, change some fields, save; the save must succeed."""
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    data = admin_form_values(admin_client.get(url).text, type(obj))
    data.update(changes)
    response = admin_client.post(url, {name: value for name, value in data.items() if value is not None})
    assert response.status_code == 302, getattr(response, "context_data", {}).get("errors") or response.text[:2000]


def create_in_admin(admin_client, model, values):
    """Open the model's add form in the admin, fill it in, save; the save must succeed."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    response = admin_client.post(url, {**admin_form_values(admin_client.get(url).text, model), **values})
    assert response.status_code == 302, getattr(response, "context_data", {}).get("errors") or response.text[:2000]


def delete_in_admin(admin_client, obj):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_delete", args=[obj.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302


@pytest.fixture
def library(make_hub, make_article, make_author, make_reference, make_faq):
    """Two related hubs, four articles with tags, citations and FAQs, an author with credentials, a reviewer."""
    sleep, stress = make_hub(title="Sleep", slug="sleep-hub"), make_hub(title="Stress", slug="stress-hub")
    sleep.related_hubs.add(stress)
    writer = make_author(name="Dr. Ada Reyes", slug="ada-reyes")
    writer.credentials.create(degree="PhD", institution="NYU")
    reviewer = make_author(name="Review Team", slug="review-team", kind="organisation")
    first_ref, second_ref = make_reference(title="First finding"), make_reference(title="Second finding")
    articles = []
    for n, (hub, tags) in enumerate([(sleep, ["sleep", "rest"]), (sleep, ["sleep"]), (stress, ["stress"]),
                                     (stress, ["stress", "rest"])]):
        article = make_article(title=f"Piece {n}", slug=f"piece-{n}", primary_hub=hub, author=writer, tags=tags,
                               reviewer=reviewer, last_reviewed=date(2026, 1, 1), references=[first_ref, second_ref],
                               faqs=[(f"Question {n}?", f"Answer **{n}**.")])
        articles.append(article)
    make_faq(hub=sleep, question="Hub question?")
    sleep.citations.create(reference=first_ref)
    SiteSettings.current()
    return {"hubs": [sleep, stress], "articles": articles, "writer": writer, "reviewer": reviewer,
            "references": [first_ref, second_ref]}


def public_urls():
    urls = ["/", "/feeds/rss/", "/sitemap.xml"]
    urls += [hub.get_absolute_url() for hub in Hub.objects.all()]
    urls += [article.get_absolute_url() for article in Article.objects.all()]
    urls += [author.get_absolute_url() for author in Author.objects.all()]
    urls += [tag.get_absolute_url() for tag in Tag.objects.all()]
    return urls


def pages(client, urls):
    return {url: (response.status_code, response.content) for url in urls for response in [client.get(url)]}


CHANGES = {
    "create an article": lambda admin_client, lib: create_in_admin(admin_client, Article, {
        "title": "A new piece", "slug": "a-new-piece", "body": "New **text**.", "primary_hub": lib["hubs"][0].pk,
        "author": lib["writer"].pk, "tags": "sleep", "_publish": "Approve and publish", "publish_at_0": "2026-01-02",
        "publish_at_1": "10:00:00", "reviewer": lib["reviewer"].pk, "last_reviewed": "2026-01-02",
        "citations-TOTAL_FORMS": "1", "citations-0-reference": lib["references"][0].pk, "citations-0-order": "0",
    }),
    "edit an article's body": lambda admin_client, lib: edit_in_admin(
        admin_client, lib["articles"][0], body="A rewritten body.\n\n## New section\n\nText."),
    "rename an article": lambda admin_client, lib: edit_in_admin(admin_client, lib["articles"][1], title="Renamed"),
    "change an article's slug": lambda admin_client, lib: edit_in_admin(admin_client, lib["articles"][2],
                                                                        slug="moved-piece"),
    "unpublish an article": lambda admin_client, lib: edit_in_admin(admin_client, lib["articles"][3],
                                                                    _unpublish="Unpublish"),
    "delete an article": lambda admin_client, lib: delete_in_admin(admin_client, lib["articles"][1]),
    "re-tag an article": lambda admin_client, lib: edit_in_admin(admin_client, lib["articles"][0],
                                                                 tags="stress, focus"),
    "move an article to another hub": lambda admin_client, lib: edit_in_admin(
        admin_client, lib["articles"][0], primary_hub=lib["hubs"][1].pk),
    "reorder citations": lambda admin_client, lib: edit_in_admin(
        admin_client, lib["articles"][0], **{"citations-0-order": "5", "citations-1-order": "0"}),
    "edit an FAQ": lambda admin_client, lib: edit_in_admin(
        admin_client, lib["articles"][2], **{"faqs-0-answer": "A **new** answer.", "faqs-0-question": "New?"}),
    "edit a reference": lambda admin_client, lib: edit_in_admin(admin_client, lib["references"][0],
                                                                title="A corrected title"),
    "rename an author": lambda admin_client, lib: edit_in_admin(admin_client, lib["writer"], name="Dr. Ada Cole"),
    "change an author's credentials": lambda admin_client, lib: edit_in_admin(
        admin_client, lib["writer"], **{"credentials-0-degree": "MD"}),
    "rename a hub": lambda admin_client, lib: edit_in_admin(admin_client, lib["hubs"][0], title="Sleep & rest"),
    "unpublish a hub": lambda admin_client, lib: edit_in_admin(admin_client, lib["hubs"][1], _unpublish="Unpublish"),
    "empty a hub and delete it": lambda admin_client, lib: (
        [edit_in_admin(admin_client, article, primary_hub=lib["hubs"][0].pk) for article in lib["articles"][2:]],
        delete_in_admin(admin_client, lib["hubs"][1]),
    ),
    "mark a tag sensitive": lambda admin_client, lib: edit_in_admin(
        admin_client, Tag.objects.get(slug="rest"), is_sensitive="on"),
    "change site settings": lambda admin_client, lib: edit_in_admin(
        admin_client, SiteSettings.current(), crisis_notice="Call the new line.", disclaimer="A new disclaimer."),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_every_page_after_an_admin_change_equals_a_fresh_rendering(admin_client, client, library,
                                                                   django_capture_on_commit_callbacks, change):
    before = public_urls()
    old = pages(client, before)  # and every page and fragment cached
    with django_capture_on_commit_callbacks(execute=True):  # the admin's transaction commits
        CHANGES[change](admin_client, library)
    urls = sorted(set(before) | set(public_urls()))
    served = pages(client, urls)
    cache.clear()
    fresh = pages(client, urls)
    stale = [url for url in urls if served[url] != fresh[url]]
    assert not stale, f"stale after '{change}': {stale}"
    assert any(served[url] != old.get(url) for url in urls), "the change reached no page"


def test_a_deleted_hub_leaves_no_link_behind(admin_client, client, library, django_capture_on_commit_callbacks):
    sleep, stress = library["hubs"]
    assert stress.get_absolute_url() in client.get(sleep.get_absolute_url()).text
    with django_capture_on_commit_callbacks(execute=True):
        CHANGES["empty a hub and delete it"](admin_client, library)
    assert stress.get_absolute_url() not in client.get(sleep.get_absolute_url()).text
    assert client.get(stress.get_absolute_url()).status_code == 404


def test_reordered_citations_show_in_their_new_order(admin_client, client, library,
                                                     django_capture_on_commit_callbacks):
    article = library["articles"][0]
    client.get(article.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        CHANGES["reorder citations"](admin_client, library)
    html = client.get(article.get_absolute_url()).text
    assert html.index("Second finding") < html.index("First finding")
    assert list(ArticleCitation.objects.filter(article=article).values_list("reference__title", flat=True)) == [
        "Second finding", "First finding"]


def test_an_faq_edit_shows_at_once(admin_client, client, library, django_capture_on_commit_callbacks):
    article = library["articles"][2]
    client.get(article.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        CHANGES["edit an FAQ"](admin_client, library)
    assert "A <strong>new</strong> answer." in client.get(article.get_absolute_url()).text
    assert FAQ.objects.filter(question="New?").exists()


def test_an_admin_save_costs_the_same_whatever_the_library_size(admin_client, make_article, make_author,
                                                                ):
    def queries_to_rename(articles):
        author = make_author()
        for _ in range(articles):
            make_article(author=author)
        url = reverse("admin:authors_author_change", args=[author.pk])
        data = admin_form_values(admin_client.get(url).text, Author)
        data["name"] = "Renamed"
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.post(url, data).status_code == 302
        return len(captured)

    assert queries_to_rename(60) <= queries_to_rename(5)
