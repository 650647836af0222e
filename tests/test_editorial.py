"""Editorial workflow: roles, revision history, preview, scheduling and expiry, review due, redirects."""

from datetime import date, timedelta

import pytest
from django.contrib.redirects.models import Redirect
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, add_months
from mindlab.models import SiteSettings
from tests.test_admin import article_form_data

# Roles


def test_editor_writes_a_draft_and_submits_it_for_review(client, make_staff, make_hub, make_author):
    client.force_login(make_staff("Editors"))
    hub, author = make_hub(), make_author()
    draft = Article(title="Sleep and Mood", slug="sleep-and-mood", body="Body.", primary_hub=hub, author=author,
                    status=Article.Status.DRAFT)
    response = client.post(reverse("admin:articles_article_add"), article_form_data(draft))
    assert response.status_code == 302
    article = Article.objects.get(slug="sleep-and-mood")
    assert article.status == "draft"
    change = reverse("admin:articles_article_change", args=[article.pk])
    assert client.post(change, article_form_data(article, _submit="Submit for review")).status_code == 302
    article.refresh_from_db()
    assert article.status == "review" and not article.is_published


def test_submit_for_review_action(client, make_staff, make_article):
    client.force_login(make_staff("Editors"))
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)
    client.post(reverse("admin:articles_article_changelist"),
                {"action": "submit_for_review", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "review"


def test_editor_is_not_offered_the_publish_action(client, make_staff, make_article):
    make_article()
    client.force_login(make_staff("Editors"))
    html = client.get(reverse("admin:articles_article_changelist")).text
    assert 'value="submit_for_review"' in html and 'value="publish"' not in html


def test_editor_cannot_write_the_review_note(client, make_staff, make_article):
    article = make_article(status=Article.Status.IN_REVIEW, publish_at=None)
    client.force_login(make_staff("Editors"))
    change = reverse("admin:articles_article_change", args=[article.pk])
    client.post(change, article_form_data(article, review_note="Looks fine to me."))
    article.refresh_from_db()
    assert article.review_note == ""


def test_reviewer_records_the_review_and_readers_see_it(client, make_staff, make_article, make_author,
                                                         make_reference):
    reviewer = make_author(name="Clinical Review Team", kind="organisation")
    article = make_article(status=Article.Status.IN_REVIEW, publish_at=None)
    article.citations.create(reference=make_reference())
    staff = make_staff("Reviewers")
    client.force_login(staff)
    change = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(change, article_form_data(
        article, reviewer=reviewer.pk, last_reviewed="2026-11-01", _publish="Approve and publish",
        review_note="Checked dosage claims against the cited trials.",
    ))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_published and article.review_note.startswith("Checked dosage")
    assert article.review_due == date(2027, 11, 1)
    client.logout()
    html = client.get(article.get_absolute_url()).text
    assert "Medically reviewed by" in html and "Clinical Review Team" in html and "November 1, 2026" in html
    assert "Checked dosage" not in html  # the note is internal


def test_publish_action_publishes_only_what_the_rules_allow_and_says_why_per_article(
        client, make_staff, make_article, make_author, make_reference):
    reviewer = make_author(kind="organisation")
    reviewed = make_article(title="Reviewed", status=Article.Status.IN_REVIEW, publish_at=None, reviewer=reviewer,
                            last_reviewed=date(2026, 11, 1))
    reviewed.citations.create(reference=make_reference())
    reviewed.record_review()
    reviewed.save()
    unreviewed = make_article(title="Unreviewed", status=Article.Status.IN_REVIEW, publish_at=None)
    unreviewed.citations.create(reference=make_reference())
    uncited = make_article(title="Uncited", status=Article.Status.IN_REVIEW, publish_at=None, reviewer=reviewer,
                           last_reviewed=date(2026, 11, 1))
    client.force_login(make_staff("Reviewers"))
    response = client.post(reverse("admin:articles_article_changelist"), {
        "action": "publish", "_selected_action": [reviewed.pk, unreviewed.pk, uncited.pk]}, follow=True)
    for article in (reviewed, unreviewed, uncited):
        article.refresh_from_db()
    assert reviewed.is_published and unreviewed.status == uncited.status == "review"
    assert "1 published." in response.text
    assert ("“Unreviewed” was not published: Record the medical review (reviewer and date) before publishing."
            in response.text)
    assert "“Uncited” was not published: Cite at least one reference before publishing." in response.text


# Revision history


def test_each_save_keeps_a_version_with_who_and_when(admin_client, admin_user, make_article):
    article = make_article(title="First title")
    change = reverse("admin:articles_article_change", args=[article.pk])
    admin_client.post(change, article_form_data(article, title="Second title"))
    versions = list(article.history.order_by("history_date"))
    assert [version.title for version in versions][-2:] == ["First title", "Second title"]
    assert versions[-1].history_user == admin_user


def test_versions_page_shows_the_difference(admin_client, make_article):
    article = make_article(title="First title", body="Line one.\n\nLine two.")
    article.title, article.body = "Second title", "Line one.\n\nLine two, edited."
    article.save()
    response = admin_client.get(reverse("admin:articles_article_versions", args=[article.pk]))
    html = response.text
    assert response.status_code == 200
    assert "<del>First title</del>" in html and "<ins>Second title</ins>" in html
    assert "Line two<ins>, edited</ins>." in html
    assert "Body html" not in html  # derived fields are not compared


def test_restore_brings_the_old_content_back_as_a_new_version(admin_client, make_article):
    article = make_article(title="Original", body="Original body.", status=Article.Status.DRAFT, publish_at=None)
    first = article.history.get()
    article.title, article.body = "Rewritten", "Rewritten body."
    article.save()
    restore = reverse("admin:articles_article_restore_version", args=[article.pk, first.history_id])
    assert admin_client.get(restore).status_code == 405
    assert admin_client.post(restore).status_code == 302
    article.refresh_from_db()
    assert (article.title, article.body) == ("Original", "Original body.")
    assert article.body_html == "<p>Original body.</p>"
    assert article.history.count() == 3 and article.status == Article.Status.DRAFT
    assert article.history.first().history_change_reason.startswith("Restored the version of")


def test_hub_versions_and_restore(admin_client, make_hub):
    hub = make_hub(tagline="Old tagline", is_published=False)
    hub.tagline = "New tagline"
    hub.save()
    old = hub.history.order_by("history_date").first()
    assert "Old tagline" in admin_client.get(reverse("admin:hubs_hub_versions", args=[hub.pk])).text
    admin_client.post(reverse("admin:hubs_hub_restore_version", args=[hub.pk, old.history_id]))
    hub.refresh_from_db()
    assert hub.tagline == "Old tagline"


def test_triage_cannot_see_versions(client, make_staff, make_article):
    article = make_article()
    client.force_login(make_staff("Strategy-call triage"))
    assert client.get(reverse("admin:articles_article_versions", args=[article.pk])).status_code == 403


# Preview of unsaved edits


def test_preview_renders_unsaved_edits_and_saves_nothing(admin_client, make_article):
    article = make_article(title="Saved title", body="Saved body.")
    versions = article.history.count()
    preview = reverse("admin:articles_article_preview", args=[article.pk])
    response = admin_client.post(preview, article_form_data(article, title="Edited title", body="## Edited?\n\nNew."))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1 class=\"page-header__title\">Edited title</h1>" in html
    assert '<h2 id="edited">Edited?</h2>' in html
    assert "Preview — not published" in html
    assert Article.objects.get(pk=article.pk).title == "Saved title"
    assert article.history.count() == versions and not article.revisions.exists()


def test_preview_of_a_new_article(admin_client, make_hub, make_author):
    draft = Article(title="Brand New", slug="brand-new", body="Fresh.", primary_hub=make_hub(), author=make_author(),
                    status=Article.Status.DRAFT)
    response = admin_client.post(reverse("admin:articles_article_preview_new"), article_form_data(draft))
    assert response.status_code == 200 and "Brand New" in response.content.decode()
    assert not Article.objects.filter(slug="brand-new").exists()


def test_preview_with_form_errors_says_what_is_wrong(admin_client, make_article):
    article = make_article()
    preview = reverse("admin:articles_article_preview", args=[article.pk])
    response = admin_client.post(preview, article_form_data(article, title=""))
    assert response.status_code == 400
    assert "nothing to preview yet" in response.text and "title" in response.text
    assert admin_client.get(preview).status_code == 405


def test_change_form_has_a_preview_button(admin_client, make_article):
    html = admin_client.get(reverse("admin:articles_article_change", args=[make_article().pk])).text
    assert 'formaction="preview/"' in html and "Versions</a>" in html


# Scheduled publishing and expiry, on a frozen clock


def test_scheduled_article_appears_at_its_time_everywhere(client, make_article, make_hub, at_time):
    moment = timezone.now().replace(microsecond=0) + timedelta(days=3)
    hub = make_hub()
    article = make_article(title="Scheduled Piece", slug="scheduled-piece", primary_hub=hub, publish_at=moment)
    pages = [hub.get_absolute_url(), "/", reverse("feeds:rss"), reverse("feeds:hub-rss", args=[hub.slug]),
             reverse("sitemap")]
    with at_time(moment - timedelta(seconds=1)):
        assert client.get(article.get_absolute_url()).status_code == 404
        for url in pages:
            assert "scheduled-piece" not in client.get(url).content.decode(), url
    with at_time(moment + timedelta(seconds=1)):
        assert client.get(article.get_absolute_url()).status_code == 200
        for url in pages:
            assert "scheduled-piece" in client.get(url).content.decode(), url


def test_expired_article_disappears_at_its_expiry(client, make_article, at_time):
    expiry = timezone.now().replace(microsecond=0) + timedelta(days=1)
    article = make_article(slug="seasonal-note", expire_at=expiry)
    with at_time(expiry - timedelta(seconds=1)):
        assert client.get(article.get_absolute_url()).status_code == 200
        assert "seasonal-note" in client.get(reverse("sitemap")).content.decode()
    with at_time(expiry + timedelta(seconds=1)):
        assert client.get(article.get_absolute_url()).status_code == 404
        assert "seasonal-note" not in client.get(reverse("sitemap")).content.decode()
        assert not Article.objects.published().filter(pk=article.pk).exists()


def test_expiry_before_publishing_is_refused(make_article):
    article = make_article()
    article.expire_at = article.publish_at - timedelta(minutes=1)
    with pytest.raises(Exception, match="expiry date must come after"):
        article.full_clean()


# Review due and content health


@pytest.mark.parametrize("start,months,expected", [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2026, 11, 15), 12, date(2027, 11, 15)),
    (date(2026, 12, 1), 1, date(2027, 1, 1)),
])
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_review_overdue_filter(admin_client, make_article, make_author, db):
    SiteSettings.objects.update(require_medical_review=False)  # a site that publishes unreviewed articles
    reviewer = make_author(kind="organisation")
    today = timezone.localdate()
    overdue = make_article(title="Reviewed Long Ago", reviewer=reviewer, last_reviewed=today - timedelta(days=400))
    make_article(title="Reviewed Recently", reviewer=reviewer, last_reviewed=today - timedelta(days=30))
    never = make_article(title="Never Reviewed", reviewer=None)
    short_interval = make_article(title="Quarterly Review", reviewer=reviewer,
                                  last_reviewed=today - timedelta(days=100), review_interval_months=3)
    assert set(Article.objects.review_overdue()) == {overdue, never, short_interval}
    html = admin_client.get(reverse("admin:articles_article_changelist") + "?review=overdue").text
    assert "Reviewed Long Ago" in html and "Never Reviewed" in html and "Reviewed Recently" not in html


