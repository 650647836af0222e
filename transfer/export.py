"""The library as Markdown files with front matter (docs/import-format.md): what `import_content` reads back.

`export_library()` returns {relative path: bytes} for every author, live hub, article and standalone page, with
the images and audio they use. The same library always gives the same bytes: files are named by slugs (and a
body image by its library title), never by a database id or a stored file's generated name, and dates are
written in the site's time zone. So export → import into an empty database → export gives identical files.

A page is written as readers see it (its live row), not as its pending revision. A medical review is written only
while it is of the text written: a review the text has moved past is left out, so an import cannot present
unreviewed text as reviewed.
"""

import hashlib
import io
import posixpath
import re
import zipfile

import yaml
from django.utils import timezone
from django.utils.duration import duration_string
from django.utils.text import slugify

from articles.models import Article
from authors.models import Author
from hubs.models import Hub
from media_library.models import Image
from mindlab.models import Status
from pages.models import Page as StandalonePage

FOLDERS = ("authors", "hubs", "articles", "pages", "images", "audio")
# `![alt](image:12)` or `![alt](image:12 "Caption")` in a stored body or intro.
LIBRARY_IMAGE = re.compile(r'!\[(?P<alt>[^\]]*)\]\(\s*<?image:(?P<id>\d+)>?(?:\s+"[^"]*")?\s*\)')
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # a fixed time in the archive, so the same library is the same .zip


def export_library():
    """{path: bytes} for the whole library, paths relative to the export's folder, sorted."""
    files = Files()
    for author in Author.objects.prefetch_related("credentials", "featured_in", "profile_links").order_by("slug"):
        files.write_page("authors", author.slug, author_fields(author, files), author.bio)
    for hub in Hub.objects.filter(draft_of=None).select_related("author", "reviewer", "featured_article").order_by(
            "slug"):
        files.write_page("hubs", hub.slug, hub_fields(hub, files), files.body(hub.body))
    articles = Article.objects.filter(draft_of=None).select_related("primary_hub", "author", "reviewer").order_by(
        "slug")
    for article in articles:
        files.write_page("articles", article.slug, article_fields(article, files), files.body(article.body))
    for page in StandalonePage.objects.filter(draft_of=None).order_by("slug"):
        files.write_page("pages", page.slug, standalone_fields(page), files.body(page.body))
    return dict(sorted(files.written.items()))


def as_zip(files):
    """The files as one .zip archive's bytes, the same bytes for the same files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in files.items():
            info = zipfile.ZipInfo(path, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


class Files:
    """What the export has written so far, and the names it gave the media files."""

    def __init__(self):
        self.written = {}
        self.images = {}  # library image id → its path in the export

    def write_page(self, folder, slug, fields, body):
        front = yaml.dump(
            {key: value for key, value in fields.items() if value not in (None, "", [], False)},
            Dumper=Dumper, sort_keys=False, allow_unicode=True, width=110,
        )
        text = f"---\n{front}---\n" + (f"\n{body.strip()}\n" if body and body.strip() else "")
        self.written[f"{folder}/{slug}.md"] = text.encode()

    def media(self, field_file, folder, stem):
        """Copy a stored file into the export as `folder/stem.ext`; its path as a page in a sibling folder names it."""
        if not field_file:
            return ""
        extension = posixpath.splitext(field_file.name)[1].lower()
        path = f"{folder}/{stem}{extension}"
        with field_file.storage.open(field_file.name, "rb") as stored:
            self.written[path] = stored.read()
        return f"../{path}"

    def body(self, text):
        """A body or intro with each library image named by its file in the export, with its alt text and caption,
        as the importer reads it (`![alt](../images/library/scan.jpg "Caption")`)."""
        ids = {int(match.group("id")) for match in LIBRARY_IMAGE.finditer(text or "")}
        for image in Image.objects.filter(pk__in=ids - set(self.images)).order_by("pk"):
            self.images[image.pk] = (self.media(image.file, "images/library", self.image_stem(image)), image)

        def named(match):
            if int(match.group("id")) not in self.images:  # not in the library: the page shows nothing for it
                return match.group(0)
            path, image = self.images[int(match.group("id"))]
            alt = match.group("alt").strip() or image.alt
            caption = image.caption.replace('"', "”")  # the importer reads the caption between straight quotes
            return f"![{alt}]({path}" + (f' "{caption}")' if caption else ")")

        return LIBRARY_IMAGE.sub(named, text or "")

    def image_stem(self, image):
        """The title as a file name (the importer makes the title from it, so a second export names it the same);
        another image with the same name gets its content's digest too."""
        stem = slugify(posixpath.splitext(image.title)[0] if "." in image.title else image.title) or "image"
        extension = posixpath.splitext(image.file.name)[1].lower()
        taken = {path for path in self.written if path.startswith("images/library/")}
        if f"images/library/{stem}{extension}" not in taken:
            return stem
        with image.file.storage.open(image.file.name, "rb") as stored:
            return f"{stem}-{hashlib.sha256(stored.read()).hexdigest()[:8]}"


class Dumper(yaml.SafeDumper):
    """YAML as a person writes it: texts of several lines as blocks, lists of names in one line."""


