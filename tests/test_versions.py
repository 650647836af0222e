"""Versions cover the whole page (issue 16): a version of an article or hub records its tags, citations in order
and FAQs; the version list and the diff show their changes, "Changes since the last medical review" included;
a restore brings them back into a draft revision, never onto the live page. Every edit is made through the
admin's own forms, as staff make it."""

import pytest
from django.urls import reverse

from articles.models import Article
from hubs.models import Hub
from ops.http import admin_form_values
from references.models import Reference


def change_url(page):
    return reverse(f"admin:{page._meta.app_label}_{page._meta.model_name}_change", args=[page.pk])


def versions_url(page):
    return reverse(f"admin:{page._meta.app_label}_{page._meta.model_name}_versions", args=[page.pk])


def restore_url(page, version):
    return reverse(f"admin:{page._meta.app_label}_{page._meta.model_name}_restore_version",
                   args=[page.pk, version.history_id])


def edit_in_admin(client, page, **changes):
    """Open the page's change form, change some values (None removes one), press the plain save; must succeed."""
    data = admin_form_values(client.get(change_url(page)).text, type(page))
    data.update(changes)
    response = client.post(change_url(page), {name: value for name, value in data.items() if value is not None})
    assert response.status_code == 302, response.text[:3000]
    return response


def cited(page):
    return [str(citation.reference) for citation in page.citations.all()]


def faqs(page):
    return [(faq.question, faq.answer) for faq in page.faqs.all()]


def tags(article):
    return sorted(tag.name for tag in article.tags.all())


@pytest.fixture
def sources(make_reference):
    return (make_reference(authors="Walker, M.", year=2017, title="Why we sleep"),
            make_reference(authors="Smith, J.", year=2020, title="Light and mood"))


@pytest.fixture
def article(make_article, sources):
    """A published article, reviewed, tagged "sleep", citing Walker then Smith, with one FAQ; its lists recorded
    by a save in the admin."""
    return make_article(title="Sleep and Mood", body="Reviewed advice.", tags=["sleep"], references=list(sources),
                        faqs=[("Does sleep matter?", "It does, for mood and memory.")])


def edit_the_lists(client, page, tags=None):
    """Through the page's form: the citations swap places, the FAQ's answer changes and a second FAQ is added."""
    changes = {"citations-0-order": "1", "citations-1-order": "0",
               "faqs-0-answer": "It does, above all for mood.", "faqs-TOTAL_FORMS": "2",
               "faqs-1-question": "How long should I sleep?", "faqs-1-answer": "Seven to nine hours.",
               "faqs-1-order": "1"}
    if tags is not None:
        changes["tags"] = tags
    return edit_in_admin(client, page, **changes)


def test_list_edits_in_the_admin_show_in_the_version_list_and_diff(admin_client, article):
    edit_in_admin(admin_client, article)  # the lists as they stand, recorded
    edit_the_lists(admin_client, article, tags="sleep, memory")
    newest, before = article.history.order_by("-history_id")[:2]
    html = admin_client.get(versions_url(article)).text
    assert (f'<a href="?old={before.history_id}&amp;new={newest.history_id}" title="Compare with the version '
            f'before">Tags, References, FAQs</a>') in html
    # The newest two versions are compared by default.
    assert "#3 · added" not in html
    assert "<ins>memory</ins>" in html  # a tag added
    assert "#1 · moved here from #2" in html and "Was #2 · moved to #1" in html  # the citations' new order
    assert "It does, <del>for mood and memory</del><ins>above all for mood</ins>." in html
    assert "<ins>How long should I sleep? — Seven to nine hours.</ins>" in html


def test_a_version_records_the_lists_inlines_included(admin_client, article, sources):
    edit_the_lists(admin_client, article)
    lists = article.history.order_by("-history_id").first().related_lists
    assert [item["reference_id"] for item in lists["citations"]] == [sources[1].pk, sources[0].pk]
    assert [item["question"] for item in lists["faqs"]] == ["Does sleep matter?", "How long should I sleep?"]
    assert [item["label"] for item in lists["tags"]] == ["sleep"]


def test_changes_since_the_last_medical_review_include_faqs_and_references(admin_client, make_article, sources,
                                                                            make_author):
    article = make_article(title="Drafted", status=Article.Status.DRAFT, references=list(sources),
                           faqs=[("Does sleep matter?", "It does.")])
    reviewer = make_author(name="Dr. Ada Reviewer")
    edit_in_admin(admin_client, article, reviewer=str(reviewer.pk), last_reviewed="2025-01-10")
    reviewed = article.history.filter(reviewer=reviewer).order_by("history_id").first()  # where it was recorded
    edit_in_admin(admin_client, article, **{"faqs-0-answer": "It does not.", "citations-1-DELETE": "on"})
    newest = article.history.order_by("-history_id").first()
    html = admin_client.get(versions_url(article)).text
    link = f'href="?old={reviewed.history_id}&amp;new={newest.history_id}">Changes since the last medical review'
    assert link in html
    compared = admin_client.get(versions_url(article), {"old": reviewed.history_id, "new": newest.history_id}).text
    assert "(since the last medical review)" in compared
    assert "<h3>FAQs</h3>" in compared and "It does<ins> not</ins>." in compared
    assert "<h3>References</h3>" in compared and f"<del>{sources[1]}</del>" in compared


