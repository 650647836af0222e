"""A hub page as a visitor sees it at 390 and 1,280 px: the featured card above the title, the contents with
### nested under ##, two FAQ groups, and every article once (issue 18 §2)."""

import pytest


@pytest.fixture
def hub_site(demo_site):
    from faqs.models import FAQ
    from hubs.models import Hub

    hub = Hub.objects.get(slug="depression-motivational-drive")
    hub.featured_article = hub.articles.first()
    hub.body += "\n\n## A last section\n\n### What the reward system predicts\n\nA sub-section.\n"
    hub.save()
    general = hub.faq_groups.create(heading="Frequently asked questions", order=99)  # after the demo's groups
    FAQ.objects.create(hub=hub, group=general, question="Do I need a referral?", answer="No.")
    return demo_site + hub.get_absolute_url(), hub


@pytest.mark.parametrize("width", [390, 1280])
def test_a_hub_page_at_phone_and_laptop_width(hub_site, open_page, screenshot_dir, width):
    url, hub = hub_site
    page, watch = open_page(width=width)
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing sticks out sideways
    card, title = page.locator(".feature"), page.locator("h1")
    assert card.bounding_box()["y"] < title.bounding_box()["y"]
    assert card.get_by_role("link").count() == 1  # one tab stop for the card
    nested = page.locator(".toc ol ol a")
    # Every ### under a ## is nested, in order (the demo essay has its own, and the one added above comes last).
    subsections = [line[4:] for line in hub.body.splitlines() if line.startswith("### ")]
    assert nested.all_inner_texts() == subsections and subsections[-1] == "What the reward system predicts"
    headings = page.locator(".faq h2").all_inner_texts()
    assert len(headings) == hub.faq_groups.count() >= 2 and headings[-1] == "Frequently asked questions"
    titles = page.locator(".card__title").all_inner_texts()
    assert len(titles) == len(set(titles)) == hub.articles.count()
    page.screenshot(path=screenshot_dir / f"hub-groups-{width}.png", full_page=True)
    assert watch.problems == []
