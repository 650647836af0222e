"""A reviewer reads the changes to a 3,000-word article in Chromium, on a laptop and on a phone."""

from datetime import date

import pytest

from articles.models import Article
from authors.models import Author
from hubs.models import Hub
from transfer.demo_library import body_variant

pytestmark = pytest.mark.django_db(transaction=True)


def long_body():
    paragraphs = []
    for n in range(1, 4):
        paragraphs += body_variant(n)[1].split("\n\n")
    body = []
    while sum(len(paragraph.split()) for paragraph in body) < 3000:
        body.append(paragraphs[len(body)])
    return body


@pytest.fixture
def edited_article(live_server, django_user_model):
    django_user_model.objects.create_superuser("reviewer", "reviewer@example.org", "pw-for-browser-tests")
    author, reviewer = Author.objects.create(name="Ann Author", slug="ann"), Author.objects.create(
        name="Dr. Rita Reviewer", slug="rita")
    body = long_body()
    article = Article.objects.create(
        title="Sleep and memory", slug="sleep-and-memory", body="\n\n".join(body), primary_hub=Hub.objects.create(
            title="Sleep", slug="sleep", is_published=True), author=author, status=Article.Status.DRAFT,
        reviewer=reviewer, last_reviewed=date(2025, 1, 10), key_takeaways="Sleep consolidates memory.",
    )
    edited = list(body)
    edited[8] = edited[8].replace(". ", ", as a 2024 trial of 300 adults showed. ", 1)
    edited[30] = "Stop your medication if you sleep badly. " + edited[30]  # what a reviewer must catch
    edited.insert(40, "A new paragraph with <script>alert('x')</script> in it, shown as text.")
    article.body = "\n\n".join(edited)
    article.key_takeaways = "Sleep consolidates memory.\nMorning light helps."
    article._change_reason = "Editor's update"
    article.save()
    article.title = "Sleep and memory: what the studies show"
    article.save()
    return live_server.url, article


def sign_in(page, base):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", "pw-for-browser-tests")
    page.click("input[type=submit]")
    page.wait_for_url(base + "/admin/")


@pytest.mark.parametrize("width", [1280, 360])
def test_reviewer_reads_the_changes_since_the_last_review(edited_article, open_page, screenshot_dir, width):
    base, article = edited_article
    page, watch = open_page(width=width)
    # Django admin's own pages link no icon, so Chromium asks for /favicon.ico: not what this test is about.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    sign_in(page, base)
    page.goto(f"{base}/admin/articles/article/{article.pk}/versions/")
    assert page.locator(".versions tbody tr").first.inner_text().count("Title") == 1
    assert "Key takeaways, Body" in page.locator(".versions tbody tr").nth(1).inner_text()

    page.get_by_role("link", name="Changes since the last medical review").click()
    assert "(since the last medical review)" in page.locator("h2.diff-title").inner_text()
    body = page.locator(".diff-field", has=page.locator("h3", has_text="Body"))
    assert body.locator("ins", has_text="Stop your medication if you sleep badly.").is_visible()
    assert body.locator(".diff-added").inner_text().endswith("<script>alert('x')</script> in it, shown as text.")
    folds = body.locator("details.diff-fold")
    assert folds.count() == 4
    first_fold = folds.first
    assert first_fold.locator(".diff-unit").first.is_hidden()
    page.screenshot(path=screenshot_dir / f"versions-{width}.png", full_page=True)

    first_fold.locator("summary").click()
    assert first_fold.locator(".diff-unit").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert watch.problems == []
