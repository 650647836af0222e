"""Markdown → safe HTML, done once when content is saved.

Editors write Markdown; visitors get HTML that has been through an nh3 allow-list, so nothing an
editor (or a compromised editor account) types can run script in a reader's browser.
"""

import html
import math
import re
from dataclasses import dataclass, field

import markdown
import nh3
from django.utils.html import strip_tags
from django.utils.text import Truncator

WORDS_PER_MINUTE = 230

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "em", "figcaption", "figure",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "th": {"scope"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Dropped with their content, not just unwrapped: their text is never meant for the reader.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math"}
# Every image in written content sits below a page's title, header and hero: it loads when the reader nears
# it, and an editor's own `loading` or `decoding` is replaced.
IMAGE_LOADING = {"img": {"loading": "lazy", "decoding": "async"}}


class _DemoteH1(markdown.treeprocessors.Treeprocessor):
    """The page title is the only h1; a '# Heading' in a body becomes an h2."""

    def run(self, root):
        for element in root.iter("h1"):
            element.tag = "h2"


class _DemoteH1Extension(markdown.extensions.Extension):
    def extendMarkdown(self, md):
        # After inline processing (20), before the table of contents collects headings (5).
        md.treeprocessors.register(_DemoteH1(md), "demote_h1", 6)


@dataclass
class Rendered:
    html: str
    toc: list = field(default_factory=list)  # [{"id": ..., "title": ...}] for each h2
    text: str = ""

    @property
    def word_count(self):
        return len(self.text.split())

    @property
    def reading_minutes(self):
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE)) if self.word_count else 0

    @property
    def images_without_alt(self):
        return len(re.findall(r'<img(?![^>]*\balt="[^"]+")[^>]*>', self.html))

    def excerpt(self, words=40):
        first_paragraph = re.search(r"<p>(.*?)</p>", self.html, re.DOTALL)
        text = html.unescape(strip_tags(first_paragraph.group(1))) if first_paragraph else self.text
        return Truncator(" ".join(text.split())).words(words, truncate="…")


def sanitise(fragment):
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener",
        set_tag_attribute_values=IMAGE_LOADING,
        strip_comments=True,
    )


def render(source):
    """Render Markdown to sanitised HTML, with heading ids, an h2 table of contents and plain text."""
    md = markdown.Markdown(
        extensions=["tables", "sane_lists", "smarty", "toc", _DemoteH1Extension()],
        extension_configs={"toc": {"toc_depth": "2-3"}},
        output_format="html",
    )
    body = sanitise(md.convert(source or ""))
    toc = [
        {"id": token["id"], "title": html.unescape(strip_tags(token["name"]))}
        for token in md.toc_tokens
        if token["level"] == 2
    ]
    return Rendered(html=body, toc=toc, text=html.unescape(strip_tags(body)))

