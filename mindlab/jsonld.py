"""Structured data (schema.org JSON-LD) for search engines, and the one way it reaches a page.

`graph()` escapes <, > and & as json_script does, so no text an editor types can close the
<script> element early; includes/structured_data.html puts it in a <script type="application/ld+json">,
which is data: CSP does not block it and it needs no nonce.
"""

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def graph(*nodes):
    document = {"@context": "https://schema.org", "@graph": [node for node in nodes if node]}
    return mark_safe(json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES))


def absolute(path):
    """A path on this site as a URL on the canonical origin; a URL elsewhere (media in object storage) as it is."""
    return path if urlsplit(path).scheme else f"{settings.SITE_URL}{path}"


def publisher():
    return {"@type": "Organization", "name": settings.SITE_NAME, "url": absolute("/")}


def author(person):
    node = {
        "@type": "Organization" if person.kind == "organisation" else "Person",
        "name": person.name,
        "url": absolute(person.get_absolute_url()),
    }
    if person.role:
        node["jobTitle"] = person.role
    credentials = [str(credential) for credential in person.credentials.all()]
    if credentials:
        node["hasCredential"] = [
            {"@type": "EducationalOccupationalCredential", "name": credential} for credential in credentials
        ]
    if person.headshot:
        node["image"] = absolute(person.headshot.url)
    return node


def author_page(person):
    node = author(person)
    node["description"] = person.short_bio
    node["sameAs"] = [link.url for link in person.profile_links.all()]
    return node


def citation(reference):
    """A cited source: its schema.org type from its source type, people and organisations as named nodes."""
    node = {
        "@type": reference.schema_type,
        "name": reference.title,
        "author": [_cited_name(name) for name in reference.authors],
    }
    if reference.year:
        node["datePublished"] = str(reference.year)
    if reference.container:
        part_of = {"ScholarlyArticle": "Periodical", "Chapter": "Book", "WebPage": "WebSite"}.get(node["@type"])
        node["isPartOf"] = {"@type": part_of, "name": reference.container} if part_of else reference.container
    if reference.publisher:
        node["publisher"] = {"@type": "Organization", "name": reference.publisher}
    if reference.doi:
        node["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": reference.doi}
    if reference.link:
        node["url"] = reference.link
    return node


def _cited_name(name):
    if name.get("literal"):
        return {"@type": "Organization", "name": name["literal"]}
    given, family = name.get("given", ""), name.get("family", "")
    node = {"@type": "Person", "name": f"{given} {family}".strip(), "familyName": family}
    return {**node, "givenName": given} if given else node


def breadcrumbs(*trail):
    """trail: (name, path) pairs from Home to the current page."""
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": absolute(path)}
            for position, (name, path) in enumerate(trail, start=1)
        ],
    }


def faq_page(faqs):
    if not faqs:
        return None
    return {
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": faq.question,
                "acceptedAnswer": {"@type": "Answer", "text": faq.answer_html},
            }
            for faq in faqs
        ],
    }


def medical_page(page, *, headline, description, writer, citations, date_published=None, reviewer=None,
                 last_reviewed=None):
    node = {
        "@type": "MedicalWebPage",
        "url": absolute(page.get_absolute_url()),
        "headline": headline,
        "name": headline,
        "description": description,
        "dateModified": page.content_date,
        "publisher": publisher(),
        "citation": [citation(cited.reference) for cited in citations],
    }
    if date_published:
        node["datePublished"] = date_published
    if page.hero_image:
        node["image"] = absolute(page.hero_image.url)
    if writer:
        node["author"] = author(writer)
    if reviewer:
        node["reviewedBy"] = author(reviewer)
        node["lastReviewed"] = last_reviewed
    return node


def web_page(page, *, name, description):
    """A page that is neither medical nor an article (About, Privacy policy): schema.org's WebPage."""
    node = {
        "@type": "WebPage",
        "url": absolute(page.get_absolute_url()),
        "name": name,
        "description": description,
        "dateModified": page.content_date,
        "publisher": publisher(),
        "isPartOf": {"@type": "WebSite", "name": settings.SITE_NAME, "url": absolute("/")},
    }
    if page.hero_image:
        node["image"] = absolute(page.hero_image.url)
    return node