def test_content_health_finds_missing_alt_text_and_broken_links(admin_client, make_article):
    target = make_article(slug="live-target")
    make_article(slug="draft-target", status=Article.Status.DRAFT, publish_at=None)
    linking = make_article(
        title="Linking Article", status=Article.Status.DRAFT, publish_at=None,
        body="See [live](/articles/live-target/), [draft](/articles/draft-target/) and [gone](/articles/gone/).\n\n"
             "![](/media/scan.png)",
    )
    hero_without_alt = make_article(title="Hero Without Alt")
    Article.objects.filter(pk=hero_without_alt.pk).update(hero_image="heroes/x.png", hero_width=10, hero_height=10)
    assert linking.internal_links == ["draft-target", "gone", "live-target"]
    assert Article.objects.all().with_broken_links() == [(linking, ["draft-target", "gone"])]
    assert set(Article.objects.missing_alt_text()) == {linking, hero_without_alt}
    assert linking in Article.objects.without_references()
    assert target.internal_links == []
    response = admin_client.get(reverse("admin:articles_article_dashboard"))
    html = response.text
    assert response.status_code == 200
    assert "/articles/gone/" in html and "Hero Without Alt" in html
    assert "Medical review expired" in html and "Never medically reviewed" in html and "No references" in html


def test_dashboard_lists_waiting_and_scheduled(admin_client, make_article):
    make_article(title="Waiting Piece", status=Article.Status.IN_REVIEW, publish_at=None)
    make_article(title="Future Piece", publish_at=timezone.now() + timedelta(days=2))
    html = admin_client.get(reverse("admin:articles_article_dashboard")).text
    assert "Waiting Piece" in html and "Future Piece" in html
    assert reverse("admin:articles_article_dashboard") in admin_client.get(reverse("admin:index")).text


