"""Structured data (JSON-LD) on every page type, checked against the properties schema.org and Google ask for.

RULES is the list, as data: for each type, the properties that must be present (required by the rule, or
recommended by it and promised by issue 18), with the source of the rule beside it. A node of a listed type
anywhere in a page's graph (nested ones included) is checked against it.
"""

import io
import json
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from mindlab import jsonld
from mindlab.models import SiteSettings
from references.models import Reference

GOOGLE = "https://developers.google.com/search/docs/appearance/structured-data/"
RULES = {
    # Google, Organization (GOOGLE + "organization"): no required property; recommended include name, url, logo,
    # sameAs, contactPoint (and email/telephone). The issue asks for logo, sameAs and contactPoint on the home page.
    "Organization@home": ("name", "url", "logo", "sameAs", "contactPoint"),
    # schema.org/ContactPoint; Google's Organization example gives contactType with telephone or email.
    "ContactPoint": ("contactType",),
    # schema.org/WebSite with potentialAction; the SearchAction as Google documented it for the sitelinks search
    # box (GOOGLE + "sitelinks-searchbox", retired from results in 2024; the schema.org markup stands):
    # potentialAction.target (an EntryPoint with urlTemplate) and query-input.
    "WebSite": ("url", "name", "potentialAction"),
    "SearchAction": ("target", "query-input"),
    "EntryPoint": ("urlTemplate",),
    # Google, Article (GOOGLE + "article"): no required property; recommended author (name, url), dateModified,
    # datePublished, headline, image. Issue 18 adds mainEntityOfPage, inLanguage, about or keywords, publisher.
    "Article": ("headline", "image", "author", "datePublished", "dateModified", "mainEntityOfPage", "inLanguage",
                "publisher"),
    # schema.org/WebPage defines lastReviewed and reviewedBy, which MedicalWebPage inherits (schema.org/MedicalWebPage);
    # issue 18 asks for datePublished, lastReviewed and reviewedBy on a hub.
    "MedicalWebPage": ("url", "name", "headline", "datePublished", "dateModified", "publisher", "inLanguage"),
    # schema.org/MediaObject: contentUrl, duration (ISO 8601), encodingFormat (a MIME type).
    "AudioObject": ("contentUrl", "duration", "encodingFormat"),
    # Google asks a publisher's logo of an Article's publisher (GOOGLE + "article", the author and publisher
    # guidelines; GOOGLE + "organization", logo).
    "Organization@publisher": ("name", "url", "logo"),
    "ImageObject": ("url",),
    # Google, FAQ (GOOGLE + "faqpage"): required FAQPage.mainEntity, Question.name, Question.acceptedAnswer,
    # Answer.text.
    "FAQPage": ("mainEntity",),
    "Question": ("name", "acceptedAnswer"),
    "Answer": ("text",),
    # Google, Breadcrumb (GOOGLE + "breadcrumb"): required itemListElement; ListItem item, name, position.
    "BreadcrumbList": ("itemListElement",),
    "ListItem": ("item", "name", "position"),
    # schema.org/Person: a cited author is a Person with a name (familyName as CSL stores it).
    "Person": ("name",),
}
# Properties schema.org defines on Person and not on Organization (schema.org/Person, schema.org/Organization).
PERSON_ONLY = {"jobTitle", "givenName", "familyName", "honorificPrefix", "honorificSuffix", "alumniOf", "worksFor"}
# The tags Google displays in Answer.text (GOOGLE + "faqpage"); every other tag is a stray wrapper.
ANSWER_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "br", "ol", "ul", "li", "a", "p", "div", "b", "strong", "i", "em"}


def graph(response):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S)
    return json.loads(match.group(1))["@graph"]


def nodes(value, parent_key=None):
    """Every node in a graph with the key it hangs under, nested ones included."""
    if isinstance(value, list):
        for item in value:
            yield from nodes(item, parent_key)
    elif isinstance(value, dict):
        if "@type" in value:
            yield parent_key, value
        for key, item in value.items():
            yield from nodes(item, key)


def problems(graph_nodes, practice_rule="Organization@publisher"):
    """What is missing, as "Type: property" lines, for every node of a type RULES names. The practice itself (the
    Organization with the site's @id) is held to `practice_rule`; any other organisation (a reviewer, a cited
    author or publisher) to a name."""
    found = []
    for _, node in nodes(graph_nodes):
        kind = node["@type"]
        rule = RULES.get(kind, ())
        if kind == "Organization":
            rule = RULES[practice_rule] if node.get("@id", "").endswith("/#organization") else ("name",)
        if kind == "WebSite" and not node.get("@id", "").endswith("/#website"):
            rule = ("name",)  # the site a cited web page is part of
        found += [f"{kind}: {name}" for name in rule if node.get(name) in (None, "", [])]
    return found


