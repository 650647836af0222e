"""A visitor's path through the site in Chromium: click from home to hub to article to author."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

HUB = "Depression & Motivational Drive"
ARTICLE = "Why Motivation Disappears in Depression"


def test_visitor_clicks_home_hub_article_author(demo_site, open_page):
    page, watch = open_page()
    page.goto(demo_site + "/")
    assert page.locator("h1").count() == 1

    page.get_by_role("link", name=HUB).first.click()
    page.wait_for_url("**/hubs/depression-motivational-drive/")
    assert page.locator("h1").inner_text() == HUB

    page.get_by_role("link", name=ARTICLE).first.click()
    page.wait_for_url("**/articles/why-motivation-disappears-in-depression/")
    assert page.locator("h1").inner_text() == ARTICLE
    assert page.locator("audio[controls]").count() == 1

    question = page.locator("details.faq__item").first
    assert not question.locator(".faq__answer").is_visible()
    question.locator("summary").click()
    assert question.locator(".faq__answer").is_visible()

    page.locator(".author-card").get_by_role("link", name="Dr. Sydney Ceruto", exact=True).click()
    page.wait_for_url("**/authors/sydney-ceruto/")
    assert page.locator("h1").inner_text() == "Dr. Sydney Ceruto"
    assert watch.problems == []


def test_skip_link_is_the_first_stop_for_keyboard_users(demo_site, open_page):
    page, watch = open_page()
    page.goto(demo_site + "/articles/why-motivation-disappears-in-depression/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    assert page.locator(".skip-link").is_visible()
    assert watch.problems == []


@pytest.mark.parametrize("width", [360, 1280])
def test_screenshots_of_hub_and_article(demo_site, open_page, screenshot_dir, width):
    page, watch = open_page(width=width)
    for name, path in [
        ("home", "/"),
        ("hub", "/hubs/depression-motivational-drive/"),
        ("article", "/articles/why-motivation-disappears-in-depression/"),
        ("author", "/authors/sydney-ceruto/"),
    ]:
        page.goto(demo_site + path)
        # Nothing may stick out sideways on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        page.screenshot(path=screenshot_dir / f"{name}-{width}.png", full_page=True)
    assert watch.problems == []
