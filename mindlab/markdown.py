"""Markdown → safe HTML, done once when content is saved.

Editors write Markdown; visitors get HTML that has been through an nh3 allow-list, so nothing an
editor (or a compromised editor account) types can run script in a reader's browser.
"""

import html
import math
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import markdown
import nh3
from django.utils.html import strip_tags
from django.utils.text import Truncator

WORDS_PER_MINUTE = 230

# `![alt](image:12)` names an image of the media library. The renderer stores only this placeholder, made from
# the body's own text; `media_library` expands it into a <figure> from the Image row when the page is rendered
# (docs/architecture.md, "Images in bodies"). Its srcset, sizes and caption never pass through the sanitiser.
IMAGE_TAG = "mindlab-image"
IMAGE_PLACEHOLDER = re.compile(rf"<{IMAGE_TAG}((?:\s+[\w-]+=\"[^\"]*\")*)\s*>.*?</{IMAGE_TAG}>", re.DOTALL)


def image_placeholder(match):
    """(the image's key or None, the alt text the body gives, unescaped) of an IMAGE_PLACEHOLDER match."""
    attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', match.group(1)))
    key = attributes.get("data-id", "")
    return (int(key) if key.isdigit() else None), html.unescape(attributes.get("data-alt", ""))


# Where a figure cannot stand (a figure is not phrasing content): it follows the paragraph or heading instead.
_PHRASING_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "dt"}
_FLOW_CONTAINERS = {"li", "blockquote", "td", "th", "div"}

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "em", "figcaption", "figure",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", IMAGE_TAG,
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "th": {"scope"},
    "ol": {"start"},
    IMAGE_TAG: {"data-id", "data-alt"},
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
        md.treeprocessors.register(_ImageReferences(md), "image_references", 7)


class _ImageReferences(markdown.treeprocessors.Treeprocessor):
    """`![alt](image:12)` → the media library's placeholder. A figure cannot stand inside a paragraph or a
    heading: there it follows the paragraph (which goes if nothing else was in it); in a list item, quote or
    table cell it stays where it was written."""

    def run(self, root):
        parents = {child: parent for parent in root.iter() for child in parent}
        last_after, emptied = {}, []
        for image in [element for element in root.iter("img") if element.get("src", "").startswith("image:")]:
            reference = image.get("src")[len("image:"):].strip()
            placeholder = etree.Element(IMAGE_TAG, {"data-id": reference if reference.isdigit() else ""})
            if image.get("alt", "").strip():
                placeholder.set("data-alt", image.get("alt").strip())
            on_path, node = image, parents[image]
            while node.tag not in _PHRASING_BLOCKS | _FLOW_CONTAINERS and node in parents:
                on_path, node = node, parents[node]
            index = list(parents[image]).index(image)
            _unlink(parents[image], image)
            if node.tag in _PHRASING_BLOCKS and node in parents:
                container, after = parents[node], last_after.get(node, node)
                container.insert(list(container).index(after) + 1, placeholder)
                last_after[node] = placeholder
                emptied.append(node)
            else:
                node.insert(index if on_path is image else list(node).index(on_path) + 1, placeholder)
        for block in emptied:
            if not (block.text or "").strip() and not len(block) and block in list(parents[block]):
                parents[block].remove(block)  # the paragraph held only images


def _unlink(parent, element):
    """Remove `element` from `parent`, keeping the text that followed it."""
    index = list(parent).index(element)
    if element.tail:
        if index:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def reading_minutes(words):
    """Minutes to read `words` words at WORDS_PER_MINUTE, rounded up; 0 for no words."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE)) if words else 0


@dataclass
class Rendered:
    html: str
    toc: list = field(default_factory=list)  # [{"id", "title", "children": [{"id", "title"}]}]: h2s, their h3s
    text: str = ""

    @property
    def word_count(self):
        return len(self.text.split())

    @property
    def reading_minutes(self):
        return reading_minutes(self.word_count)

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


def _contents(tokens):
    """The table of contents from the toc extension's tokens: each h2 with the h3s under it. An h3 before the
    first h2 has nothing to nest under and stands on its own, so no heading of the body is left out."""
    entries = []
    for token in tokens:  # top level: h2s, and h3s before any h2 (the extension nests by level)
        entry = {"id": token["id"], "title": html.unescape(strip_tags(token["name"]))}
        children = [{"id": child["id"], "title": html.unescape(strip_tags(child["name"]))}
                    for child in token["children"] if child["level"] == 3]
        entries.append({**entry, "children": children} if token["level"] == 2 else {**entry, "children": []})
    return entries


def render(source):
    """Render Markdown to sanitised HTML, with heading ids, an h2 table of contents and plain text."""
    md = markdown.Markdown(
        extensions=["tables", "sane_lists", "smarty", "toc", _DemoteH1Extension()],
        extension_configs={"toc": {"toc_depth": "2-3"}},
        output_format="html",
    )
    body = sanitise(md.convert(source or ""))
    toc = _contents(md.toc_tokens)
    return Rendered(html=body, toc=toc, text=html.unescape(strip_tags(body)))

