"""A visitor reads an article, opens the strategy-call form from it and sends a request."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_visitor_requests_a_call_from_an_article(demo_site, open_page, screenshot_dir, settings):
    from strategy_calls.models import StrategyCallRequest

    settings.STRATEGY_CALL_MIN_FILL_SECONDS = 0  # Playwright types faster than any person
    page, watch = open_page(width=360, height=800)
    page.goto(demo_site + "/articles/why-motivation-disappears-in-depression/")
    page.get_by_role("link", name="Schedule a strategy call").click()
    page.wait_for_url("**/strategy-call/?from=*")

    page.get_by_label("Full name").fill("Maya Lindqvist")
    page.get_by_role("textbox", name="Email").fill("maya@example.org")
    page.get_by_label("What would you like to address?").fill(
        "For months I have been getting through the work but nothing pulls me forward any more."
    )
    page.get_by_role("radio", name="Email").check()
    page.get_by_role("radio", name="Morning (9am–12pm)").check()
    page.get_by_label("I agree to be contacted about my request").check()
    page.screenshot(path=screenshot_dir / "strategy-call-form-360.png", full_page=True)
    page.get_by_role("button", name="Request my strategy call").click()

    page.wait_for_url("**/strategy-call/thanks/")
    assert "Thank you. We have your request." in page.locator("h1").inner_text()
    page.screenshot(path=screenshot_dir / "strategy-call-thanks-360.png", full_page=True)
    saved = StrategyCallRequest.objects.get()
    assert (saved.full_name, saved.status, saved.source_path) == (
        "Maya Lindqvist", "new", "/articles/why-motivation-disappears-in-depression/")
    assert watch.problems == []


def test_campaign_tags_reach_the_form_from_a_cached_page(demo_site, open_page):
    """Pages are cached without their utm_* tags; the browser carries them on to the strategy-call form."""
    page, watch = open_page()
    page.goto(demo_site + "/hubs/depression-motivational-drive/", wait_until="networkidle")  # cached, no campaign
    page.goto(demo_site + "/hubs/depression-motivational-drive/?utm_source=newsletter&utm_campaign=spring")
    page.get_by_role("link", name="Strategy call", exact=True).click()
    page.wait_for_url("**/strategy-call/?from=*")
    assert "utm_source=newsletter" in page.url and "utm_campaign=spring" in page.url
    assert page.locator("input[name=utm]").get_attribute("value") == "utm_source=newsletter&utm_campaign=spring"
    assert watch.problems == []