def typed(graph_nodes, kind):
    return [node for _, node in nodes(graph_nodes) if node["@type"] == kind]


def png(size=(1200, 630)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 110)).save(buffer, "PNG")
    return SimpleUploadedFile("image.png", buffer.getvalue())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def practice(db, media):
    site = SiteSettings.current()
    site.logo = png((600, 600))
    site.profile_urls = "https://www.linkedin.com/company/mindlab\nhttps://www.youtube.com/@mindlab"
    site.contact_email = "hello@mindlab.test"
    site.contact_phone = "+1-212-555-0100"
    site.save()
    return site


@pytest.fixture
def article(make_article, make_author, make_hub, make_reference, media):
    hub = make_hub(title="Depression & Drive")
    reviewer = make_author(name="Clinical Review Team", kind="organisation", role="Board-certified psychiatrists")
    book = make_reference(source_type="book", title="The Reward Brain", container="", publisher="Academic Press",
                          authors=[{"family": "Berridge", "given": "Kent"}, {"literal": "Reward Lab"}])
    chapter = make_reference(source_type="chapter", title="Wanting and liking", container="Handbook of Reward")
    report = make_reference(source_type="report", title="Depression fact sheet",
                            authors=[{"literal": "World Health Organization"}])
    web = make_reference(source_type="web-page", title="Dopamine explained", container="Brain Facts",
                         url="https://www.brainfacts.org/dopamine", doi="")
    return make_article(
        title="Why Motivation Fades", primary_hub=hub, reviewer=reviewer, last_reviewed=date(2026, 10, 1),
        hero_image=png(), hero_alt="A brain scan", tags=["dopamine", "motivation"],
        audio_url="https://media.mindlab.test/why-motivation-fades.mp3",
        audio_duration=timedelta(minutes=12, seconds=5),
        references=[make_reference(), book, chapter, report, web],
        faqs=[("Is low drive a symptom?", "Often, yes.\n\n![A figure](image:99)\n\n> A quote inside.")],
    )


def test_home_has_an_organization_and_a_website_with_a_search_action(client, practice):
    data = graph(client.get("/"))
    assert problems(data, "Organization@home") == []
    organization = typed(data, "Organization")[0]
    assert organization["logo"]["url"].endswith(".png") and organization["logo"]["width"] == 600
    assert organization["sameAs"] == ["https://www.linkedin.com/company/mindlab", "https://www.youtube.com/@mindlab"]
    assert organization["contactPoint"]["email"] == "hello@mindlab.test"
    assert organization["contactPoint"]["telephone"] == "+1-212-555-0100"
    action = typed(data, "SearchAction")[0]
    assert action["target"]["urlTemplate"] == "http://127.0.0.1:8000/search/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"


def test_the_search_action_names_the_query_parameter_the_search_page_reads(client, practice, make_article):
    make_article(title="Sleep and dopamine")
    template = typed(graph(client.get("/")), "SearchAction")[0]["target"]["urlTemplate"]
    response = client.get(template.replace("http://127.0.0.1:8000", "").replace("{search_term_string}", "dopamine"))
    assert "Sleep and dopamine" in response.text


def test_home_without_a_logo_uploaded_names_the_built_in_mark(client, db):
    logo = typed(graph(client.get("/")), "Organization")[0]["logo"]
    assert logo["url"].endswith("/static/img/logo.png") and (logo["width"], logo["height"]) == (512, 512)
    assert "sameAs" not in typed(graph(client.get("/")), "Organization")[0]  # none written: none claimed


def test_article_graph_has_every_required_and_recommended_property(client, article, practice):
    data = graph(client.get(article.get_absolute_url()))
    assert problems(data) == []
    work = typed(data, "Article")[0]
    url = f"http://127.0.0.1:8000{article.get_absolute_url()}"
    assert work["mainEntityOfPage"] == {"@id": url}
    assert typed(data, "MedicalWebPage")[0]["mainEntity"] == {"@id": work["@id"]}
    assert work["inLanguage"] == "en-US"
    assert work["author"]["url"] == "http://127.0.0.1:8000" + article.author.get_absolute_url()  # Google: author.url
    assert work["keywords"] == ["dopamine", "motivation"] and work["about"]["name"] == "Depression & Drive"
    assert work["image"]["width"] == 1200 and work["image"]["height"] == 630
    assert work["publisher"]["logo"]["url"].endswith(".png")
    assert work["audio"] == {
        "@type": "AudioObject", "name": "Why Motivation Fades (audio version)",
        "contentUrl": "https://media.mindlab.test/why-motivation-fades.mp3", "duration": "PT12M5S",
        "encodingFormat": "audio/mpeg",
    }


