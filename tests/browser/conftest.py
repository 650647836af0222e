import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).parent / "screenshots"
# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# (creating demo content) are ordinary blocking calls and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium); "
                    "browser tests never download a browser of their own.")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                  "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


class PageWatch:
    """Collects what a visitor would never want to see: console errors and failed requests."""

    def __init__(self, page):
        self.problems = []
        page.on("console", lambda message: message.type == "error" and self.problems.append(message.text))
        page.on("pageerror", lambda error: self.problems.append(str(error)))
        # A request the page cancelled itself is no failure: the visitor moved on before a lazy image arrived.
        page.on("requestfailed", lambda request: request.failure != "net::ERR_ABORTED" and self.problems.append(
            f"failed: {request.url} ({request.failure})"))
        page.on("response", lambda response: response.status >= 400 and self.problems.append(
            f"{response.status}: {response.url}"))


@pytest.fixture
def open_page(browser):
    contexts = []

    def open_page(width=1280, height=900):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        return page, PageWatch(page)

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot_dir():
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def demo_site(transactional_db, settings, tmp_path, live_server):
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=open(os.devnull, "w"))
    yield live_server.url
    shutil.rmtree(tmp_path, ignore_errors=True)
