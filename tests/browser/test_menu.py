"""The header menu below 480 px (issue 18 §1): a disclosure that works without JavaScript, with aria-expanded,
Escape and focus handled when JavaScript runs; the standalone pages and the footer's navigation at 360 and
1,280 px."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PageWatch

pytestmark = pytest.mark.django_db(transaction=True)

MENU_LINKS = ["Topics", "About", "Approach", "Latest", "Strategy call"]


@pytest.fixture
def phone(browser):
    contexts = []

    def open_phone(javascript=True):
        context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        return page, PageWatch(page)

    yield open_phone
    for context in contexts:
        context.close()


def header_row_links(page):
    return page.locator(".site-nav__list a")


def test_at_360_px_without_javascript_the_menu_opens_and_leads_to_a_page(demo_site, phone, screenshot_dir):
    page, watch = phone(javascript=False)
    page.goto(demo_site + "/about/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    toggle = page.locator(".site-menu summary")
    assert toggle.is_visible() and toggle.inner_text().strip() == "Menu"
    assert not header_row_links(page).first.is_visible()  # the row of links gives way to the menu
    menu = page.locator(".site-menu__list")
    assert not menu.is_visible()
    toggle.focus()
    page.keyboard.press("Enter")  # a keyboard opens it as a click does
    assert menu.is_visible()
    assert [text.strip() for text in menu.locator("a").all_inner_texts()] == MENU_LINKS
    assert "from=%2Fabout%2F" in menu.get_by_role("link", name="Strategy call").get_attribute("href")
    page.screenshot(path=screenshot_dir / "menu-open-360-nojs.png")
    menu.get_by_role("link", name="Approach").click()
    page.wait_for_url("**/approach/")
    assert page.locator("h1").inner_text() == "Our approach"
    assert watch.problems == []


def test_at_360_px_with_javascript_the_button_says_expanded_escape_closes_and_focus_returns(
        demo_site, phone, screenshot_dir):
    page, watch = phone()
    page.goto(demo_site + "/")
    toggle = page.locator(".site-menu summary")
    expect(toggle).to_have_attribute("aria-expanded", "false")  # set on the toggle event, which comes a tick later
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")  # set on the toggle event, which comes a tick later
    assert page.locator(".site-menu__list").is_visible()
    page.screenshot(path=screenshot_dir / "menu-open-360.png")
    page.keyboard.press("Tab")  # from the button into the menu
    assert page.evaluate("document.activeElement.textContent") == "Topics"
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")  # set on the toggle event, which comes a tick later
    assert not page.locator(".site-menu__list").is_visible()
    assert page.evaluate("document.activeElement === document.querySelector('.site-menu summary')")
    toggle.click()
    page.mouse.click(5, page.viewport_size["height"] - 5)  # a click elsewhere (below the open menu) closes it
    expect(toggle).to_have_attribute("aria-expanded", "false")  # set on the toggle event, which comes a tick later
    toggle.click()
    for _ in MENU_LINKS:  # tabbing past the last link leaves the menu, which closes
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Strategy call"
    page.keyboard.press("Tab")
    expect(toggle).to_have_attribute("aria-expanded", "false")  # set on the toggle event, which comes a tick later
    assert watch.problems == []


def test_at_1280_px_the_links_are_in_the_header_and_the_menu_button_is_hidden(demo_site, open_page):
    page, watch = open_page(width=1280)
    page.goto(demo_site + "/")
    assert not page.locator(".site-menu summary").is_visible()
    assert [text.strip() for text in header_row_links(page).all_inner_texts()] == MENU_LINKS
    footer = page.get_by_role("navigation", name="Footer")
    assert footer.get_by_role("link", name="About MindLAB Neuroscience").is_visible()
    assert page.locator(".site-footer").get_by_role("link", name="Privacy policy").is_visible()
    assert watch.problems == []


@pytest.mark.parametrize("width", [360, 1280])
def test_screenshots_of_standalone_pages(demo_site, open_page, screenshot_dir, width):
    page, watch = open_page(width=width)
    for name, path in [("about", "/about/"), ("privacy", "/privacy-policy/"), ("home-footer", "/"),
                       ("strategy-call-privacy", "/strategy-call/")]:
        page.goto(demo_site + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        page.screenshot(path=screenshot_dir / f"{name}-{width}.png", full_page=True)
    assert watch.problems == []
