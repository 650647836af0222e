"""Structured data (schema.org JSON-LD) for search engines, and the one way it reaches a page.

`graph()` escapes <, > and & as json_script does, so no text an editor types can close the
<script> element early; includes/structured_data.html puts it in a <script type="application/ld+json">,
which is data: CSP does not block it and it needs no nonce.
"""

import json
import re
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import to_locale

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def graph(*nodes):
    document = {"@context": "https://schema.org", "@graph": [node for node in nodes if node]}
    return mark_safe(json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES))


def absolute(path):
    """A path on this site as a URL on the canonical origin; a URL elsewhere (media in object storage) as it is."""
    return path if urlsplit(path).scheme else f"{settings.SITE_URL}{path}"


def language():
    """The site's language as BCP 47 (inLanguage: "en-US")."""
    language, _, region = settings.LANGUAGE_CODE.partition("-")
    return f"{language}-{region.upper()}" if region else language


def locale():
    """The site's language as Open Graph's og:locale wants it ("en_US")."""
    return to_locale(settings.LANGUAGE_CODE)


def site_settings():
    from .models import SiteSettings  # models import this module

    return SiteSettings.current()


# The built-in mark (static/img/logo.png, 512 × 512) when Site settings have no logo.
BUILT_IN_LOGO = ("img/logo.png", 512, 512)


def image_object(url, width=None, height=None):
    node = {"@type": "ImageObject", "url": absolute(url), "contentUrl": absolute(url)}
    if width and height:
        node |= {"width": width, "height": height}
    return node


def logo(site):
    if site.logo:
        return image_object(site.logo.url, site.logo_width, site.logo_height)
    path, width, height = BUILT_IN_LOGO
    return image_object(static(path), width, height)


def publisher(site=None):
    """The practice as the publisher of every page, with the logo Google asks of a publisher."""
    site = site or site_settings()
    return {"@type": "Organization", "@id": absolute("/#organization"), "name": settings.SITE_NAME,
            "url": absolute("/"), "logo": logo(site)}


def organization(site):
    """The home page's Organization: logo, the profiles that are the same organisation, how to reach it."""
    node = publisher(site)
    node["image"] = node["logo"]
    if site.profile_url_list:
        node["sameAs"] = site.profile_url_list
    contact = {"contactType": "customer service", "email": site.contact_email, "telephone": site.contact_phone}
    contact = {key: value for key, value in contact.items() if value}
    if len(contact) > 1:
        node["contactPoint"] = {"@type": "ContactPoint", **contact, "availableLanguage": language()}
        node |= {key: contact[key] for key in ("email", "telephone") if key in contact}
    return node


def website(site):
    """The site with the search engines' sitelinks search box: a SearchAction on the site's own search."""
    return {
        "@type": "WebSite",
        "@id": absolute("/#website"),
        "url": absolute("/"),
        "name": settings.SITE_NAME,
        "inLanguage": language(),
        "publisher": {"@id": absolute("/#organization")},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": absolute(reverse("search")) + "?q={search_term_string}"},
            "query-input": "required name=search_term_string",
        },
    }


# Properties schema.org defines on Person and not on Organization: an organisation (a review team) never has them.
PERSON_ONLY = ("jobTitle", "givenName", "familyName", "honorificPrefix", "honorificSuffix", "alumniOf", "worksFor")


def author(person):
    is_person = person.kind != "organisation"
    node = {
        "@type": "Person" if is_person else "Organization",
        "name": person.name,
        "url": absolute(person.get_absolute_url()),
    }
    if person.role and is_person:
        node["jobTitle"] = person.role
    elif person.role:
        node["description"] = person.role
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


# The tags Google shows in an FAQ answer (developers.google.com/search/docs/appearance/structured-data/faqpage,
# Answer.text); the rest (figures, tables, quotes, heading ids) are dropped, their text kept.
ANSWER_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "br", "ol", "ul", "li", "a", "p", "div", "b", "strong", "i", "em"}