def test_an_organisation_reviewer_carries_no_person_only_property(client, article):
    data = graph(client.get(article.get_absolute_url()))
    reviewer = typed(data, "MedicalWebPage")[0]["reviewedBy"]
    assert reviewer["@type"] == "Organization" and reviewer["name"] == "Clinical Review Team"
    assert not PERSON_ONLY & set(reviewer)
    assert reviewer["description"] == "Board-certified psychiatrists"  # the role, said as an organisation may
    for organization in typed(data, "Organization"):
        assert not PERSON_ONLY & set(organization), organization


def test_a_person_author_keeps_the_job_title(client, article):
    author = typed(graph(client.get(article.get_absolute_url())), "Article")[0]["author"]
    assert author["@type"] == "Person" and author["jobTitle"] == "Neuro-Advisor & Author"


def test_citations_are_typed_by_their_source_with_people_as_person_objects(client, article):
    citations = typed(graph(client.get(article.get_absolute_url())), "Article")[0]["citation"]
    types = {cited["name"]: cited["@type"] for cited in citations}
    assert types["The Reward Brain"] == "Book" and types["Wanting and liking"] == "Chapter"
    assert types["Depression fact sheet"] == "Report" and types["Dopamine explained"] == "WebPage"
    assert sum(kind == "ScholarlyArticle" for kind in types.values()) == 1
    book = next(cited for cited in citations if cited["@type"] == "Book")
    assert book["author"] == [
        {"@type": "Person", "name": "Kent Berridge", "familyName": "Berridge", "givenName": "Kent"},
        {"@type": "Organization", "name": "Reward Lab"},
    ]
    assert set(Reference.SCHEMA_TYPES) >= {"journal-article", "book", "chapter", "report", "web-page"}


def test_faq_answers_carry_only_the_html_google_shows(client, article, make_faq, make_hub):
    answer = typed(graph(client.get(article.get_absolute_url())), "Answer")[0]["text"]
    assert set(re.findall(r"</?([a-z0-9-]+)", answer)) <= ANSWER_TAGS
    assert "mindlab-image" not in answer and "blockquote" not in answer and "A quote inside." in answer
    hub = make_hub()
    make_faq(hub=hub, answer="Yes, **mostly**.")
    assert typed(graph(client.get(hub.get_absolute_url())), "Answer")[0]["text"] == "Yes, <strong>mostly</strong>."


def test_a_one_paragraph_answer_is_sent_without_its_paragraph_wrapper():
    assert jsonld.answer_text("<p>Plain answer,\nover two lines.</p>") == "Plain answer, over two lines."
    assert jsonld.answer_text('<p id="x">One</p>\n<ul>\n<li>two</li>\n</ul>') == "<p>One</p><ul><li>two</li></ul>"


def test_hub_is_a_medical_web_page_with_its_review(client, make_hub, make_author, practice):
    reviewer = make_author(name="Dr. Lena Ortiz")
    hub = make_hub(title="Stress", author=make_author(), reviewer=reviewer, last_reviewed=date(2026, 9, 14))
    response = client.get(hub.get_absolute_url())
    data = graph(response)
    assert problems(data) == []
    page = typed(data, "MedicalWebPage")[0]
    assert page["reviewedBy"]["name"] == "Dr. Lena Ortiz" and page["lastReviewed"] == "2026-09-14"
    assert page["datePublished"]
    # Shown to readers, not only marked up.
    assert "Medically reviewed by" in response.text and "September 14, 2026" in response.text


def test_a_hub_without_a_review_claims_none(client, make_hub):
    page = typed(graph(client.get(make_hub().get_absolute_url())), "MedicalWebPage")[0]
    assert "reviewedBy" not in page and "lastReviewed" not in page


@pytest.mark.parametrize(("seconds", "expected"), [(750, "PT12M30S"), (3900, "PT1H5M"), (45, "PT45S"), (0, "PT0S")])
def test_durations_are_iso_8601(seconds, expected):
    assert jsonld.iso_duration(timedelta(seconds=seconds)) == expected
