"""Accessibility in Chromium: focus after a failed submit, tab order at 390 px, axe on every page type, web fonts.

axe-core comes with axe-playwright-python (a dev dependency); it is evaluated in the page, which the
Content-Security-Policy does not govern.
"""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices (landmarks, one main, headings).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def page_types():
    from articles.models import Article
    from hubs.models import Hub

    article = Article.objects.published().select_related("author").first()
    return {
        "home": "/",
        "hub": Hub.objects.published().first().get_absolute_url(),
        "article": article.get_absolute_url(),
        "author": article.author.get_absolute_url(),
        "strategy-call": "/strategy-call/",
    }


def axe_violations(page, run_only=None):
    from axe_playwright_python.sync_playwright import Axe

    run_only = run_only or {"type": "tag", "values": AXE_TAGS}
    results = Axe().run(page, options={"runOnly": run_only, "resultTypes": ["violations"]})
    return [(violation["id"], [node["target"] for node in violation["nodes"]][:3])
            for violation in results.response["violations"]]


def fill_with_a_bad_phone(page):
    page.get_by_label("Full name").fill("Maya Lindqvist")
    page.get_by_role("textbox", name="Email").fill("maya@example.org")
    page.get_by_label("Phone (optional)").fill("12-34")  # no browser check on a tel field; the server refuses it
    page.get_by_label("What would you like to address?").fill(
        "For months I have been getting through the work but nothing pulls me forward any more.")
    page.get_by_label("I agree to be contacted about my request").check()
    page.get_by_role("button", name="Request my strategy call").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("width", [390, 1280])
def test_every_page_type_has_no_axe_violations_and_its_web_fonts(demo_site, open_page, screenshot_dir, width):
    page, watch = open_page(width=width)
    for name, path in page_types().items():
        page.goto(demo_site + path, wait_until="networkidle")
        page.evaluate("document.fonts.ready")
        page.screenshot(path=screenshot_dir / f"a11y-{name}-{width}.png", full_page=True)
        assert axe_violations(page) == [], name
        # Text contrast at AAA (7:1, 4.5:1 for large text), which the palette reaches everywhere.
        assert axe_violations(page, {"type": "rule", "values": ["color-contrast-enhanced"]}) == [], name
        # Headings in the serif, text in the sans, both from this site and loaded (no local stand-in).
        fonts = page.evaluate("""() => [
            getComputedStyle(document.querySelector('h1')).fontFamily,
            getComputedStyle(document.body).fontFamily,
            document.fonts.check('650 1rem "Source Serif 4"') && document.fonts.check('400 1rem "Inter"'),
            [...document.fonts].filter((face) => face.status === 'loaded').map((face) => face.family),
        ]""")
        assert fonts[0].startswith('"Source Serif 4"') and fonts[1].startswith("Inter"), fonts
        assert fonts[2] and {'"Source Serif 4"', "Inter"} <= {family.strip() for family in fonts[3]} | {
            f'"{family}"' for family in fonts[3]}, fonts
    assert watch.problems == []


def test_after_a_failed_submit_focus_is_on_the_error_summary_whose_links_reach_the_fields(
        demo_site, open_page, screenshot_dir, settings):
    settings.STRATEGY_CALL_MIN_FILL_SECONDS = 0
    page, watch = open_page(width=390, height=800)
    page.goto(demo_site + "/strategy-call/")
    fill_with_a_bad_phone(page)

    assert page.title().startswith("Error: ")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    summary = page.locator("#error-summary")
    assert summary.get_by_role("heading").inner_text() == "There is a problem with the form"
    assert summary.evaluate("(element) => element.getBoundingClientRect().top") < 800  # on screen, not scrolled past
    page.screenshot(path=screenshot_dir / "a11y-strategy-call-error-390.png")
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "id_phone"
    assert page.locator("#id_phone").input_value() == "12-34"  # what was typed is kept
    assert axe_violations(page) == []
    assert watch.problems == []


def test_focus_moves_to_the_summary_without_javascript(demo_site, browser, settings):
    """autofocus on the summary does it when scripts are off."""
    settings.STRATEGY_CALL_MIN_FILL_SECONDS = 0
    context = browser.new_context(viewport={"width": 390, "height": 800}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(demo_site + "/strategy-call/")
        fill_with_a_bad_phone(page)
        assert page.title().startswith("Error: ")
        assert page.evaluate("document.activeElement.id") == "error-summary"
    finally:
        context.close()


def test_tab_order_at_390_px_follows_what_is_seen_from_the_form_to_the_crisis_notice(demo_site, open_page):
    page, watch = open_page(width=390, height=800)
    page.goto(demo_site + "/strategy-call/")
    page.locator("main").focus()
    stops = []
    for _ in range(40):
        page.keyboard.press("Tab")
        stop = page.evaluate("""() => {
            const element = document.activeElement;
            const box = element.getBoundingClientRect();
            return {inFooter: !!element.closest('footer'), top: box.top + window.scrollY, left: box.left,
                    name: element.name || element.textContent.trim().slice(0, 30),
                    inCrisis: !!element.closest('.crisis')};
        }""")
        if stop["inFooter"]:
            break
        stops.append(stop)
    names = [stop["name"] for stop in stops]
    assert names[:3] == ["full_name", "email", "phone"], names
    assert any(stop["inCrisis"] for stop in stops), names
    # Each stop is below the one before, or beside it on the same line.
    for before, after in zip(stops, stops[1:], strict=False):
        same_line = abs(after["top"] - before["top"]) < 4
        assert after["top"] > before["top"] or (same_line and after["left"] > before["left"]), (before, after)
    # The crisis notice's links come after every field of the form.
    last_field = max(i for i, stop in enumerate(stops) if not stop["inCrisis"] and stop["name"] in (
        "consent", "full_name", "email", "phone", "message", "contact_method", "time_window"))
    assert all(i > last_field for i, stop in enumerate(stops) if stop["inCrisis"])
    assert watch.problems == []


def test_a_card_is_one_tab_stop_and_clickable_anywhere(demo_site, open_page):
    page, watch = open_page(width=1280)
    page.goto(demo_site + "/")
    card = page.locator("#latest article.card").first
    title = card.locator(".card__title a")
    href = title.get_attribute("href")
    title.focus()
    page.keyboard.press("Tab")
    # The next stop is the card's first tag or the next card, never a second link to the same page.
    assert page.evaluate("document.activeElement.getAttribute('href')") != href
    card.scroll_into_view_if_needed()
    box = card.locator(".card__excerpt").bounding_box()
    page.mouse.click(box["x"] + 5, box["y"] + 5)  # the excerpt is not a link, yet the card is
    page.wait_for_url("**" + href)
    assert watch.problems == []
