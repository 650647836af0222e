import html
import json
import re
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor
from django.template.loader import render_to_string
from django.urls import reverse

from mindlab import jsonld
from references.citation import names_from_apa
from references.formats import parse_references, upsert_from_csl
from references.models import Reference, normalise_doi


@pytest.mark.parametrize(
    "pasted",
    [
        "10.1038/nrn3381",
        "10.1038/NRN3381",
        "  10.1038/nrn3381 ",
        "https://doi.org/10.1038/nrn3381",
        "http://dx.doi.org/10.1038/NRN3381",
        "HTTPS://DOI.ORG/10.1038/nrn3381",
        "doi:10.1038/nrn3381",
        "DOI: 10.1038/nrn3381",
    ],
)
def test_doi_is_normalised(pasted):
    assert normalise_doi(pasted) == "10.1038/nrn3381"


def test_doi_is_normalised_on_save(make_reference):
    reference = make_reference(doi="https://doi.org/10.1523/JNEUROSCI.6459-11.2012")
    reference.refresh_from_db()
    assert reference.doi == "10.1523/jneurosci.6459-11.2012"
    assert reference.doi_url == "https://doi.org/10.1523/jneurosci.6459-11.2012"


def test_same_doi_in_another_form_is_a_validation_error(make_reference):
    make_reference(doi="10.1038/nrn3381")
    duplicate = Reference(authors=[{"family": "X", "given": "Y."}], year=2020, title="Copy", doi="https://doi.org/10.1038/NRN3381")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "already in the library" in str(error.value)


def test_database_refuses_duplicate_doi(make_reference):
    make_reference(doi="10.1038/nrn3381")
    with pytest.raises(IntegrityError):
        make_reference(doi="https://doi.org/10.1038/NRN3381")


def test_many_references_without_doi_are_allowed(make_reference):
    make_reference(doi="", url="https://example.org/a")
    make_reference(doi="", url="https://example.org/b")
    assert Reference.objects.filter(doi="").count() == 2


def test_invalid_doi_is_rejected(make_reference):
    reference = Reference(authors=[{"family": "X", "given": "Y."}], year=2020, title="T", doi="not a doi")
    with pytest.raises(ValidationError) as error:
        reference.full_clean()
    assert "doi" in error.value.message_dict


def test_apa_citation_with_doi_link(make_reference):
    reference = make_reference(
        authors="Russo, S. J., & Nestler, E. J.", year=2013, title="The brain reward circuitry in mood disorders",
        container="Nature Reviews Neuroscience", volume="14", issue="9", pages="609–625", doi="10.1038/nrn3381",
    )
    assert reference.apa_html() == (
        "Russo, S. J., &amp; Nestler, E. J. (2013). The brain reward circuitry in mood disorders. "
        "<i>Nature Reviews Neuroscience</i>, <i>14</i>(9), 609–625. "
        '<a href="https://doi.org/10.1038/nrn3381" rel="noopener">https://doi.org/10.1038/nrn3381</a>'
    )


def test_apa_citation_escapes_html(make_reference):
    reference = make_reference(title="<script>alert(1)</script>", doi="", url="")
    assert "<script>" not in reference.apa_html()
    assert "&lt;script&gt;" in reference.apa_html()


def test_book_without_doi_or_volume(make_reference):
    reference = make_reference(
        authors="van der Kolk, B. A.", year=2014, title="The body keeps the score", container="Viking",
        volume="", issue="", pages="", doi="",
    )
    assert reference.apa_html() == "van der Kolk, B. A. (2014). The body keeps the score. <i>Viking</i>."


# Structured names, source types, APA from citeproc-py


