"""Medical-review governance (issue 15): no unreviewed word goes live under a "Medically reviewed" line.

Each rule is checked on every path that can break it: the admin's form, its bulk actions, a restore of an old
version, and the shell (the models' own methods and save()). After each step the public page is read as a
visitor reads it.
"""

import json
import re
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from editorial import notifications
from faqs.models import FAQ
from hubs.models import Hub
from mindlab.models import SiteSettings
from mindlab.search import index_table
from tests.test_admin import article_form_data

UNREVIEWED = "Stop taking your medication."
REVIEWED_LINE = "Medically reviewed by"
TODAY = timezone.localdate()


def change_url(page):
    return reverse(f"admin:{page._meta.app_label}_{page._meta.model_name}_change", args=[page.pk])


def faq_rows(page):
    faqs = list(page.faqs.all())
    rows = {"faqs-TOTAL_FORMS": str(len(faqs)), "faqs-INITIAL_FORMS": str(len(faqs))}
    for n, faq in enumerate(faqs):
        rows.update({f"faqs-{n}-id": faq.pk, f"faqs-{n}-question": faq.question, f"faqs-{n}-answer": faq.answer,
                     f"faqs-{n}-order": faq.order})
    return rows


def public_html(client, page):
    client.logout()
    response = client.get(page.get_absolute_url())
    assert response.status_code == 200
    return response.text


def structured_data(html):
    match = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.DOTALL)
    return next(node for node in json.loads(match.group(1))["@graph"] if node["@type"] == "MedicalWebPage")


@pytest.fixture
def live_article(make_article, make_reference):
    """A published article, reviewed today by the clinical review team, with a citation and an FAQ."""
    return make_article(title="Sleep and Mood", slug="sleep-and-mood", body="Reviewed advice.",
                        references=[make_reference()], faqs=[("Does sleep matter?", "It does.")], tags=["sleep"])


@pytest.fixture
def editor(make_staff):
    return make_staff("Editors")


