"""The review workflow in Chromium, as an Editor and a Reviewer work it, on the demo site: Editor → submit →
Reviewer → request changes → Editor → resubmit → Reviewer → approve and publish. After each step a visitor
reads the live article, which shows only reviewed text under its "Medically reviewed" line. Screenshots of
each admin step (1280 px) go to tests/browser/screenshots/workflow-*.png."""

from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLE = "/articles/why-motivation-disappears-in-depression/"
DANGEROUS = "If your drive is low, stop taking your medication."
SAFER = "If your drive stays low, talk to your prescriber before you change any medication."
PASSWORD = "a-long-test-password"


def staff_groups():
    """The Editors and Reviewers groups as their migration makes them: a transactional test that ran before
    this one emptied the tables (permissions come back after that; the groups do not)."""
    migration = import_module("mindlab.migrations.0002_staff_groups")
    content = [Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
               for app_label, models in migration.CONTENT_MODELS.items() for model in models
               for action in ("add", "change", "delete", "view")]
    extras = [Permission.objects.get(content_type__app_label=app_label, codename=codename)
              for app_label, codename in migration.REVIEWER_EXTRAS]
    Group.objects.get_or_create(name="Editors")[0].permissions.set(content)
    Group.objects.get_or_create(name="Reviewers")[0].permissions.set(content + extras)


def staff(name, group):
    user = User.objects.create_user(name, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def sign_in(page, site, username):
    page.goto(site + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(site + "/admin/")


def live_article_text(open_page, site):
    """What a visitor reads: the article's body and its review line."""
    page, watch = open_page()
    page.goto(site + ARTICLE)
    body = page.locator(".layout__main > .prose").inner_text()
    reviewed = page.locator("p.reviewed")
    line = reviewed.inner_text() if reviewed.count() else ""
    assert watch.problems == []
    page.context.close()
    return body, line


def shot(page, directory, name, element=None):
    """A 1280 px screenshot of the admin: the top of the page, or the part around `element`."""
    if element:
        page.locator(element).scroll_into_view_if_needed()
    else:
        page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=directory / f"workflow-{name}-1280.png")


def open_article_form(page, site):
    """From the article list, as staff find it: search, then open it."""
    page.goto(site + "/admin/articles/article/?q=why-motivation-disappears")
    page.get_by_role("link", name="Why Motivation Disappears in Depression", exact=True).click()
    page.wait_for_selector("#article_form")


def test_editor_submits_reviewer_sends_back_editor_resubmits_reviewer_approves(demo_site, open_page,
                                                                               screenshot_dir):
    staff_groups()
    staff("edith", "Editors")
    staff("rita", "Reviewers")
    body, line = live_article_text(open_page, demo_site)
    assert line.startswith("✓ Medically reviewed by MindLAB Clinical Review Team") and DANGEROUS not in body

    # The editor edits the live article: the edit goes to a revision for review.
    editor, editor_watch = open_page()
    sign_in(editor, demo_site, "edith")
    open_article_form(editor, demo_site)
    assert "This page is public. Saving keeps your changes in a revision" in editor.content()
    assert editor.locator(".submit-row input[type=submit]").evaluate_all("els => els.map(e => e.value)")[:2] == [
        "Save draft", "Submit for review"]
    assert editor.locator("input[name=_publish]").count() == 0
    shot(editor, screenshot_dir, "1-editor-opens-a-live-article")
    editor.fill("#id_body", editor.input_value("#id_body") + "\n\n" + DANGEROUS)
    editor.locator("input[name=_submit]").first.click()
    editor.wait_for_selector(".messagelist")
    assert "The revision is submitted for review" in editor.locator(".messagelist").inner_text()
    shot(editor, screenshot_dir, "2-editor-submitted-the-revision")
    assert live_article_text(open_page, demo_site) == (body, line)

    # The reviewer finds it waiting, reads what changed, and asks for changes.
    reviewer, reviewer_watch = open_page()
    sign_in(reviewer, demo_site, "rita")
    reviewer.goto(demo_site + "/admin/articles/article/?state=review")
    shot(reviewer, screenshot_dir, "3a-reviewer-lists-what-waits")
    reviewer.get_by_role("link", name="Revision: In review").click()
    reviewer.wait_for_selector("#article_form")
    assert DANGEROUS in reviewer.locator(".revision-changes").inner_text()
    assert "Submitted for review by edith" in reviewer.content()
    shot(reviewer, screenshot_dir, "3-reviewer-opens-the-revision")
    reviewer.fill("#id_decision_comment", "Never tell readers to stop medication. Say: talk to your prescriber.")
    shot(reviewer, screenshot_dir, "4-reviewer-writes-the-comment", "#id_decision_comment")
    reviewer.locator("input[name=_request_changes]").first.click()
    reviewer.wait_for_selector(".messagelist")
    assert "Changes requested" in reviewer.locator(".messagelist").inner_text()
    assert live_article_text(open_page, demo_site) == (body, line)

    # The editor sees the comment, fixes the text and submits again.
    open_article_form(editor, demo_site)  # the live page's form leads to its revision
    assert "you are editing its pending revision" in editor.locator(".messagelist").inner_text()
    assert "Say: talk to your prescriber." in editor.locator(".workflow-notices").inner_text()
    shot(editor, screenshot_dir, "5-editor-sees-the-comment")
    editor.fill("#id_body", editor.input_value("#id_body").replace(DANGEROUS, SAFER))
    editor.locator("input[name=_submit]").first.click()
    editor.wait_for_selector(".messagelist")
    assert live_article_text(open_page, demo_site) == (body, line)

    # The reviewer records the review of the new text and approves it: readers now see it.
    reviewer.goto(demo_site + "/admin/articles/article/?state=review")
    reviewer.get_by_role("link", name="Revision: In review").click()
    reviewer.wait_for_selector("#article_form")
    today = timezone.localdate()
    reviewer.fill("#id_last_reviewed", today.isoformat())
    shot(reviewer, screenshot_dir, "6-reviewer-records-the-review", "#id_last_reviewed")
    reviewer.locator("input[name=_publish]").first.click()
    reviewer.wait_for_selector(".messagelist")
    assert "Approved: the revision is now the live page" in reviewer.locator(".messagelist").inner_text()
    shot(reviewer, screenshot_dir, "7-approved")
    new_body, new_line = live_article_text(open_page, demo_site)
    assert SAFER in new_body and DANGEROUS not in new_body
    assert new_line.endswith(f"on {today:%B} {today.day}, {today.year}")
    assert (editor_watch.problems, reviewer_watch.problems) == ([], [])
