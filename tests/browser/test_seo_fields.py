"""The SEO fields of an article's admin form in Chromium, on a laptop (1280 px) and a phone (390 px): the counters
and the search-result preview follow the typing, a long pasted meta description is kept whole after saving, and
a new article's slug is suggested from its long title. Screenshots: tests/browser/screenshots/seo-fields-*.png."""

import pytest

from articles.models import Article
from authors.models import Author
from hubs.models import Hub

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-for-browser-tests"
# 186 characters, pasted from a brief: it used to be cut at 160, mid-word, without a word said.
DESCRIPTION = (
    "How depression changes the brain's reward and motivation circuits, why drive fades before mood does, and "
    "which treatments restore dopamine signalling — told by MindLAB's neuroscientists."
)
LONG_TITLE = ("The Neuroscience of Why Motivation Disappears in Depression and What the Latest Research on "
              "Dopamine Tells Us About Getting It Back")


@pytest.fixture
def draft(live_server, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    article = Article.objects.create(
        title="Why motivation disappears in depression", slug="why-motivation-disappears",
        body="Drive fades first.\n\n## What changes\n\nThe reward circuit quietens.",
        excerpt="Drive fades before mood does: what the reward circuit does in depression.",
        primary_hub=Hub.objects.create(title="Depression", slug="depression", is_published=True),
        author=Author.objects.create(name="Ann Author", slug="ann"), status=Article.Status.DRAFT,
    )
    return live_server.url, article


def sign_in(page, base):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(base + "/admin/")


@pytest.mark.parametrize("width", [1280, 390])
def test_counters_and_preview_follow_typing_and_a_long_pasted_description_is_kept_whole(draft, open_page,
                                                                                        screenshot_dir, width):
    assert len(DESCRIPTION) == 186
    base, article = draft
    page, watch = open_page(width=width)
    sign_in(page, base)
    page.goto(f"{base}/admin/articles/article/{article.pk}/change/")
    counter, preview = page.locator("#id_meta_description_counter"), page.locator(".seo-preview")
    assert "0 characters" in counter.inner_text()
    # No meta description yet: the preview shows the excerpt, as a search engine might.
    assert preview.locator(".seo-preview__description").inner_text() == article.excerpt

    page.locator("#id_seo_title").fill("Motivation and depression")
    assert preview.locator(".seo-preview__title").inner_text() == "Motivation and depression | MindLAB Neuroscience"
    assert "48 characters" in page.locator("#id_seo_title_counter").inner_text()
    page.locator("#id_seo_title").fill("Why motivation disappears in depression, and how it comes back | MindLAB "
                                       "Neuroscience")
    title_counter = page.locator("#id_seo_title_counter")
    assert "85 characters" in title_counter.inner_text()  # the site's name is not added twice
    assert "seo-counter--warning" in title_counter.locator("xpath=..").get_attribute("class")
    assert preview.locator(".seo-preview__title").inner_text().count("MindLAB Neuroscience") == 1

    page.locator("#id_meta_description").focus()
    page.keyboard.insert_text(DESCRIPTION)  # what a paste does: the whole text at once, one input event
    assert page.locator("#id_meta_description").input_value() == DESCRIPTION
    assert "186 characters" in counter.inner_text() and "Long" in counter.inner_text()
    assert "seo-counter--warning" in counter.locator("xpath=..").get_attribute("class")
    assert preview.locator(".seo-preview__description").inner_text() == DESCRIPTION  # cut on screen only
    assert preview.locator(".seo-preview__url").inner_text().endswith("articles › why-motivation-disappears")
    preview.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / f"seo-fields-preview-{width}.png")

    page.click("input[name=_save_draft]")
    page.wait_for_selector(".messagelist")
    article.refresh_from_db()
    assert article.meta_description == DESCRIPTION
    assert page.locator("#id_meta_description").input_value() == DESCRIPTION
    assert watch.problems == []


def test_slug_is_suggested_from_a_long_title_on_a_new_article(draft, open_page, screenshot_dir):
    base, article = draft
    page, watch = open_page(width=1280)
    sign_in(page, base)
    page.goto(f"{base}/admin/articles/article/add/")
    page.locator("#id_title").press_sequentially(LONG_TITLE[:60])
    page.locator("#id_title").fill(LONG_TITLE)
    slug = page.locator("#id_slug").input_value()
    assert slug == "neuroscience-motivation-disappears-depression-latest"
    assert len(slug) <= 60
    page.locator("#id_slug").fill("motivation-and-depression")  # the editor's own slug is kept
    page.locator("#id_title").fill(LONG_TITLE + " Again")
    assert page.locator("#id_slug").input_value() == "motivation-and-depression"
    page.locator("#id_slug").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "seo-fields-slug-1280.png")

    # An existing article keeps its address until the editor asks for a suggestion.
    page.goto(f"{base}/admin/articles/article/{article.pk}/change/")
    page.locator("#id_title").fill(LONG_TITLE)
    assert page.locator("#id_slug").input_value() == "why-motivation-disappears"
    page.get_by_role("button", name="Suggest from title").click()
    assert page.locator("#id_slug").input_value() == "neuroscience-motivation-disappears-depression-latest"
    assert watch.problems == []


def test_a_new_hub_gets_the_same_counters_preview_and_slug(draft, open_page, screenshot_dir):
    base, _ = draft
    page, watch = open_page(width=1280)
    sign_in(page, base)
    page.goto(f"{base}/admin/hubs/hub/add/")
    page.locator("#id_title").fill("The Anxious Brain: What Happens When the Alarm Will Not Switch Off")
    slug = "anxious-brain-happens-alarm-not-switch-off"
    assert page.locator("#id_slug").input_value() == slug
    page.locator("#id_tagline").fill("Threat detection, the amygdala and how the brain learns that it is safe.")
    preview = page.locator(".seo-preview")
    assert preview.locator(".seo-preview__description").inner_text().startswith("Threat detection")
    assert preview.locator(".seo-preview__url").inner_text().endswith(f"hubs › {slug}")
    assert "seo-counter--warning" in page.locator("#id_seo_title_counter").locator("xpath=..").get_attribute("class")
    preview.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "seo-fields-hub-1280.png")
    assert watch.problems == []