def test_authors_are_stored_structured_from_an_apa_list():
    assert names_from_apa("Russo, S. J., & Nestler, E. J.") == [
        {"family": "Russo", "given": "S. J."}, {"family": "Nestler", "given": "E. J."}]
    assert names_from_apa("van der Kolk, B. A.") == [{"family": "van der Kolk", "given": "B. A."}]
    assert names_from_apa("World Health Organization") == [{"literal": "World Health Organization"}]
    assert names_from_apa("{Department of Health, Victoria}") == [{"literal": "Department of Health, Victoria"}]
    assert names_from_apa("Erickson, K. I., Voss, M. W., . . . Kramer, A. F.") == [
        {"family": "Erickson", "given": "K. I."}, {"family": "Voss", "given": "M. W."},
        {"family": "Kramer", "given": "A. F."}]


def test_reference_without_a_year_is_cited_as_no_date(make_reference):
    reference = make_reference(year=None, doi="", container="", volume="", issue="", pages="",
                               authors=[{"literal": "National Institute of Mental Health"}],
                               title="Depression", source_type="web-page",
                               url="https://www.nimh.nih.gov/health/topics/depression")
    reference.full_clean()
    assert str(reference) == "National Institute of Mental Health (n.d.). Depression"
    assert reference.apa_html().startswith("National Institute of Mental Health. (n.d.). <i>Depression</i>.")
    assert "issued" not in reference.to_csl()


@pytest.mark.parametrize(("source_type", "evidence", "label", "schema_type"), [
    ("journal-article", "", "Journal article", "ScholarlyArticle"),
    ("journal-article", "meta-analysis", "Meta-analysis", "ScholarlyArticle"),
    ("book", "", "Book", "Book"),
    ("chapter", "", "Book chapter", "Chapter"),
    ("report", "", "Government or agency report", "Report"),
    ("guideline", "", "Guideline", "Report"),
    ("web-page", "", "Web page", "WebPage"),
])
def test_source_type_gives_the_label_and_the_json_ld_type(make_reference, source_type, evidence, label, schema_type):
    reference = make_reference(source_type=source_type, evidence=evidence)
    assert reference.label == label
    node = jsonld.citation(reference)
    assert node["@type"] == schema_type
    assert node["author"][0] == {"@type": "Person", "name": "S. J. Russo", "familyName": "Russo", "givenName": "S. J."}


def test_json_ld_names_an_organisation_and_a_publisher(make_reference):
    reference = make_reference(source_type="report", authors="World Health Organization", publisher="WHO",
                               container="", doi="", year=None)
    node = jsonld.citation(reference)
    assert node["author"] == [{"@type": "Organization", "name": "World Health Organization"}]
    assert node["publisher"] == {"@type": "Organization", "name": "WHO"}
    assert "datePublished" not in node


# APA 7 as the APA manual's own examples write them (section 10), links after.
APA_CASES = {
    "journal-article": (
        {"authors": "Russo, S. J., & Nestler, E. J.", "year": 2013,
         "title": "The brain reward circuitry in mood disorders", "container": "Nature Reviews Neuroscience",
         "volume": "14", "issue": "9", "pages": "609-625", "doi": "10.1038/nrn3381"},
        "Russo, S. J., &amp; Nestler, E. J. (2013). The brain reward circuitry in mood disorders. "
        "<i>Nature Reviews Neuroscience</i>, <i>14</i>(9), 609–625. "
        '<a href="https://doi.org/10.1038/nrn3381" rel="noopener">https://doi.org/10.1038/nrn3381</a>',
    ),
    "book": (
        {"authors": "van der Kolk, B. A.", "year": 2014, "publisher": "Viking",
         "title": "The body keeps the score: Brain, mind, and body in the healing of trauma"},
        "van der Kolk, B. A. (2014). <i>The body keeps the score: Brain, mind, and body in the healing of "
        "trauma</i>. Viking.",
    ),
    "chapter": (
        {"authors": "Dweck, C. S.", "year": 2008, "pages": "123–140", "publisher": "Guilford Press",
         "title": "Can personality be changed? The role of beliefs in personality and change",
         "container": "Handbook of personality: Theory and research",
         "editors": "John, O. P., Robins, R. W., & Pervin, L. A."},
        "Dweck, C. S. (2008). Can personality be changed? The role of beliefs in personality and change. "
        "In O. P. John, R. W. Robins, &amp; L. A. Pervin (Eds.), <i>Handbook of personality: Theory and "
        "research</i> (pp. 123–140). Guilford Press.",
    ),
    "report": (
        {"authors": "World Health Organization", "year": 2017, "issue": "WHO/MSD/MER/2017.2",
         "title": "Depression and other common mental disorders: Global health estimates",
         "url": "https://apps.who.int/iris/handle/10665/254610"},
        "World Health Organization. (2017). <i>Depression and other common mental disorders: Global health "
        "estimates</i> (WHO/MSD/MER/2017.2). "
        '<a href="https://apps.who.int/iris/handle/10665/254610" rel="noopener">'
        "https://apps.who.int/iris/handle/10665/254610</a>",
    ),
    "web-page": (
        {"authors": "National Institute of Mental Health", "year": 2023, "title": "Depression",
         "url": "https://www.nimh.nih.gov/health/topics/depression"},
        "National Institute of Mental Health. (2023). <i>Depression</i>. "
        '<a href="https://www.nimh.nih.gov/health/topics/depression" rel="noopener">'
        "https://www.nimh.nih.gov/health/topics/depression</a>",
    ),
}


