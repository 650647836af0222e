"""An editor brings references in by pasting BibTeX, on the reference library's paste page and from an article's
citations pop-up, in Chromium. Screenshots: tests/browser/screenshots/references-paste-{1280,390}.png and
references-popup-1280.png."""

import pytest

from references.models import Reference

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-for-browser-tests"
BIBTEX = r"""@article{russo2013,
  author  = {Russo, Scott J. and Nestler, Eric J.},
  title   = {The brain reward circuitry in mood disorders},
  journal = {Nature Reviews Neuroscience},
  year    = {2013}, volume = {14}, number = {9}, pages = {609--625},
  doi     = {10.1038/nrn3381},
}
@book{vanderkolk2014,
  author    = {van der Kolk, Bessel A.},
  title     = {The body keeps the score: Brain, mind, and body in the healing of trauma},
  publisher = {Viking},
  year      = 2014,
}
@techreport{who2017,
  author = {{World Health Organization}},
  title  = {Depression and other common mental disorders: Global health estimates},
  year   = {2017}, number = {WHO/MSD/MER/2017.2},
  url    = {https://apps.who.int/iris/handle/10665/254610},
}
"""


@pytest.fixture
def editor_site(live_server, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    return live_server.url


def sign_in(page, base):
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.goto(base + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(base + "/admin/")


@pytest.mark.parametrize("width", [1280, 390])
def test_pasted_bibtex_becomes_references(editor_site, make_reference, open_page, screenshot_dir, width):
    existing = make_reference(doi="10.1038/nrn3381")
    page, watch = open_page(width=width)
    sign_in(page, editor_site)
    page.goto(editor_site + "/admin/references/reference/")
    page.get_by_role("link", name="Paste BibTeX, RIS or CSL-JSON").click()
    page.get_by_label("BibTeX, RIS or CSL-JSON").fill(BIBTEX)
    page.get_by_role("button", name="Add to the library").click()

    results = page.locator(".reference-paste-results")
    assert results.locator("h2").inner_text() == "2 new, 1 already in the library"
    assert page.locator("#created-references li").count() == 2
    assert "van der Kolk, B. A. (2014)." in page.locator("#created-references").inner_text()
    assert "Russo, S. J., & Nestler, E. J. (2013)" in page.locator("#existing-references").inner_text()
    page.screenshot(path=screenshot_dir / f"references-paste-{width}.png", full_page=True)
    assert Reference.objects.count() == 3 and Reference.objects.filter(pk=existing.pk).exists()
    report = Reference.objects.get(source_type="report")
    assert report.authors == [{"literal": "World Health Organization"}]
    assert watch.problems == []


def test_citation_pop_up_pastes_bibtex_and_cites_it(editor_site, make_article, open_page, screenshot_dir):
    article = make_article(status="draft", references=[])
    page, watch = open_page(width=1280)
    sign_in(page, editor_site)
    page.goto(f"{editor_site}/admin/articles/article/{article.pk}/change/")
    page.locator("#citations-group .add-row a").click()
    with page.expect_popup() as opened:
        page.locator("#add_id_citations-0-reference").click()
    popup = opened.value
    popup.get_by_role("link", name="Paste BibTeX, RIS or CSL-JSON").click()
    popup.get_by_label("BibTeX, RIS or CSL-JSON").fill(BIBTEX)
    popup.get_by_role("button", name="Add to the library").click()
    assert popup.locator("#created-references li").count() == 3
    popup.screenshot(path=screenshot_dir / "references-popup-1280.png", full_page=True)
    with popup.expect_event("close"):
        popup.locator("#created-references li", has_text="van der Kolk").get_by_role("link", name="Cite this").click()

    book = Reference.objects.get(source_type="book")
    assert page.locator("#id_citations-0-reference").input_value() == str(book.pk)
    assert "van der Kolk" in page.locator("#citations-group").inner_text()
    assert watch.problems == []


def test_duplicate_doi_in_the_pop_up_offers_the_existing_reference(editor_site, make_article, make_reference,
                                                                    open_page, screenshot_dir):
    existing = make_reference(doi="10.1038/nrn3381")
    article = make_article(status="draft", references=[])
    page, watch = open_page(width=1280)
    sign_in(page, editor_site)
    page.goto(f"{editor_site}/admin/articles/article/{article.pk}/change/")
    page.locator("#citations-group .add-row a").click()
    with page.expect_popup() as opened:
        page.locator("#add_id_citations-0-reference").click()
    popup = opened.value
    popup.fill("#id_authors", "Russo, S. J.\nNestler, E. J.")
    popup.fill("#id_title", "The brain reward circuitry in mood disorders")
    popup.fill("#id_doi", "https://doi.org/10.1038/NRN3381")
    popup.locator("input[name=_save]").click()
    error = popup.locator(".field-doi .errorlist")
    assert "This DOI is already in the library" in error.inner_text()
    assert error.get_by_role("link", name=str(existing)).get_attribute("href").endswith(
        f"/references/reference/{existing.pk}/change/")
    popup.screenshot(path=screenshot_dir / "references-duplicate-doi-1280.png", full_page=True)
    with popup.expect_event("close"):
        error.get_by_role("link", name="Cite this one instead").click()
    assert page.locator("#id_citations-0-reference").input_value() == str(existing.pk)
    assert Reference.objects.count() == 1
    assert watch.problems == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_article_form_cites_pasted_bibtex_on_save(editor_site, make_article, make_reference, open_page,
                                                      screenshot_dir, width):
    """Three references cited in one paste and one save: 3 actions (click the box, paste, save)."""
    existing = make_reference(doi="10.1038/nrn3381")
    article = make_article(status="draft", references=[])
    page, watch = open_page(width=width)
    sign_in(page, editor_site)
    page.goto(f"{editor_site}/admin/articles/article/{article.pk}/change/")
    box = page.get_by_label("Add references from BibTeX, RIS or CSL-JSON")
    box.fill(BIBTEX)
    box.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / f"references-article-paste-{width}.png")
    page.locator(".submit-row input[name=_save_draft]").last.click()
    page.wait_for_url(f"{editor_site}/admin/articles/article/{article.pk}/change/")
    assert "Pasted references: 3 cited (2 new to the library)." in page.locator(".messagelist").inner_text()
    assert [citation.reference.source_type for citation in article.citations.all()] == [
        "journal-article", "book", "report"]
    assert article.citations.first().reference == existing
    assert page.locator("#citations-group tbody tr.has_original").count() == 3
    assert box.input_value() == ""
    assert watch.problems == []
