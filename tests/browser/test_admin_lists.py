"""The article and hub lists an editor works from, on a 1,280 px laptop: titles readable, nothing cut off."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def signed_in(demo_site, open_page, django_user_model):
    django_user_model.objects.create_superuser("lists", "lists@example.org", "pw-for-browser-tests")
    page, watch = open_page(width=1280, height=900)
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.goto(demo_site + "/admin/login/")
    page.fill("#id_username", "lists")
    page.fill("#id_password", "pw-for-browser-tests")
    page.click("input[type=submit]")
    page.wait_for_url(demo_site + "/admin/")
    return demo_site, page, watch


@pytest.mark.parametrize("kind", ["article", "hub"])
def test_titles_are_readable_in_the_lists_at_1280(signed_in, screenshot_dir, kind):
    base, page, watch = signed_in
    page.goto(f"{base}/admin/{kind}s/{kind}/")
    title = page.locator("#result_list th.field-title").first
    width = title.evaluate("el => el.getBoundingClientRect().width")
    page.screenshot(path=screenshot_dir / f"admin-{kind}-list-1280.png", full_page=True)
    assert width >= 220, f"the title column is {width:.0f} px wide"
    # Titles wrap on words, never one word a line: three lines at most.
    link = title.locator("a")
    lines = link.evaluate("el => el.getClientRects().length")
    assert lines <= 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    # Every column is in sight: the table needs no scrolling of its own.
    overflow = page.locator(".results").evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert overflow[0] <= overflow[1], overflow
    assert watch.problems == []
