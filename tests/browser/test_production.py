"""Every public page type in Chromium against gunicorn under production settings, as `make serve` runs it: DEBUG
off, collected static files, uploads served by the app from DJANGO_MEDIA_ROOT. No request may fail, no response
be an error, nothing be logged to the console; every image must decode, and the audio must seek."""

import os
import secrets
import subprocess
import sys

import pytest

from ops.servers import ROOT, Gunicorn, free_port

ARTICLE = "/articles/why-motivation-disappears-in-depression/"
PAGES = [
    ("home", "/"),
    ("hub", "/hubs/depression-motivational-drive/"),
    ("article", ARTICLE),
    ("author", "/authors/sydney-ceruto/"),
    ("search", "/search/?q=motivation"),
    ("strategy-call", "/strategy-call/"),
]
# Chromium loads metadata, then asks for the part it seeks to: Range requests answered with 206.
SEEK_AUDIO = """async () => {
    const audio = document.querySelector("audio");
    const event = (name) => new Promise((resolve, reject) => {
        audio.addEventListener(name, resolve, {once: true});
        audio.addEventListener("error", () => reject(new Error("audio error " + audio.error.code)), {once: true});
        setTimeout(() => reject(new Error("no " + name + " within 10 s")), 10000);
    });
    const metadata = event("loadedmetadata");
    audio.preload = "auto";  // as a visitor's play would: the player starts loading
    await metadata;
    const seeked = event("seeked");
    audio.currentTime = audio.duration - 1;
    await seeked;
    return {duration: audio.duration, position: audio.currentTime, seekable: audio.seekable.length};
}"""


@pytest.fixture(scope="module")
def production_site(tmp_path_factory):
    """gunicorn on a loopback port with the demo content (hero images, headshots, audio) in a database of its own."""
    folder = tmp_path_factory.mktemp("production")
    port = free_port()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DJANGO_", "AWS_")) and key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=secrets.token_urlsafe(50), DJANGO_ALLOWED_HOSTS="127.0.0.1",
               DJANGO_SITE_URL=f"http://127.0.0.1:{port}", DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_COOKIES="0",
               DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}", DJANGO_MEDIA_ROOT=str(folder / "media"),
               DJANGO_STATIC_ROOT=str(folder / "static"))
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"], ["load_demo"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
    with Gunicorn(env, workers=1, port=port) as base:
        yield base


def test_every_page_type_loads_everything_it_asks_for(browser, production_site, open_page, screenshot_dir):
    page, watch = open_page()
    media_statuses = []
    page.on("response", lambda response: "/media/" in response.url and media_statuses.append(response.status))
    pages = list(PAGES)
    page.goto(production_site + ARTICLE)
    pages.append(("tag", page.locator('a[href^="/tags/"]').first.get_attribute("href")))
    for name, path in pages:
        response = page.goto(production_site + path)
        assert response.status == 200, name
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # below the fold: lazy images load
        page.wait_for_load_state("networkidle")
        broken = page.evaluate("[...document.images].filter(i => !i.complete || !i.naturalWidth).map(i => i.src)")
        assert broken == [], name
        if name == "article":
            audio = page.evaluate(SEEK_AUDIO)
            assert audio["duration"] == pytest.approx(4, abs=0.1) and audio["position"] >= 2.9, audio
            assert audio["seekable"] == 1
        if name in {"hub", "article", "author"}:
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=screenshot_dir / f"production-{name}-1280.png")
        assert watch.problems == [], name
    # Hero images, headshots and the audio all came from the app; the audio in parts (206).
    assert 206 in media_statuses and set(media_statuses) <= {200, 206, 304}, media_statuses


def test_the_404_page_fails_only_itself(browser, production_site, open_page):
    page, watch = open_page()
    response = page.goto(production_site + "/no-such-page/")
    page.wait_for_load_state("networkidle")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "We could not find that page"
    own_failure = [problem for problem in watch.problems
                   if problem == f"404: {production_site}/no-such-page/" or "status of 404" in problem]
    assert own_failure and watch.problems == own_failure


def test_media_urls_in_the_pages_are_served_by_the_app(browser, production_site, open_page):
    page, watch = open_page()
    page.goto(production_site + "/authors/sydney-ceruto/")
    headshot = page.locator("img.profile__photo")
    assert headshot.get_attribute("src").startswith("/media/authors/")
    assert headshot.evaluate("image => image.naturalWidth") == 320
    page.goto(production_site + "/hubs/depression-motivational-drive/")
    hero = page.locator("img.hero-image")
    assert hero.evaluate("image => image.currentSrc").startswith(production_site + "/media/heroes/")
    assert hero.evaluate("image => image.naturalWidth") > 0
    assert watch.problems == []