@pytest.fixture
def reviewer(make_staff):
    return make_staff("Reviewers")


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """`with commits():` runs what waits for the commit (mail, moving the content version) at the block's end, as
    the admin's committed transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def told(monkeypatch):
    """The notifications the workflow sends, as (function name, page title), once the transaction commits."""
    sent = []
    for name in ("submission_received", "decision_made"):
        monkeypatch.setattr(notifications, name, lambda page, name=name: sent.append((name, str(page))))
    return sent


# 1. Revisions of live pages


def test_an_editors_edit_of_a_live_article_waits_in_a_revision_and_readers_keep_the_reviewed_text(
        client, editor, live_article):
    client.force_login(editor)
    response = client.post(change_url(live_article), article_form_data(
        live_article, body=UNREVIEWED, **faq_rows(live_article), _submit="Submit for review"), follow=True)
    revision = live_article.revisions.get()
    assert "The revision is submitted for review" in response.text
    assert (revision.body, revision.status, revision.submitted_by) == (UNREVIEWED, "review", editor)
    assert revision.slug != live_article.slug and revision.draft_of == live_article
    html = public_html(client, live_article)
    assert "Reviewed advice." in html and UNREVIEWED not in html and REVIEWED_LINE in html
    assert client.get(revision.get_absolute_url()).status_code == 404  # a revision is never public
    live_article.refresh_from_db()
    assert live_article.body == "Reviewed advice." and live_article.history.count() == 2  # created, published


def test_a_revision_starts_with_its_own_copies_of_the_pages_relations(live_article, make_hub):
    live_article.hubs.add(make_hub())
    revision = live_article.start_revision()
    assert [faq.question for faq in revision.faqs.all()] == ["Does sleep matter?"]
    assert [c.reference_id for c in revision.citations.all()] == [c.reference_id for c in live_article.citations.all()]
    assert set(revision.tags.names()) == {"sleep"} and list(revision.hubs.all()) == list(live_article.hubs.all())
    revision.faqs.update(answer="Changed in the revision.")
    revision.citations.all().delete()
    assert live_article.faqs.get().answer == "It does." and live_article.citations.count() == 1


def test_an_editor_opening_a_live_page_with_a_revision_is_taken_to_it(client, editor, reviewer, live_article):
    revision = live_article.start_revision()
    client.force_login(editor)
    response = client.get(change_url(live_article), follow=True)
    assert response.redirect_chain == [(change_url(revision), 302)]
    assert "you are editing its pending revision" in response.text
    assert "This is the pending revision of the live page" in response.text
    client.force_login(reviewer)  # a reviewer may edit the live page itself, and is told of the revision
    response = client.get(change_url(live_article))
    assert response.status_code == 200 and "This page has a pending revision (Draft)" in response.text


def test_an_edit_of_a_live_page_whose_revision_opened_meanwhile_is_refused_and_kept_in_the_form(
        client, editor, live_article):
    client.force_login(editor)
    form = article_form_data(live_article, body="My careful edit.", _save_draft="Save draft")
    live_article.start_revision()  # another editor, a moment ago
    response = client.post(change_url(live_article), form)
    assert response.status_code == 200
    assert "This page already has a pending revision" in response.text and "My careful edit." in response.text
    assert live_article.revisions.get().body == "Reviewed advice."


def test_one_pending_revision_per_page_is_a_database_rule(live_article):
    revision = live_article.start_revision()
    with pytest.raises(ValidationError, match="already has a pending revision"):
        live_article.start_revision()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Article.objects.filter(pk=revision.pk).update(status=Article.Status.PUBLISHED)  # never public either


def test_approving_a_revision_carries_it_onto_the_live_page_in_one_step(client, editor, reviewer, live_article,
                                                                         make_author, told, commits):
    client.force_login(editor)
    with commits():
        client.post(change_url(live_article), article_form_data(
            live_article, body="Better reviewed advice.", tags="sleep, mood",
            **{**faq_rows(live_article), "faqs-0-answer": "It does, a lot."}, _submit="Submit for review"))
    revision = live_article.revisions.get()
    assert told == [("submission_received", "Sleep and Mood (revision)")]
    client.force_login(reviewer)
    team = make_author(name="Sleep Clinic Review Board", kind="organisation")
    with commits():
        response = client.post(change_url(revision), article_form_data(
            revision, reviewer=team.pk, last_reviewed=TODAY.isoformat(), **faq_rows(revision),
            tags="sleep, mood", _publish="Approve and publish"), follow=True)
    assert "Approved: the revision is now the live page, at /articles/sleep-and-mood/." in response.text
    assert not Article.objects.filter(pk=revision.pk).exists()
    live_article.refresh_from_db()
    assert (live_article.body, live_article.slug, live_article.reviewer) == (
        "Better reviewed advice.", "sleep-and-mood", team)
    assert live_article.faqs.get().answer == "It does, a lot." and set(live_article.tags.names()) == {"sleep", "mood"}
    assert live_article.decided_by == reviewer and live_article.submitted_by == editor
    assert live_article.history.first().history_change_reason.startswith("Approved a revision submitted by")
    assert told[-1] == ("decision_made", "Sleep and Mood")
    html = public_html(client, live_article)
    assert "Better reviewed advice." in html and "Sleep Clinic Review Board" in html and REVIEWED_LINE in html


def test_approving_changed_text_needs_a_review_of_that_text(client, reviewer, live_article):
    revision = live_article.start_revision()
    revision.body = UNREVIEWED
    revision.save()
    client.force_login(reviewer)
    response = client.post(change_url(revision), article_form_data(
        revision, **faq_rows(revision), _publish="Approve and publish"))  # the old review date, unchanged
    assert response.status_code == 200
    assert "The text has changed since the review of" in response.text
    assert Article.objects.get(pk=live_article.pk).body == "Reviewed advice." and live_article.revisions.exists()
    with pytest.raises(ValidationError, match="text has changed since the review"):
        revision.approve()  # the shell is held to it too


def test_a_reviewers_direct_edit_hides_the_review_line_until_a_review_is_recorded(client, reviewer, live_article,
                                                                                  commits):
    client.force_login(reviewer)
    form = article_form_data(live_article, body=UNREVIEWED, **faq_rows(live_article))
    with commits():
        assert client.post(change_url(live_article), form).status_code == 302  # a reviewer may edit the live page
    html = public_html(client, live_article)
    assert UNREVIEWED in html and REVIEWED_LINE not in html
    assert "reviewedBy" not in structured_data(html) and "lastReviewed" not in structured_data(html)
    client.force_login(reviewer)
    assert "Readers do not see a “Medically reviewed” line" in client.get(change_url(live_article)).text
    reviewed = {**form, "last_reviewed": (TODAY - timedelta(days=1)).isoformat(), "_publish": "Approve"}
    with commits():
        assert client.post(change_url(live_article), reviewed).status_code == 302  # records the review
    html = public_html(client, live_article)
    assert REVIEWED_LINE in html and structured_data(html)["reviewedBy"]["name"] == "Clinical Review Team"


def test_any_change_to_the_reviewed_text_hides_the_line_whatever_the_path(client, live_article,
                                                                          django_capture_on_commit_callbacks):
    assert REVIEWED_LINE in public_html(client, live_article)  # and cached
    with django_capture_on_commit_callbacks(execute=True):
        FAQ.objects.filter(article=live_article).update(answer="An unreviewed answer.")  # no save() at all
    assert REVIEWED_LINE not in public_html(client, live_article)
    with django_capture_on_commit_callbacks(execute=True):
        live_article.faqs.update(answer="It does.")
    assert REVIEWED_LINE in public_html(client, live_article)
    with django_capture_on_commit_callbacks(execute=True):
        live_article.citations.all().delete()
    assert REVIEWED_LINE not in public_html(client, live_article)


def test_the_shell_records_a_review_only_by_changing_the_review_record(live_article):
    live_article.disclaimer = "Different small print."
    live_article.save()
    live_article = Article.objects.get(pk=live_article.pk)
    assert not live_article.review_is_current
    live_article.last_reviewed = TODAY - timedelta(days=1)  # a new review record covers the text saved with it
    live_article.save()
    assert Article.objects.get(pk=live_article.pk).review_is_current


def test_revisions_reach_no_public_page_list_feed_sitemap_or_search(client, live_article, make_article):
    revision = live_article.start_revision()
    revision.title, revision.body = "Zebrafish revision", "Zebrafish sleep in the revision."
    revision.save()
    other = make_article(tags=["sleep"], primary_hub=live_article.primary_hub)
    urls = ["/", live_article.primary_hub.get_absolute_url(), "/tags/sleep/", live_article.author.get_absolute_url(),
            reverse("feeds:rss"), reverse("feeds:atom"), reverse("sitemap"), other.get_absolute_url(),
            "/search/?q=zebrafish", live_article.get_absolute_url()]
    for url in urls:
        html = client.get(url).content.decode()
        assert "Zebrafish" not in html and revision.slug not in html, url
    assert list(Article.objects.published().filter(draft_of__isnull=False)) == []
    assert revision not in Article.objects.related_to(other)
    assert Article.objects.search("zebrafish").count() == 0
    if not Article.objects.filter(search_vector__isnull=False).exists():  # SQLite keeps a table of its own
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {index_table(Article)} WHERE rowid = %s", [revision.pk])
            assert cursor.fetchone()[0] == 0
    else:
        assert Article.objects.get(pk=revision.pk).search_vector is None


def test_pages_cannot_link_to_a_revision(client, reviewer, live_article, make_hub):
    hub = make_hub()
    hub_revision = hub.start_revision()
    client.force_login(reviewer)
    autocomplete = client.get(reverse("admin:autocomplete"), {
        "app_label": "articles", "model_name": "article", "field_name": "primary_hub", "term": hub.title[:3]}).json()
    found = {result["id"] for result in autocomplete["results"]}
    assert str(hub.pk) in found and str(hub_revision.pk) not in found
    response = client.post(change_url(live_article), article_form_data(
        live_article, primary_hub=hub_revision.pk, **faq_rows(live_article)))
    assert response.status_code == 200 and "Select a valid choice" in response.text


# 2. Publishing rules, on every path


def test_the_form_says_what_publishing_needs_beside_each_field(client, reviewer, make_article):
    draft = make_article(status=Article.Status.IN_REVIEW, publish_at=None)
    client.force_login(reviewer)
    response = client.post(change_url(draft), article_form_data(draft, _publish="Approve and publish"))
    form = response.context["adminform"].form
    assert form.errors["reviewer"] == ["Record the medical review (reviewer and date) before publishing."]
    citations = next(inline for inline in response.context["inline_admin_formsets"]
                     if inline.formset.prefix == "citations")
    assert citations.formset.non_form_errors() == ["Cite at least one reference before publishing."]
    html = response.text  # shown at the citations inline, not at the top of the page
    assert html.index("Cite at least one reference") > html.index('id="citations-group"')
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW


def test_the_references_rule_counts_the_rows_in_the_form_not_the_database(client, reviewer, make_article,
                                                                          make_author, make_reference):
    draft = make_article(status=Article.Status.IN_REVIEW, publish_at=None)
    reference = make_reference()
    client.force_login(reviewer)
    response = client.post(change_url(draft), article_form_data(
        draft, reviewer=make_author(kind="organisation").pk, last_reviewed=TODAY.isoformat(),
        _publish="Approve and publish", **{"citations-TOTAL_FORMS": "1", "citations-0-reference": reference.pk,
                                           "citations-0-order": "0"}))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published and draft.citations.get().reference == reference and draft.review_is_current


def test_removing_the_last_reference_of_a_live_article_is_refused(client, reviewer, live_article):
    client.force_login(reviewer)
    response = client.post(change_url(live_article), article_form_data(
        live_article, **faq_rows(live_article), **{"citations-0-DELETE": "on"}))
    assert response.status_code == 200 and "Cite at least one reference before publishing." in response.text
    assert live_article.citations.exists()


def test_the_shell_cannot_publish_what_the_rules_forbid(make_hub, make_author):
    fields = {"title": "Shell", "slug": "shell", "body": "Text.", "primary_hub": make_hub(), "author": make_author()}
    with pytest.raises(ValidationError) as error:
        Article.objects.create(status=Article.Status.PUBLISHED, **fields)
    assert set(error.value.message_dict) == {"reviewer", "citations"}
    assert not Article.objects.exists()
    draft = Article.objects.create(**fields)
    with pytest.raises(ValidationError):
        draft.publish()
    draft.status = Article.Status.PUBLISHED
    with pytest.raises(ValidationError):
        draft.save()
    assert Article.objects.get().status == Article.Status.DRAFT


def test_sites_that_do_not_need_the_rules_switch_them_off(make_hub, make_author):
    SiteSettings.objects.update(require_medical_review=False, require_reference=False)
    article = Article.objects.create(title="Plain", slug="plain", body="Text.", primary_hub=make_hub(),
                                     author=make_author(), status=Article.Status.PUBLISHED)
    assert article.is_published and not article.review_is_current


def test_the_import_calls_one_function_that_returns_each_problem(make_article, make_author, make_reference):
    """What an importer (issue 19) calls: draft in, relations, then publish() or the report of what stops it."""
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)
    assert set(draft.publishing_problems()) == {"reviewer", "citations"}
    draft.citations.create(reference=make_reference())
    draft.record_review(make_author(kind="organisation"), TODAY)
    assert draft.publishing_problems() == {}
    draft.publish()
    assert Article.objects.get(pk=draft.pk).is_published


def test_a_restore_never_publishes_whoever_restores(client, reviewer, make_article):
    article = make_article(title="Published once")
    published = article.history.first()
    article.title, article.status = "Withdrawn", Article.Status.DRAFT
    article.save()
    client.force_login(reviewer)
    client.post(reverse("admin:articles_article_restore_version", args=[article.pk, published.history_id]))
    article.refresh_from_db()
    assert (article.title, article.status) == ("Published once", Article.Status.DRAFT)


def test_restoring_a_published_article_goes_into_its_revision(client, editor, reviewer, live_article):
    first = live_article.history.first()
    live_article.body = "Newer reviewed advice."
    live_article.last_reviewed = TODAY - timedelta(days=1)
    live_article.save()
    restore = reverse("admin:articles_article_restore_version", args=[live_article.pk, first.history_id])
    for user in (editor, reviewer):
        client.force_login(user)
        response = client.post(restore, follow=True)
        assert "into the pending revision" in response.text
        revision = live_article.revisions.get()  # opened by the first restore, updated by the second
        assert revision.body == "Reviewed advice." and revision.slug != live_article.slug
    assert "Newer reviewed advice." in public_html(client, live_article)


# 3. Role-specific actions


def buttons(html):
    """The actions offered, in order (the row of buttons is above the form and below it)."""
    return list(dict.fromkeys(re.findall(r'<input type="submit" name="_(\w+)"', html)))


def test_each_role_is_offered_only_what_it_may_do(client, editor, reviewer, live_article, make_article):
    in_review = make_article(status=Article.Status.IN_REVIEW, publish_at=None)
    client.force_login(editor)
    assert buttons(client.get(reverse("admin:articles_article_add")).text) == ["save_draft", "submit"]
    assert buttons(client.get(change_url(in_review)).text) == ["save_draft", "submit"]
    assert buttons(client.get(change_url(live_article)).text) == ["save_draft", "submit"]
    assert 'name="status"' not in client.get(change_url(in_review)).text  # no status dropdown for anyone
    client.force_login(reviewer)
    assert buttons(client.get(reverse("admin:articles_article_add")).text) == [
        "save_draft", "submit", "publish", "schedule"]
    assert buttons(client.get(change_url(in_review)).text) == [
        "save_draft", "submit", "publish", "schedule", "request_changes"]
    assert buttons(client.get(change_url(live_article)).text) == ["save_draft", "submit", "publish", "unpublish"]
    assert buttons(client.get(change_url(live_article.start_revision())).text) == ["save_draft", "submit", "publish"]


@pytest.mark.parametrize("action", ["publish", "schedule", "request_changes", "unpublish"])
def test_a_forged_action_is_refused(client, editor, make_article, action):
    article = make_article(status=Article.Status.IN_REVIEW, publish_at=None, decision_comment="Fine.")
    client.force_login(editor)
    response = client.post(change_url(article), article_form_data(
        article, publish_at_0="2030-01-01", publish_at_1="09:00:00", decision_comment="Fine.",
        **{f"_{action}": "x"}))
    assert response.status_code == 200 and "is not an action you can take on this page" in response.text
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


def test_a_reviewer_cannot_take_an_action_the_page_does_not_offer(client, reviewer, make_article, make_hub):
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)
    client.force_login(reviewer)
    response = client.post(change_url(draft), article_form_data(draft, decision_comment="No.",
                                                                _request_changes="Request changes"))
    assert "is not an action you can take on this page" in response.text  # nothing was submitted
    hub = make_hub()
    response = client.post(change_url(hub), {"title": hub.title, "slug": hub.slug, "order": "0", "_schedule": "x",
                                              "citations-TOTAL_FORMS": "0", "citations-INITIAL_FORMS": "0",
                                              "faqs-TOTAL_FORMS": "0", "faqs-INITIAL_FORMS": "0"})
    assert "is not an action you can take on this page" in response.text  # hubs have no schedule


def test_schedule_confirms_the_time_in_the_sites_time_zone(client, reviewer, make_article, make_author,
                                                           make_reference, settings):
    article = make_article(status=Article.Status.IN_REVIEW, publish_at=None, references=[make_reference()])
    client.force_login(reviewer)
    response = client.post(change_url(article), article_form_data(
        article, reviewer=make_author(kind="organisation").pk, last_reviewed=TODAY.isoformat(),
        publish_at_0="2030-03-04", publish_at_1="09:30:00", _schedule="Schedule"), follow=True)
    assert (f"goes public on Monday, March 4, 2030, 09:30 ({settings.TIME_ZONE} time)."
            in response.text)
    article.refresh_from_db()
    assert article.state == "scheduled" and not article.is_published and article.review_is_current
    response = client.post(change_url(article), article_form_data(
        article, publish_at_0="2020-03-04", publish_at_1="09:30:00", _schedule="Schedule"))
    assert response.context["adminform"].form.errors["publish_at"] == [
        "Give a publish date in the future to schedule, or approve and publish now."]


def test_request_changes_sends_the_page_back_with_a_comment_the_editor_sees(client, editor, reviewer, make_article,
                                                                            told, commits):
    article = make_article(title="Needs Work", status=Article.Status.IN_REVIEW, publish_at=None)
    client.force_login(reviewer)
    response = client.post(change_url(article), article_form_data(article, _request_changes="Request changes"))
    assert response.context["adminform"].form.errors["decision_comment"] == [
        "Say what to change: the editor sees this comment."]
    with commits():
        client.post(change_url(article), article_form_data(
            article, decision_comment="Cite the 2019 trial for the dosage claim.", _request_changes="Request changes"))
    article.refresh_from_db()
    assert (article.status, article.decided_by) == (Article.Status.CHANGES_REQUESTED, reviewer)
    assert told == [("decision_made", "Needs Work")]
    client.force_login(editor)
    assert "Cite the 2019 trial for the dosage claim." in client.get(change_url(article)).text
    listing = client.get(reverse("admin:articles_article_changelist")).text
    assert "Changes requested: “Cite the 2019 trial for the dosage claim.”" in listing
    client.post(change_url(article), article_form_data(article, _submit="Submit for review"))
    article.refresh_from_db()
    assert (article.status, article.submitted_by) == (Article.Status.IN_REVIEW, editor)


def test_hub_workflow_revision_and_approval(client, editor, reviewer, make_hub, commits):
    hub = make_hub(title="Stress", tagline="Reviewed tagline.")
    client.force_login(editor)
    form = {"title": "Stress", "slug": hub.slug, "tagline": "An unreviewed tagline.", "order": "0",
            "citations-TOTAL_FORMS": "0", "citations-INITIAL_FORMS": "0", "faqs-TOTAL_FORMS": "0",
            "faqs-INITIAL_FORMS": "0"}
    client.post(change_url(hub), {**form, "_submit": "Submit for review"})
    revision = hub.revisions.get()
    assert revision.workflow_status == "review" and not revision.is_published
    assert "Reviewed tagline." in public_html(client, hub)
    client.force_login(reviewer)
    with commits():
        client.post(change_url(revision), {**form, "slug": revision.slug, "_publish": "Approve and publish"})
    assert "An unreviewed tagline." in public_html(client, hub) and not Hub.objects.filter(pk=revision.pk).exists()


def test_a_hubs_display_order_changes_at_once_from_the_list(client, editor, make_hub):
    hub = make_hub(order=3)
    client.force_login(editor)
    response = client.post(reverse("admin:hubs_hub_changelist"), {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": hub.pk, "form-0-order": "1",
        "_save": "Save"})
    assert response.status_code == 302
    hub.refresh_from_db()
    assert hub.order == 1 and not hub.revisions.exists()  # the order is no word a reader reads


# 4. States in lists and filters


def test_the_article_list_shows_and_filters_computed_states(admin_client, make_article):
    now = timezone.now()
    make_article(title="Draft Piece", status=Article.Status.DRAFT, publish_at=None)
    make_article(title="Waiting Piece", status=Article.Status.IN_REVIEW, publish_at=None)
    make_article(title="Returned Piece", status=Article.Status.CHANGES_REQUESTED, publish_at=None)
    make_article(title="Future Piece", publish_at=now + timedelta(days=2))
    live = make_article(title="Live Piece")
    make_article(title="Old Piece", publish_at=now - timedelta(days=9), expire_at=now - timedelta(days=1))
    live.start_revision().submit()
    changelist = reverse("admin:articles_article_changelist")
    expected = {"draft": {"Draft Piece"}, "review": {"Waiting Piece", "Live Piece"},
                "changes": {"Returned Piece"}, "scheduled": {"Future Piece"}, "published": {"Live Piece"},
                "expired": {"Old Piece"}}
    for state, titles in expected.items():
        html = admin_client.get(changelist, {"state": state}).text
        shown = set(re.findall(r'<th class="field-title"><a href="[^"]+">([^<]+)</a>', html))
        assert shown == titles, state
    html = admin_client.get(changelist).text
    assert "<td class=\"field-state\">Scheduled</td>" in html and "Revision: In review" in html
    assert "(revision)" not in html  # revisions are not rows of their own here
    assert "Live Piece (revision)" in admin_client.get(changelist, {"rows": "revisions"}).text


def test_the_dashboard_lists_revisions_waiting_and_checks_only_live_pages(admin_client, live_article):
    revision = live_article.start_revision()
    revision.citations.all().delete()
    revision.submit()
    html = admin_client.get(reverse("admin:articles_article_dashboard")).text
    waiting = html[html.index("Waiting for review"):html.index("Scheduled (")]
    assert "Sleep and Mood (revision)" in waiting
    no_references = html[html.index("No references ("):]
    assert "Sleep and Mood" not in no_references.split("</div>")[0]


# The migration that brings existing reviews into the fingerprint


def test_existing_reviews_keep_their_line_only_if_the_text_is_unchanged_since(make_article):
    untouched = make_article(title="Untouched since its review")
    edited = make_article(title="Edited after its review")
    edited.body = UNREVIEWED
    edited.save()
    Article.objects.update(reviewed_fingerprint="")
    import_module("articles.migrations.0013_editorial_workflow").record_reviews(apps, None)
    assert Article.objects.get(pk=untouched.pk).review_is_current
    assert not Article.objects.get(pk=edited.pk).review_is_current


def test_an_editor_cannot_change_a_live_pages_faq_behind_its_back(client, editor, reviewer, live_article):
    faq = live_article.faqs.get()
    url = reverse("admin:faqs_faq_change", args=[faq.pk])
    data = {"article": live_article.pk, "question": faq.question, "answer": UNREVIEWED, "order": "0"}
    client.force_login(editor)
    assert client.post(url, data).status_code == 403
    response = client.post(reverse("admin:faqs_faq_add"), {**data, "question": "New?"})
    assert "is published: add or change its FAQs on its own form" in response.text
    assert list(live_article.faqs.values_list("answer", flat=True)) == ["It does."]
    client.force_login(reviewer)
    assert client.post(url, data).status_code == 302  # a reviewer's edit is a direct edit (the line then goes)


def test_a_revision_keeps_the_pages_address_and_dates(client, editor, reviewer, live_article):
    client.force_login(editor)
    assert 'name="slug"' not in client.get(change_url(live_article)).text  # read-only: not the editor's to move
    client.force_login(reviewer)
    form = article_form_data(live_article, slug="moved", **faq_rows(live_article), _save_draft="Save draft",
                             publish_at_0=live_article.publish_at.strftime("%Y-%m-%d"),
                             publish_at_1=timezone.localtime(live_article.publish_at).strftime("%H:%M:%S"))
    response = client.post(change_url(live_article), form)
    assert response.context["adminform"].form.errors["slug"] == [
        "A revision keeps its page's address and publishing dates: change them on the page itself, with "
        "“Approve and publish”."]
    assert not live_article.revisions.exists()
    form.pop("_save_draft")
    assert client.post(change_url(live_article), {**form, "_publish": "Approve"}).status_code == 302
    assert Article.objects.get(pk=live_article.pk).slug == "moved"


def test_a_reviewer_can_take_down_a_page_that_breaks_the_rules(client, reviewer, live_article, commits):
    with commits():
        live_article.citations.all().delete()  # say, a reference withdrawn by its journal
        client.force_login(reviewer)
        response = client.post(change_url(live_article), article_form_data(
            live_article, **faq_rows(live_article), _unpublish="Unpublish"), follow=True)
    assert "Unpublished: the page is a draft and gone from the site." in response.text
    assert Article.objects.get(pk=live_article.pk).status == Article.Status.DRAFT
    client.logout()
    assert client.get(live_article.get_absolute_url()).status_code == 404