@pytest.mark.parametrize("source_type", APA_CASES)
def test_apa_citation_for_each_source_type(make_reference, source_type):
    fields, expected = APA_CASES[source_type]
    blank = {"container": "", "volume": "", "issue": "", "pages": "", "doi": ""}
    reference = make_reference(source_type=source_type, **{**blank, **fields})
    assert reference.apa_html() == expected
    reference.refresh_from_db()
    assert reference.citation_html and reference.apa_html() == expected  # stored on save, not made per request


def test_citation_is_made_again_when_the_reference_is_edited(make_reference):
    reference = make_reference(year=2013)
    reference.year = 2014
    reference.save(update_fields=["year"])
    reference.refresh_from_db()
    assert "(2014)" in reference.citation_html


def test_to_csl_round_trips_through_upsert(make_reference):
    reference = make_reference(evidence="review-article")
    item = reference.to_csl()
    assert item["type"] == "article-journal" and item["DOI"] == reference.doi
    assert item["author"][0] == {"family": "Russo", "given": "S. J."}
    assert upsert_from_csl(item) == (reference, False)


# The data migration from APA author strings


def test_data_migration_turns_author_strings_into_names_and_source_types(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate([("references", "0002_structured_references")])
    old = executor.loader.project_state([("references", "0002_structured_references")]).apps
    OldReference = old.get_model("references", "Reference")
    OldReference.objects.create(authors_apa="Russo, S. J., & Nestler, E. J.", year=2013, title="Reward",
                                container="Nature Reviews Neuroscience", source_type="review-article")
    OldReference.objects.create(authors_apa="van der Kolk, B. A.", year=2014, title="The body keeps the score",
                                container="Viking", source_type="book")
    OldReference.objects.create(authors_apa="World Health Organization", year=2017, title="Depression",
                                source_type="government-source")
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
        paper, book, report = Reference.objects.order_by("year")
        assert paper.authors == [{"family": "Russo", "given": "S. J."}, {"family": "Nestler", "given": "E. J."}]
        assert (paper.source_type, paper.evidence, paper.label) == ("journal-article", "review-article",
                                                                    "Review article")
        assert paper.citation_html.startswith("Russo, S. J., &amp; Nestler, E. J. (2013). Reward.")
        assert (book.source_type, book.publisher, book.container) == ("book", "Viking", "")
        assert book.citation_html == "van der Kolk, B. A. (2014). <i>The body keeps the score</i>. Viking."
        assert (report.source_type, report.authors) == ("report", [{"literal": "World Health Organization"}])
    finally:
        Reference.objects.all().delete()
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


# Pasted BibTeX, RIS and CSL-JSON

BIBTEX = r"""
@article{russo2013,
  author  = {Russo, Scott J. and Nestler, Eric J.},
  title   = {The brain reward circuitry in mood disorders},
  journal = {Nature Reviews Neuroscience},
  year    = {2013}, volume = {14}, number = {9}, pages = {609--625},
  doi     = {10.1038/nrn3381},
}
@book{vanderkolk2014,
  author    = {van der Kolk, Bessel A.},
  title     = {The Body Keeps the Score},
  publisher = {Viking},
  year      = 2014,
}
@techreport{who2017,
  author      = {{World Health Organization}},
  title       = {Depression and other common mental disorders: {G}lobal health estimates},
  institution = {World Health Organization}, year = {2017}, number = {WHO/MSD/MER/2017.2},
}
"""

RIS = """TY  - JOUR
AU  - Russo, Scott J.
AU  - Nestler, Eric J.
PY  - 2013/08//
TI  - The brain reward circuitry in mood disorders
JO  - Nature Reviews Neuroscience
VL  - 14
IS  - 9
SP  - 609
EP  - 625
DO  - 10.1038/nrn3381
ER  -

TY  - CHAP
AU  - Dweck, Carol S.
A2  - John, Oliver P.
PY  - 2008
TI  - Can personality be changed?
T2  - Handbook of personality
PB  - Guilford Press
SP  - 123
EP  - 140
ER  -
"""

CSL_JSON = """[
  {"id": "russo", "type": "article-journal", "title": "The brain reward circuitry in mood disorders",
   "author": [{"family": "Russo", "given": "Scott J."}, {"family": "Nestler", "given": "Eric J."}],
   "container-title": "Nature Reviews Neuroscience", "volume": 14, "issue": "9", "page": "609-625",
   "DOI": "https://doi.org/10.1038/NRN3381", "issued": {"date-parts": [[2013, 8]]}},
  {"id": "nimh", "type": "webpage", "title": "Depression",
   "author": [{"literal": "National Institute of Mental Health"}],
   "URL": "https://www.nimh.nih.gov/health/topics/depression"}
]"""


@pytest.mark.parametrize("text", [BIBTEX, RIS, CSL_JSON], ids=["bibtex", "ris", "csl-json"])
def test_many_pasted_references_are_read(text):
    items = parse_references(text)
    russo = items[0]
    assert russo["type"] == "article-journal"
    assert russo["title"] == "The brain reward circuitry in mood disorders"
    assert russo["author"] == [{"family": "Russo", "given": "Scott J."}, {"family": "Nestler", "given": "Eric J."}]
    assert russo["issued"]["date-parts"][0][0] == 2013
    assert normalise_doi(russo["DOI"]) == "10.1038/nrn3381"
    assert len(items) == {BIBTEX: 3, RIS: 2, CSL_JSON: 2}[text]


def test_one_pasted_reference_of_each_format_is_read():
    bibtex, = parse_references(BIBTEX.split("@book")[0])
    ris, = parse_references(RIS.split("\n\n")[0])
    csl, = parse_references('{"type": "book", "title": "The Body Keeps the Score", "publisher": "Viking"}')
    assert bibtex["page"] == "609–625" and bibtex["container-title"] == "Nature Reviews Neuroscience"
    assert ris["page"] == "609–625" and ris["volume"] == "14"
    assert csl["type"] == "book"


def test_bibtex_organisation_report_and_latex_are_read():
    _, book, report = parse_references(BIBTEX)
    assert book["author"] == [{"family": "van der Kolk", "given": "Bessel A."}]
    assert report["type"] == "report" and report["number"] == "WHO/MSD/MER/2017.2"
    assert report["author"] == [{"literal": "World Health Organization"}]
    assert report["title"] == "Depression and other common mental disorders: Global health estimates"
    accented, = parse_references(r'@article{m, author = {M{\"u}ller, J{\"o}rg}, title = {T}, year = 2020}')
    assert accented["author"] == [{"family": "Müller", "given": "Jörg"}]


@pytest.mark.parametrize(("text", "message"), [
    ("", "Paste at least one reference"),
    ("Russo and Nestler 2013", "This is not BibTeX"),
    ("@article{broken2020, title = {Unclosed", "BibTeX entry “broken2020” could not be read"),
    ("@article{notitle, author = {Doe, J.}, year = 2020}", "BibTeX entry “notitle” has no title"),
    ("TY  - JOUR\nAU  - Doe, J.\nER  -\n", "RIS record 1 has no title"),
    ('[{"title": "A"}, {"type": "book"}]', "CSL-JSON item 2 has no title"),
    ('[{"title": "A"},', "The CSL-JSON could not be read"),
    ("[1]", "CSL-JSON item 1 is not an object"),
])
def test_bad_paste_is_a_clear_error_naming_the_entry(text, message):
    with pytest.raises(ValueError, match=message):
        parse_references(text)


def test_upsert_matches_by_doi_then_by_title_and_year_and_fills_only_empty_fields(make_reference):
    by_doi = make_reference(doi="10.1038/nrn3381", volume="")
    by_title = make_reference(doi="", title="The Body Keeps the Score", year=2014, publisher="")
    items = parse_references(BIBTEX)
    assert upsert_from_csl(items[0]) == (by_doi, False)
    assert upsert_from_csl(items[1]) == (by_title, False)
    by_doi.refresh_from_db()
    by_title.refresh_from_db()
    assert by_doi.volume == "14" and by_doi.authors[0]["given"] == "S. J."  # filled in; the editor's names kept
    assert by_title.publisher == "Viking"
    report, created = upsert_from_csl(items[2])
    assert created and report.source_type == "report" and report.year == 2017
    assert Reference.objects.count() == 3


def test_upsert_refuses_an_item_that_cannot_be_saved_naming_it(db):
    item, = parse_references('{"id": "x1", "title": "T", "DOI": "not a doi"}')
    with pytest.raises(ValueError, match=r"CSL-JSON item 1 \(x1\) could not be saved: doi: Enter a DOI"):
        upsert_from_csl(item)
    assert not Reference.objects.exists()


# The admin: the form, the paste page, the pop-up


def test_duplicate_doi_is_an_error_beside_the_doi_field_linking_to_the_existing_one(admin_client, make_reference):
    existing = make_reference(doi="10.1038/nrn3381")
    response = admin_client.post(reverse("admin:references_reference_add"), {
        "authors": "Someone, A.", "title": "A copy", "source_type": "journal-article", "doi": "doi:10.1038/NRN3381",
    })
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["doi"]
    link = reverse("admin:references_reference_change", args=[existing.pk])
    assert f'This DOI is already in the library: <a href="{link}">' in errors["doi"][0]
    assert "Cite this one instead" not in response.text  # not in a pop-up
    assert Reference.objects.count() == 1


def test_in_the_pop_up_the_editor_can_cite_the_existing_reference_instead(admin_client, make_reference):
    existing = make_reference(doi="10.1038/nrn3381")
    response = admin_client.post(reverse("admin:references_reference_add") + "?_to_field=id&_popup=1", {
        "_popup": "1", "_to_field": "id", "title": "A copy", "source_type": "journal-article",
        "doi": "10.1038/nrn3381",
    })
    pick = reverse("admin:references_reference_pick", args=[existing.pk]) + "?_popup=1&amp;_to_field=id"
    assert f'<a href="{pick}" class="button reference-pick">Cite this one instead</a>' in response.text
    picked = admin_client.get(reverse("admin:references_reference_pick", args=[existing.pk]) + "?_popup=1")
    assert "admin/js/popup_response.js" in picked.text
    data = json.loads(html.unescape(re.search(r'data-popup-response="([^"]*)"', picked.text).group(1)))
    assert data == {"value": str(existing.pk), "obj": str(existing)}


def test_reference_form_takes_one_name_a_line(admin_client):
    response = admin_client.post(reverse("admin:references_reference_add"), {
        "authors": "Russo, Scott J.\nNestler, E. J.\nWorld Health Organization", "title": "Reward",
        "source_type": "journal-article",
    })
    assert response.status_code == 302
    reference = Reference.objects.get()
    assert reference.authors == [{"family": "Russo", "given": "Scott J."}, {"family": "Nestler", "given": "E. J."},
                                 {"literal": "World Health Organization"}]
    assert reference.year is None and "(n.d.)" in reference.citation_html
    form = admin_client.get(reverse("admin:references_reference_change", args=[reference.pk])).text
    assert "Russo, Scott J.\nNestler, E. J.\nWorld Health Organization</textarea>" in form


def test_paste_page_adds_new_references_and_reports_existing_ones(admin_client, make_reference):
    existing = make_reference(doi="10.1038/nrn3381")
    changelist = admin_client.get(reverse("admin:references_reference_changelist")).text
    assert reverse("admin:references_reference_paste") in changelist
    response = admin_client.post(reverse("admin:references_reference_paste"), {"text": BIBTEX})
    assert response.status_code == 200
    assert response.context["existing"] == [existing]
    assert [reference.title for reference in response.context["created"]] == [
        "The Body Keeps the Score", "Depression and other common mental disorders: Global health estimates"]
    assert "2 new, 1 already in the library" in response.text
    assert Reference.objects.count() == 3


def test_paste_page_saves_nothing_when_one_entry_is_bad(admin_client):
    response = admin_client.post(reverse("admin:references_reference_paste"), {
        "text": BIBTEX + "\n@article{bad2020, title = {Bad}, doi = {not a doi}}"})
    assert response.status_code == 200
    assert "BibTeX entry “bad2020” could not be saved" in response.text
    assert "Nothing was saved" in response.text
    assert not Reference.objects.exists()


def test_paste_page_in_the_pop_up_offers_to_cite_each_reference(admin_client):
    add = admin_client.get(reverse("admin:references_reference_add") + "?_to_field=id&_popup=1").text
    paste = reverse("admin:references_reference_paste") + "?_popup=1&amp;_to_field=id"
    assert f'href="{paste}"' in add
    response = admin_client.post(reverse("admin:references_reference_paste") + "?_popup=1&_to_field=id",
                                 {"_popup": "1", "text": CSL_JSON})
    pick = reverse("admin:references_reference_pick", args=[Reference.objects.get(doi="10.1038/nrn3381").pk])
    assert f'href="{pick}?_popup=1&amp;_to_field=id">Cite this</a>' in response.text


def test_rendering_a_seven_reference_list_reads_stored_citations(make_article, make_reference,
                                                                 django_assert_max_num_queries):
    article = make_article(references=[make_reference() for _ in range(7)])
    citations = article.citation_list
    started = time.perf_counter()
    html_list = render_to_string("includes/reference_list.html", {"citations": citations})
    elapsed = time.perf_counter() - started
    assert html_list.count("<li") == 7 and "Primary research" not in html_list
    assert elapsed < 0.05, f"a 7-reference list took {elapsed * 1000:.1f} ms"


def test_library_search_and_citation_autocomplete_find_a_reference_by_author(admin_client, make_reference):
    russo = make_reference()
    make_reference(authors=[{"family": "Walker", "given": "M. P."}], title="Overnight therapy?")
    changelist = admin_client.get(reverse("admin:references_reference_changelist"), {"q": "nestler"})
    assert list(changelist.context["cl"].result_list) == [russo]
    found = admin_client.get(reverse("admin:autocomplete"), {
        "term": "Nestler", "app_label": "articles", "model_name": "articlecitation", "field_name": "reference"})
    assert [result["id"] for result in found.json()["results"]] == [str(russo.pk)]