# Redirects when a slug changes


def test_slug_change_of_a_published_article_redirects_permanently(client, make_article):
    article = make_article(slug="old-slug")
    article.slug = "new-slug"
    article.save()
    response = client.get("/articles/old-slug/")
    assert response.status_code == 301 and response["Location"] == "/articles/new-slug/"


def test_redirect_chains_collapse(client, make_article):
    article = make_article(slug="a")
    for slug in ("b", "c"):
        article.slug = slug
        article.save()
    assert client.get("/articles/a/")["Location"] == "/articles/c/"
    assert client.get("/articles/b/")["Location"] == "/articles/c/"
    article.slug = "a"  # back to the first address: it must serve the page, not loop
    article.save()
    assert client.get("/articles/a/").status_code == 200
    assert client.get("/articles/c/")["Location"] == "/articles/a/"
    assert not Redirect.objects.filter(old_path="/articles/a/").exists()


def test_draft_slug_change_makes_no_redirect(make_article):
    article = make_article(slug="draft-one", status=Article.Status.DRAFT, publish_at=None)
    article.slug = "draft-two"
    article.save()
    assert not Redirect.objects.exists()


def test_hub_slug_change_redirects(client, make_hub):
    hub = make_hub(slug="stress")
    hub.slug = "chronic-stress"
    hub.save()
    assert client.get("/hubs/stress/")["Location"] == "/hubs/chronic-stress/"


