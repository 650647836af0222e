"""A visitor types a phone number the way the help text shows, first without the area code (issue 17 §8)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_visitor_fixes_a_phone_number_from_the_error_and_sends(live_server, open_page, screenshot_dir, settings,
                                                             width):
    from strategy_calls.models import StrategyCallRequest

    settings.STRATEGY_CALL_MIN_FILL_SECONDS = 0  # Playwright types faster than any person
    page, watch = open_page(width=width, height=900)
    page.goto(live_server.url + "/strategy-call/")
    page.get_by_label("Full name").fill("Maya Lindqvist")
    page.get_by_role("textbox", name="Email").fill("maya@example.org")
    phone = page.get_by_role("textbox", name="Phone (optional)")
    phone.fill("555-0147")
    page.get_by_label("What would you like to address?").fill(
        "For months I have been getting through the work but nothing pulls me forward any more."
    )
    page.get_by_label("I agree to be contacted about my request").check()
    page.get_by_role("button", name="Request my strategy call").click()

    page.wait_for_load_state()
    # Under the field, and in the summary at the top as a link to it.
    error = page.get_by_text("Please add the area code, e.g. (212) 555-0147.", exact=True)
    assert error.is_visible()
    assert page.locator("#error-summary").get_by_role("link", name="Please add the area code").get_attribute(
        "href") == "#id_phone"
    page.get_by_role("textbox", name="Phone (optional)").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / f"strategy-call-phone-error-{width}.png")
    page.get_by_role("textbox", name="Phone (optional)").fill("(212) 555-0147")
    page.get_by_role("button", name="Request my strategy call").click()

    page.wait_for_url("**/strategy-call/thanks/")
    assert StrategyCallRequest.objects.get().phone == "+1 212-555-0147"
    assert watch.problems == []