def answer_text(html):
    """An FAQ answer as Google takes it: one paragraph as plain text, more as the minimal HTML it allows."""
    text = nh3.clean(html, tags=ANSWER_TAGS, attributes={"a": {"href"}}, link_rel=None).strip()
    text = " ".join(re.sub(r">\s+<", "><", text).split())
    if text.startswith("<p>") and text.endswith("</p>") and text.count("<p>") == 1:
        text = text[3:-4]
    return text


def faq_page(faqs):
    if not faqs:
        return None
    return {
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": faq.question,
                "acceptedAnswer": {"@type": "Answer", "text": answer_text(faq.answer_html)},
            }
            for faq in faqs
        ],
    }


def hero(page):
    if page.hero_image:
        return image_object(page.hero_image.url, page.hero_width, page.hero_height)
    return None


def medical_page(page, *, headline, description, writer, citations, date_published=None, reviewer=None,
                 last_reviewed=None, main_entity=None, site=None):
    """The page itself (hubs and articles): who wrote it, who reviewed it medically and when, what it cites."""
    url = absolute(page.get_absolute_url())
    node = {
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "headline": headline,
        "name": headline,
        "description": description,
        "inLanguage": language(),
        "datePublished": date_published or page.first_published,
        "dateModified": page.content_date,
        "publisher": publisher(site),
        "isPartOf": {"@id": absolute("/#website")},
        "citation": [citation(cited.reference) for cited in citations],
    }
    if image := hero(page):
        node["image"] = image
    if writer:
        node["author"] = author(writer)
    if reviewer and last_reviewed:
        node["reviewedBy"] = author(reviewer)
        node["lastReviewed"] = last_reviewed
    if main_entity:
        node["mainEntity"] = {"@id": main_entity["@id"]}
    return node


AUDIO_TYPES = {".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".ogg": "audio/ogg", ".oga": "audio/ogg", ".wav": "audio/wav"}


def iso_duration(value):
    """A timedelta as ISO 8601 (schema.org's Duration): "PT12M30S", "PT1H5M"."""
    hours, rest = divmod(int(value.total_seconds()), 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{number}{unit}" for number, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if number]
    return "PT" + ("".join(parts) or "0S")


def audio(article):
    if not article.audio_src:
        return None
    node = {"@type": "AudioObject", "name": f"{article.title} (audio version)",
            "contentUrl": absolute(article.audio_src)}
    if article.audio_duration:
        node["duration"] = iso_duration(article.audio_duration)
    if encoding := AUDIO_TYPES.get(PurePosixPath(urlsplit(article.audio_src).path).suffix.lower()):
        node["encodingFormat"] = encoding
    return node


def article(page, *, writer, hub, tags, citations, site):
    """The article as a work (Google's Article): on its page (mainEntityOfPage), with an image, the words it is
    about, the audio version and a publisher with a logo. The MedicalWebPage names it as its mainEntity."""
    url = absolute(page.get_absolute_url())
    node = {
        "@type": "Article",
        "@id": f"{url}#article",
        "mainEntityOfPage": {"@id": url},
        "headline": page.title,
        "description": page.search_description,
        "inLanguage": language(),
        "datePublished": page.first_published,
        "dateModified": page.content_date,
        "articleSection": hub.title,
        "keywords": [tag.name for tag in tags] or [hub.title],
        "about": {"@type": "Thing", "name": hub.title, "url": absolute(hub.get_absolute_url())},
        "publisher": publisher(site),
        "isAccessibleForFree": True,
        "wordCount": page.word_count,
        "citation": [citation(cited.reference) for cited in citations],
    }
    image = hero(page) or (image_object(site.share_image.url, site.share_image_width, site.share_image_height)
                           if site.share_image else None)
    if image:
        node["image"] = image
    if writer:
        node["author"] = author(writer)
    if sound := audio(page):
        node["audio"] = sound
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