def test_a_restore_brings_back_tags_citations_in_order_and_faqs_into_a_draft_revision(
        admin_client, client, make_staff, article, sources, django_capture_on_commit_callbacks):
    edit_in_admin(admin_client, article, tags="sleep")
    reviewed_version = article.history.order_by("-history_id").first()
    edit_the_lists(admin_client, article, tags="stress")  # a reviewer's own edit goes live
    assert "Medically reviewed by" not in client.get(article.get_absolute_url()).text  # not the reviewed text

    client.force_login(make_staff("Editors"))
    response = client.post(restore_url(article, reviewed_version), follow=True)
    assert "into the pending revision" in response.text
    revision = article.revisions.get()
    assert (tags(revision), cited(revision)) == (["sleep"], [str(sources[0]), str(sources[1])])
    assert faqs(revision) == [("Does sleep matter?", "It does, for mood and memory.")]
    assert revision.status == Article.Status.DRAFT
    # The live page is unchanged until a reviewer approves.
    article.refresh_from_db()
    assert (tags(article), cited(article)) == (["stress"], [str(sources[1]), str(sources[0])])
    client.logout()
    assert "How long should I sleep?" in client.get(article.get_absolute_url()).text
    # The restored text, FAQs and references are the reviewed ones: the review holds for them again.
    assert revision.review_is_current
    with django_capture_on_commit_callbacks(execute=True):  # the content version moves as the commit would
        live = revision.approve()
    assert faqs(live) == [("Does sleep matter?", "It does, for mood and memory.")] and tags(live) == ["sleep"]
    page = client.get(article.get_absolute_url()).text
    assert "How long should I sleep?" not in page and "Medically reviewed by" in page


def test_a_reference_deleted_since_is_named_and_the_rest_restored(admin_client, article, sources):
    edit_in_admin(admin_client, article)
    old = article.history.order_by("-history_id").first()
    edit_in_admin(admin_client, article, **{"citations-1-DELETE": "on"})  # Smith, then deleted from the library
    Reference.objects.filter(pk=sources[1].pk).delete()
    response = admin_client.post(restore_url(article, old), follow=True)
    assert f"Deleted since, so not brought back: {sources[1]}." in response.text
    assert cited(article.revisions.get()) == [str(sources[0])]


def test_an_editors_list_edit_waits_in_the_revision_and_its_version_shows_it(client, make_staff, article):
    client.force_login(make_staff("Editors"))
    edit_the_lists(client, article)
    revision = article.revisions.get()
    assert [item["question"] for item in revision.history.first().related_lists["faqs"]] == [
        "Does sleep matter?", "How long should I sleep?"]
    html = client.get(change_url(revision)).text  # the reviewer's "Changes from the live page"
    assert "<dt>FAQs</dt>" in html and "<ins>How long should I sleep? — Seven to nine hours.</ins>" in html
    assert "<dt>References</dt>" in html
    assert len(faqs(article)) == 1  # the live page keeps its FAQ


def test_hub_versions_cover_citations_and_faqs_and_restore_into_a_revision(admin_client, make_hub, make_faq,
                                                                           sources):
    hub = make_hub(title="Sleep")
    for order, reference in enumerate(sources):
        hub.citations.create(reference=reference, order=order)
    make_faq(hub=hub, question="Does sleep matter?", answer="It does, for mood and memory.")
    edit_in_admin(admin_client, hub)
    old = hub.history.order_by("-history_id").first()
    edit_the_lists(admin_client, hub)
    html = admin_client.get(versions_url(hub)).text
    assert "References, FAQs</a>" in html and "#1 · moved here from #2" in html
    # A hub's FAQ is named with its group's heading: a move to another group is a change.
    assert "<ins>Frequently asked questions — How long should I sleep? — Seven to nine hours.</ins>" in html

    response = admin_client.post(restore_url(hub, old), follow=True)
    assert "into the pending revision" in response.text
    revision = hub.revisions.get()
    assert cited(revision) == [str(sources[0]), str(sources[1])] and len(faqs(revision)) == 1
    assert not revision.is_published
    hub.refresh_from_db()
    assert cited(hub) == [str(sources[1]), str(sources[0])] and len(faqs(hub)) == 2  # live until approved
    assert Hub.objects.published().filter(pk=hub.pk).exists()


def test_a_version_recorded_before_lists_were_kept_restores_the_fields_only(admin_client, make_article):
    article = make_article(status=Article.Status.DRAFT, body="Old body.", faqs=[("Kept?", "Yes.")])
    article.history.update(related_lists=None)  # as versions recorded before this release are
    old = article.history.first()
    edit_in_admin(admin_client, article, body="New body.")
    response = admin_client.post(restore_url(article, old), follow=True)
    assert "the current ones are kept" in response.text
    article.refresh_from_db()
    assert article.body == "Old body." and faqs(article) == [("Kept?", "Yes.")]



def test_a_revision_has_no_view_on_site_link_its_live_page_has(client, make_staff, article):
    client.force_login(make_staff("Editors"))
    edit_the_lists(client, article)
    revision = article.revisions.get()
    assert "View on site" not in client.get(change_url(revision)).text
    client.force_login(make_staff("Reviewers"))
    assert "View on site" not in client.get(change_url(revision)).text
    assert "View on site" in client.get(change_url(article)).text
    client.logout()
    assert client.get(revision.get_absolute_url()).status_code == 404  # where the link led a visitor
