import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

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
    duplicate = Reference(authors="X, Y.", year=2020, title="Copy", doi="https://doi.org/10.1038/NRN3381")
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
    reference = Reference(authors="X, Y.", year=2020, title="T", doi="not a doi")
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