def _text(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


Dumper.add_representer(str, _text)


class Inline(list):
    """A list written on one line: `tags: [sleep, stress]`."""


class InlineMap(dict):
    """A small mapping written on one line: `{family: Schultz, given: W.}`."""


Dumper.add_representer(Inline, lambda dumper, value: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", value, flow_style=True))
Dumper.add_representer(InlineMap, lambda dumper, value: dumper.represent_mapping(
    "tag:yaml.org,2002:map", value, flow_style=True))


def moment(value):
    """A date and time in the site's time zone with its offset (the importer reads it back as the same moment);
    to the minute when that is all it holds."""
    if value is None:
        return None
    local = timezone.localtime(value)
    return local.isoformat(sep=" ", timespec="minutes" if not (local.second or local.microsecond) else "auto")


def status(page):
    if page.has_published_status:
        return Status.PUBLISHED.value
    return (Status.IN_REVIEW if page.workflow_status == Status.IN_REVIEW else Status.DRAFT).value


def references(page):
    items = []
    for citation in page.citations.select_related("reference").order_by("order", "pk"):
        reference = citation.reference
        csl = reference.to_csl()
        csl.pop("id")  # a database id: another library gives the same entry another one
        for names in ("author", "editor"):
            if names in csl:
                csl[names] = [InlineMap(name) for name in csl[names]]
        if "issued" in csl:
            csl["issued"] = InlineMap(csl["issued"])
        if reference.source_type == "guideline":
            csl["genre"] = "guideline"  # CSL has no guideline type: a report with this genre is read as one
        items.append({"csl": csl, "evidence": reference.evidence} if reference.evidence else {"csl": csl})
    return items


def author_fields(author, files):
    return {
        "type": "author", "name": author.name, "slug": author.slug,
        "kind": author.kind if author.kind != Author.Kind.PERSON else None,
        "role": author.role, "short_bio": author.short_bio,
        "headshot": files.media(author.headshot, "images/authors", author.slug),
        "headshot_alt": author.headshot_alt if author.headshot else "",
        "credentials": [{"degree": row.degree, "institution": row.institution} if row.institution else
                        {"degree": row.degree} for row in author.credentials.all()],
        "featured_in": [{"outlet": row.outlet, "url": row.url} if row.url else {"outlet": row.outlet}
                        for row in author.featured_in.all()],
        "profile_links": [{"label": row.label, "url": row.url} for row in author.profile_links.all()],
    }


def page_fields(page, files, kind):
    return {
        "type": kind, "title": page.title, "slug": page.slug, "status": status(page),
        "seo_title": page.seo_title, "meta_description": page.meta_description,
        "updated": moment(page.content_updated),
        "hero_image": files.media(page.hero_image, "images/heroes", f"{kind}-{page.slug}"),
        "hero_alt": page.hero_alt if page.hero_image else "",
        "key_takeaways": [line.strip() for line in page.key_takeaways.splitlines() if line.strip()],
    }


def hub_fields(hub, files):
    groups = [{"heading": group.heading, "faqs": [{"question": faq.question, "answer": faq.answer}
                                                  for faq in group.faqs.order_by("order", "pk")]}
              for group in hub.faq_groups.order_by("order", "pk")]
    return {
        **page_fields(hub, files, "hub"),
        "tagline": hub.tagline, "pillar_label": hub.pillar_label, "intro": files.body(hub.intro),
        "author": hub.author.slug if hub.author else "",
        "reviewer": hub.reviewer.slug if hub.reviewer and hub.last_reviewed else "",
        "last_reviewed": hub.last_reviewed if hub.reviewer else None,
        "featured_article": hub.featured_article.slug if hub.featured_article else "",
        "faq_groups": [{key: value for key, value in group.items() if value} for group in groups if group["faqs"]],
        "references": references(hub),
        "related_hubs": Inline(sorted(row.slug for row in hub.related_hubs.all())),
        "is_sensitive": hub.is_sensitive, "order": hub.order or None,
    }


def article_fields(article, files):
    reviewed = article.review_is_current  # a review of other text would vouch for this one
    return {
        **page_fields(article, files, "article"),
        "hub": article.primary_hub.slug,
        "hubs": Inline(sorted(hub.slug for hub in article.hubs.all())),
        "author": article.author.slug,
        "reviewer": article.reviewer.slug if reviewed else "",
        "last_reviewed": article.last_reviewed if reviewed else None,
        "review_note": article.review_note,
        "review_interval_months": article.review_interval_months if article.review_interval_months != 12 else None,
        "publish_at": moment(article.publish_at), "expire_at": moment(article.expire_at),
        "excerpt": article.excerpt,
        "tags": Inline(sorted(tag.name for tag in article.tags.all())),
        "audio": files.media(article.audio_file, "audio", article.slug),
        "audio_url": article.audio_url,
        "audio_duration": duration_string(article.audio_duration) if article.audio_duration else None,
        "reading_time": article.reading_time_override,
        "disclaimer": article.disclaimer, "disclaimer_position": article.disclaimer_position,
        "faqs": [{"question": faq.question, "answer": faq.answer} for faq in article.faqs.order_by("order", "pk")],
        "references": references(article),
        "related": Inline(sorted(row.slug for row in article.related_articles.filter(draft_of=None))),
    }


def standalone_fields(page):
    return {
        "type": "page", "title": page.title, "slug": page.slug, "status": status(page),
        "seo_title": page.seo_title, "meta_description": page.meta_description,
        "updated": moment(page.content_updated),
    }
