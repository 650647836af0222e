"""Citing many references in one step: BibTeX, RIS or CSL-JSON pasted into an article's or hub's change form is
matched to (or added to) the library and cited after the page's citations, in the pasted order, where the inline's
citations go (the page, or its pending revision). Every save is made through the admin's own form."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from ops.http import admin_form_values
from references.models import Reference

FIELD = "paste_references"
BIBTEX = """
@article{walker2017, author = {Walker, Matthew P.}, title = {Why we sleep}, journal = {Sleep}, year = {2017},
  doi = {10.1000/walker2017}}
@article{smith2020, author = {Smith, Jane}, title = {Light and mood}, journal = {Mood}, year = {2020},
  doi = {10.1000/smith2020}}
@book{jones2019, author = {Jones, Ann}, title = {The rested brain}, publisher = {Brain Press}, year = {2019}}
"""
BROKEN = "@article{broken, title = {No closing brace}, year = {2020},\n"


def change_url(page):
    return reverse(f"admin:{page._meta.app_label}_{page._meta.model_name}_change", args=[page.pk])


def save_in_admin(client, page, status=302, **changes):
    """Open the page's change form, change some values, press the button given (plain save otherwise)."""
    data = admin_form_values(client.get(change_url(page)).text, type(page))
    data.update(changes)
    response = client.post(change_url(page), data)
    assert response.status_code == status, response.text[:3000]
    return response


def cited(page):
    return [citation.reference.title for citation in page.citations.select_related("reference")]


@pytest.fixture
def editor(make_staff):
    return make_staff("Editors")


@pytest.fixture
def draft(make_article, make_reference):
    return make_article(status=Article.Status.DRAFT, publish_at=None,
                        references=[make_reference(title="Already cited")])


def test_pasted_bibtex_is_cited_after_the_existing_citations_in_order(admin_client, draft):
    save_in_admin(admin_client, draft, **{FIELD: BIBTEX})
    assert cited(draft) == ["Already cited", "Why we sleep", "Light and mood", "The rested brain"]
    assert Reference.objects.filter(title__in=["Why we sleep", "Light and mood", "The rested brain"]).count() == 3


def test_pasting_the_same_entries_again_duplicates_nothing(admin_client, draft):
    save_in_admin(admin_client, draft, **{FIELD: BIBTEX})
    response = save_in_admin(admin_client, draft, **{FIELD: BIBTEX})
    assert cited(draft) == ["Already cited", "Why we sleep", "Light and mood", "The rested brain"]
    assert Reference.objects.count() == 4
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert "Pasted references: 0 cited (0 new to the library), 3 already cited." in messages


def test_an_entry_whose_doi_is_in_the_library_is_matched_not_copied(admin_client, draft, make_reference):
    existing = make_reference(title="Light and mood (as the library has it)", doi="10.1000/SMITH2020")
    save_in_admin(admin_client, draft, **{FIELD: BIBTEX})
    assert draft.citations.filter(reference=existing).exists()
    assert cited(draft) == ["Already cited", "Why we sleep", "Light and mood (as the library has it)",
                            "The rested brain"]
    assert not Reference.objects.filter(title="Light and mood").exists()


def test_an_entry_that_cannot_be_read_is_an_error_beside_the_field_and_nothing_is_saved(admin_client, draft):
    response = save_in_admin(admin_client, draft, status=200, title="A new title", **{FIELD: BIBTEX + BROKEN})
    errors = response.context["adminform"].form.errors[FIELD]
    assert "broken" in errors[0] and "Nothing was saved" in errors[0]
    html = response.text  # beside the field: after its label, before the citations inline
    assert html.index("Add references</h2>") < html.rindex(errors[0][:20]) < html.index('id="citations-group"')
    draft.refresh_from_db()
    assert draft.title != "A new title" and cited(draft) == ["Already cited"]
    assert Reference.objects.count() == 1


def test_an_entry_the_library_would_refuse_is_an_error_and_nothing_is_saved(admin_client, draft):
    bad_doi = '[{"id": "bad", "type": "article-journal", "title": "A bad link", "URL": "not a link"}]'
    response = save_in_admin(admin_client, draft, status=200, **{FIELD: bad_doi})
    assert "(bad) could not be saved: url" in response.context["adminform"].form.errors[FIELD][0]
    assert cited(draft) == ["Already cited"] and Reference.objects.count() == 1


def test_an_editors_paste_on_a_live_article_waits_in_its_revision(client, editor, make_article, make_reference):
    live = make_article(references=[make_reference(title="Already cited")])
    client.force_login(editor)
    save_in_admin(client, live, _submit="Submit for review", **{FIELD: BIBTEX})
    revision = live.revisions.get()
    assert cited(revision) == ["Already cited", "Why we sleep", "Light and mood", "The rested brain"]
    assert cited(live) == ["Already cited"]  # readers see the reviewed list until approval
    assert [item["label"].split(" — ")[0] for item in revision.history.first().related_lists["citations"]] == [
        str(citation.reference) for citation in revision.citations.all()]
    revision.record_review()
    revision.publish()  # a reviewer approves
    live.refresh_from_db()
    assert cited(live) == ["Already cited", "Why we sleep", "Light and mood", "The rested brain"]


def test_the_version_recorded_by_the_save_includes_the_pasted_citations(admin_client, draft):
    save_in_admin(admin_client, draft, **{FIELD: BIBTEX})
    version = draft.history.order_by("-history_id").first()
    assert [item["reference_id"] for item in version.related_lists["citations"]] == [
        citation.reference_id for citation in draft.citations.all()]
    assert len(version.related_lists["citations"]) == 4


def test_pasted_entries_count_for_the_publishing_rule(client, make_staff, make_article, make_author):
    draft = make_article(status=Article.Status.IN_REVIEW, publish_at=None, references=[])
    client.force_login(make_staff("Reviewers"))
    save_in_admin(client, draft, reviewer=make_author(kind="organisation").pk,
                  last_reviewed=timezone.localdate().isoformat(), _publish="Approve and publish", **{FIELD: BIBTEX})
    draft.refresh_from_db()
    assert draft.is_published and cited(draft) == ["Why we sleep", "Light and mood", "The rested brain"]


def test_a_hub_takes_pasted_references_too(admin_client, make_hub):
    hub = make_hub()
    save_in_admin(admin_client, hub, **{FIELD: BIBTEX})
    assert cited(hub) == ["Why we sleep", "Light and mood", "The rested brain"]
