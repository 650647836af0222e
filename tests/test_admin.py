import pytest
from django.contrib import admin
from django.urls import reverse

from articles.models import Article
from hubs.models import Hub
from mindlab.models import SiteSettings
from references.models import Reference
from strategy_calls.models import AccessRecord, StrategyCallRequest
from transfer.models import ContentImport

MODEL_ADMINS = sorted(admin.site._registry, key=lambda model: model._meta.label)
# Requests arrive only through the public form; access records are written by the admin itself; "Import content"
# is a page on a model without a table.
NO_ADD_PAGE = {StrategyCallRequest, AccessRecord, ContentImport}


@pytest.mark.parametrize("model", MODEL_ADMINS, ids=lambda model: model._meta.label)
def test_changelist_and_add_page_load_for_superuser(admin_client, model, make_article, make_faq):
    make_faq(article=make_article())  # so the lists have a row to show
    opts = model._meta
    changelist = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    add = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert changelist.status_code == 200
    # The one site-settings row is made by a migration; a second one cannot be added.
    no_add_page = (
        model in NO_ADD_PAGE
        or opts.app_label == "axes"  # sign-in records are written by django-axes only
        or opts.app_label == "django_tasks_database"  # tasks are queued by the code only
        or (model is SiteSettings and SiteSettings.objects.exists())
    )
    assert add.status_code == (403 if no_add_page else 200)


def test_article_change_page_loads_with_its_inlines(admin_client, make_article, make_faq, make_reference, settings):
    article = make_article()
    article.citations.create(reference=make_reference(), order=0)
    make_faq(article=article, question="Does the FAQ inline show?")
    response = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    assert "Does the FAQ inline show?" in response.text
    assert f'href="{settings.SITE_URL}{article.get_absolute_url()}"' in response.text  # "View on site"


def test_editor_cannot_open_user_admin(client, make_staff):
    client.force_login(make_staff("Editors"))
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 200


def test_triage_group_sees_no_content(client, make_staff):
    client.force_login(make_staff("Strategy-call triage"))
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 403


def citation_rows(article):
    """The citations inline as the change form sends it back, unchanged."""
    citations = list(article.citations.all())
    rows = {"citations-TOTAL_FORMS": str(len(citations)), "citations-INITIAL_FORMS": str(len(citations))}
    for n, citation in enumerate(citations):
        rows.update({f"citations-{n}-id": citation.pk, f"citations-{n}-article": article.pk,
                     f"citations-{n}-reference": citation.reference_id, f"citations-{n}-order": citation.order})
    return rows


def article_form_data(article, **overrides):
    data = {
        "title": article.title,
        "slug": article.slug,
        "excerpt": "",
        "primary_hub": article.primary_hub_id,
        "tags": "sleep, stress",
        "author": article.author_id,
        "key_takeaways": "",
        "body": article.body,
        "status": article.status,
        "publish_at_0": "",
        "publish_at_1": "",
        "expire_at_0": "",
        "expire_at_1": "",
        "reviewer": article.reviewer_id or "",
        "last_reviewed": article.last_reviewed.isoformat() if article.last_reviewed else "",
        "review_interval_months": "12",
        "review_note": "",
        "audio_url": "",
        "audio_duration": "",
        "seo_title": "",
        "meta_description": "",
        "hero_alt": "",
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
        "faqs-TOTAL_FORMS": "0",
        "faqs-INITIAL_FORMS": "0",
        **(citation_rows(article) if article.pk else {}),
    }
    data.update(overrides)
    return data


def test_editor_cannot_publish(client, make_staff, make_article):
    article = make_article(status=Article.Status.IN_REVIEW, publish_at=None)
    client.force_login(make_staff("Editors"))
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert 'name="_publish"' not in client.get(url).text  # not offered
    response = client.post(url, article_form_data(article, _publish="Approve and publish"))  # and refused
    assert response.status_code == 200
    assert "“Approve and publish” is not an action you can take on this page" in response.text
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW


def test_an_editors_edit_of_a_published_article_waits_in_its_revision(client, make_staff, make_article):
    article = make_article(title="Reviewed title")
    client.force_login(make_staff("Editors"))
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, article_form_data(article, title="Edited title", _save_draft="Save draft"))
    revision = article.revisions.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:articles_article_change", args=[revision.pk])
    article.refresh_from_db()
    assert (article.title, revision.title) == ("Reviewed title", "Edited title")


def test_editor_cannot_set_the_reviewer(client, make_staff, make_article, make_author):
    article = make_article(status=Article.Status.DRAFT, publish_at=None)
    reviewer = make_author(kind="organisation")
    client.force_login(make_staff("Editors"))
    url = reverse("admin:articles_article_change", args=[article.pk])
    client.post(url, article_form_data(article, reviewer=reviewer.pk, last_reviewed_0="2026-01-01"))
    article.refresh_from_db()
    assert article.reviewer is None


def test_reviewer_can_review_and_publish(client, make_staff, make_article, make_author, make_reference):
    article = make_article(status=Article.Status.IN_REVIEW, publish_at=None)
    article.citations.create(reference=make_reference())
    reviewer = make_author(kind="organisation")
    client.force_login(make_staff("Reviewers"))
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, article_form_data(
        article, reviewer=reviewer.pk, last_reviewed="2026-11-01", _publish="Approve and publish",
    ))
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.is_published
    assert article.reviewer == reviewer
    assert set(article.tags.names()) == {"sleep", "stress"}


def test_editor_cannot_publish_a_hub(client, make_staff):
    client.force_login(make_staff("Editors"))
    assert 'name="_publish"' not in client.get(reverse("admin:hubs_hub_add")).text
    response = client.post(reverse("admin:hubs_hub_add"), {
        "title": "New hub", "slug": "new-hub", "order": "0", "_publish": "Approve and publish",
        "citations-TOTAL_FORMS": "0", "citations-INITIAL_FORMS": "0",
        "faqs-TOTAL_FORMS": "0", "faqs-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200
    assert "is not an action you can take on this page" in response.text
    assert not Hub.objects.filter(slug="new-hub").exists()


def test_slug_clash_is_a_form_error(admin_client, make_article):
    existing = make_article()
    response = admin_client.post(reverse("admin:articles_article_add"), article_form_data(existing, title="Other"))
    assert response.status_code == 200
    assert "Article with this Slug already exists" in response.text
    assert Article.objects.count() == 1


def test_duplicate_doi_is_a_form_error(admin_client, make_reference):
    make_reference(doi="10.1038/nrn3381")
    response = admin_client.post(reverse("admin:references_reference_add"), {
        "authors": "Someone, A.", "year": "2013", "title": "A copy", "source_type": "journal-article",
        "doi": "https://doi.org/10.1038/NRN3381",
    })
    assert response.status_code == 200
    assert "already in the library" in response.text
    assert Reference.objects.count() == 1


def test_reference_added_through_admin_stores_normalised_doi(admin_client):
    response = admin_client.post(reverse("admin:references_reference_add"), {
        "authors": "Russo, S. J., & Nestler, E. J.", "year": "2013", "title": "Reward circuitry",
        "source_type": "journal-article", "evidence": "review-article", "doi": " https://doi.org/10.1038/NRN3381 ",
    })
    assert response.status_code == 302
    assert Reference.objects.get().doi == "10.1038/nrn3381"


def test_faq_with_two_parents_is_a_form_error(admin_client, make_hub, make_article):
    response = admin_client.post(reverse("admin:faqs_faq_add"), {
        "hub": make_hub().pk, "article": make_article().pk, "question": "Q?", "answer": "A.", "order": "0",
    })
    assert response.status_code == 200
    assert "exactly one hub or one article" in response.text


def test_view_on_site_opens_the_page_on_the_sites_address(admin_client, make_article, settings):
    settings.SITE_URL = "https://www.example.org"
    article = make_article()
    html = admin_client.get(reverse("admin:articles_article_change", args=[article.pk])).text
    assert f'href="https://www.example.org{article.get_absolute_url()}"' in html and "example.com" not in html