def test_staff_can_add_a_redirect_by_hand(admin_client, client, db):
    response = admin_client.post(reverse("admin:redirects_redirect_add"),
                                 {"site": 1, "old_path": "/old-campaign/", "new_path": "/hubs/x/"})
    assert response.status_code == 302
    assert client.get("/old-campaign/")["Location"] == "/hubs/x/"


def test_an_editors_restore_never_republishes_or_rewrites_the_review(client, make_staff, make_article, make_author):
    reviewer = make_author(kind="organisation")
    article = make_article(title="Published once", reviewer=reviewer, last_reviewed=date(2026, 1, 1))
    published = article.history.first()
    article.title, article.status, article.reviewer, article.last_reviewed = "Withdrawn", "draft", None, None
    article.save()
    client.force_login(make_staff("Editors"))
    restore = reverse("admin:articles_article_restore_version", args=[article.pk, published.history_id])
    assert client.post(restore).status_code == 302
    article.refresh_from_db()
    assert article.title == "Published once"  # the text comes back
    assert (article.status, article.reviewer, article.last_reviewed) == ("draft", None, None)  # nothing else


def test_an_editors_restore_never_republishes_a_hub(client, make_staff, make_hub):
    hub = make_hub(title="Public once")
    public = hub.history.get()
    hub.title, hub.is_published = "Withdrawn", False
    hub.save()
    client.force_login(make_staff("Editors"))
    assert client.post(reverse("admin:hubs_hub_restore_version", args=[hub.pk, public.history_id])).status_code == 302
    hub.refresh_from_db()
    assert (hub.title, hub.is_published) == ("Public once", False)


def test_a_slug_redirect_keeps_the_query_string(client, make_article):
    article = make_article(slug="old-address")
    article.slug = "new-address"
    article.save()
    response = client.get("/articles/old-address/?utm_source=newsletter&page=2")
    assert response.status_code == 301
    assert response["Location"] == "/articles/new-address/?utm_source=newsletter&page=2"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", ""])
def test_sign_in_with_an_unsafe_next_lands_on_the_admin(client, django_user_model, next_url):
    django_user_model.objects.create_user("editor", password="the-right-password", is_staff=True)
    response = client.post(reverse("admin:login"), {"username": "editor", "password": "the-right-password",
                                                    "next": next_url})
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200  # the admin index, not a 404
