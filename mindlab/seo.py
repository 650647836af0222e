"""The rules of what search engines and readers see of a page besides its text: its title in results, the
recommended lengths of the title and description, suggested addresses (slugs) and reading time.

The admin's static/admin/js/seo-fields.js applies the same rules as the editor types; the numbers and the stop
words reach it from here through data attributes (mindlab/seo_admin.py), so there is one list of each.
"""

import re

from django.conf import settings
from django.utils.text import slugify

TITLE_SEPARATOR = " | "
# Recommended lengths, in characters, of what a search result shows. Outside them the admin warns and the
# dashboard lists the page; nothing is ever cut to fit.
TITLE_MAX = 60
DESCRIPTION_MIN, DESCRIPTION_MAX = 120, 160
# What a search engine shows before it cuts with "…" (the preview imitates it; the stored text stays whole).
PREVIEW_TITLE_CHARS, PREVIEW_DESCRIPTION_CHARS = 60, 160

SLUG_MAX = 60
# Short words a slug does without, as search engines and readers skim past them. A title made only of them
# keeps them (a slug is never empty).
STOP_WORDS = frozenset("""
a an and are as at be but by for from how in into is it its of on or so than that the their them then there
these this those to vs was what when where which while who why will with your you
""".split())


def page_title(title, seo_title=""):
    """The <title>: the SEO title (else the title), followed by the site's name unless it already names the
    site (any capitalisation)."""
    text = (seo_title or "").strip() or title
    if settings.SITE_NAME.casefold() in text.casefold():
        return text
    return f"{text}{TITLE_SEPARATOR}{settings.SITE_NAME}"


def title_suffix():
    return f"{TITLE_SEPARATOR}{settings.SITE_NAME}"


def suggest_slug(title, max_length=SLUG_MAX):
    """A short address for a page with this title: its words as a slug, stop words left out, whole words up to
    `max_length` characters. The admin's script suggests the same; an existing slug is never changed by it."""
    words = [slugify(word) for word in re.split(r"[\s/–—-]+", title)]
    words = [word for word in words if word]
    kept = [word for word in words if word not in STOP_WORDS] or words
    slug = ""
    for word in kept:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or (kept[0][:max_length].strip("-") if kept else "")


def length_problem(kind, length):
    """What is wrong with a title or description of `length` characters for search results, or ''."""
    if kind == "title":
        return f"{length} characters: search results show about {TITLE_MAX}." if length > TITLE_MAX else ""
    if length and not DESCRIPTION_MIN <= length <= DESCRIPTION_MAX:
        return f"{length} characters: {DESCRIPTION_MIN}–{DESCRIPTION_MAX} is recommended."
    return ""
