"""A WordPress export (WXR 1.0–1.2) → the same Markdown files with front matter that `import_content` reads.

`read_export(path, uploads)` parses the XML with defusedxml (entity declarations, a DTD and external references
are refused, and a file above MAX_EXPORT_BYTES is refused before it is parsed) and returns an `Export`: one
`SourceFile` per author, category (a hub) and post (an article), written as front matter and Markdown, so
`transfer.importer.Importer` checks and applies them on its one code path, with its dry run, per-item errors and
idempotency. Images named by `wp-content/uploads/…` URLs are read from the uploads folder.

A post's HTML goes through the site's sanitiser (mindlab.markdown.sanitise), then markdownify; its images are
set aside first (the sanitiser would keep them as remote `<img>`) and come back as `![alt](YYYY/MM/file.jpg)`,
which the importer stores in the media library as `![alt](image:ID)`. An image without alt text cannot be in the
library (its alt is required): it is left out, and the post is imported as a draft with the reason.
"""

import html
import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import yaml
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.text import slugify
from markdownify import markdownify

from articles.models import Article
from hubs.models import Hub
from mindlab.markdown import sanitise
from mindlab.redirects import record_move

from .importer import Importer, Report, failure
from .models import WordPressPost
from .sources import AttachmentError, SourceFile

MAX_EXPORT_BYTES = 256 * 1024 * 1024
STATUSES = {"publish": "published", "future": "published", "draft": "draft", "pending": "review",
            "private": "draft"}
WP = re.compile(r"^http://wordpress\.org/export/1\.\d+/$")
NAMESPACES = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
UPLOADS = re.compile(r"(?:^|/)wp-content/uploads/(?P<path>.+)$")
SIZED = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")  # brain-300x200.jpg, a size WordPress made of brain.jpg
BLOCK = re.compile(r"^\s*<(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|figure|hr|img|!--)\b", re.IGNORECASE)
# Shortcodes of WordPress and of the common page builders. Anything else in brackets ("[sic]", "[1]") is text.
SHORTCODES = {"caption", "wp_caption", "gallery", "embed", "video", "audio", "playlist", "contact-form-7",
              "contact-form", "wpforms", "ninja_form", "toc", "button"}
SHORTCODE_PREFIXES = ("vc_", "et_pb_", "fusion_", "av_")
SHORTCODE = re.compile(r"\[(?P<close>/?)(?P<name>[A-Za-z][\w-]*)(?P<attrs>(?:\s[^\]]*)?)\]")


class ExportError(Exception):
    """The export cannot be read at all: one line, nothing imported."""


@dataclass
class Post:
    """What the importer needs to know about a post besides its file: for the WordPress ID and the old URLs."""

    post_id: int
    name: str  # how the report names it
    slug: str
    old_paths: list  # its public addresses on the old site (none for a draft)
    notes: list = field(default_factory=list)
    as_draft: bool = False


@dataclass
class Export:
    sources: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # (item name, problem): items that cannot even be written
    posts: dict = field(default_factory=dict)  # source name → Post
    categories: dict = field(default_factory=dict)  # hub slug → (item name, term ID or None, old category path)
    skipped: dict = field(default_factory=dict)  # WordPress post type or status → count


def import_wordpress(path, uploads=None, dry_run=False, progress=None):
    """Import a WXR file: (Report, Export, the number of redirects added or, in a dry run, that would be).
    ExportError when the file cannot be read at all."""
    export = read_export(path, uploads, slug_for_post=imported_slug)
    report = Report([failure(name, problem) for name, problem in export.problems])
    Importer(dry_run=dry_run, progress=progress).run(export.sources, report)
    for outcome in report.outcomes:
        post = export.posts.get(outcome.name)
        if post and outcome.verdict != "failed":
            outcome.notes = post.notes + outcome.notes
            outcome.as_draft = outcome.as_draft or post.as_draft
    failed = {outcome.name for outcome in report.failed}
    moves = []  # (old path, the model, its slug)
    for post in export.posts.values():
        if post.name not in failed:
            moves += [(old_path, Article, post.slug) for old_path in post.old_paths]
    for slug, (name, term_id, old_path) in export.categories.items():
        if name not in failed:
            moves += [(old_path, Hub, slug)] + ([(f"/?cat={term_id}", Hub, slug)] if term_id else [])
    if dry_run:
        return report, export, len(moves)
    added = 0
    with transaction.atomic() if moves else nullcontext():
        for post in export.posts.values():
            if post.name not in failed and post.post_id:
                article = Article.objects.get(slug=post.slug, draft_of=None)
                WordPressPost.objects.filter(article=article).exclude(post_id=post.post_id).delete()
                WordPressPost.objects.update_or_create(post_id=post.post_id, defaults={"article": article})
        for old_path, model, slug in moves:
            new_path = model.objects.get(slug=slug, draft_of=None).get_absolute_url()
            if not Redirect.objects.filter(site_id=settings.SITE_ID, old_path=old_path, new_path=new_path).exists():
                record_move(old_path, new_path)
                added += old_path != new_path
    return report, export, added


def imported_slug(post_id):
    """The slug of the article a WordPress post was imported as before, if any."""
    return WordPressPost.objects.filter(post_id=post_id).values_list("article__slug", flat=True).first()


def read_export(path, uploads=None, slug_for_post=None):
    """The Export of a WXR file. `slug_for_post(post_id)` names the slug a post was imported under before, so a
    post whose WordPress slug changed since updates the same article."""
    path = Path(path)
    if not path.is_file():
        raise ExportError("no such file")
    if path.stat().st_size > MAX_EXPORT_BYTES:
        raise ExportError(f"larger than {MAX_EXPORT_BYTES // (1024 * 1024)} MB: export it in parts "
                          "(WordPress's Tools → Export can choose a category or a date range)")
    try:
        root = SafeElementTree.parse(path, forbid_dtd=True).getroot()
    except DefusedXmlException as error:
        raise ExportError(f"refused: the file declares a DTD or XML entities ({type(error).__name__}), which a "
                          "WordPress export never does; entity expansion is an attack on the importer") from error
    except SafeElementTree.ParseError as error:
        raise ExportError(f"not well-formed XML: {error}") from error
    channel = root.find("channel")
    if root.tag != "rss" or channel is None or not any(WP.match(_namespace(e.tag)) for e in channel.iter()):
        raise ExportError("not a WordPress export (WXR): export it with WordPress's Tools → Export")
    return Reader(channel, uploads, slug_for_post or (lambda post_id: None)).export()


def _namespace(tag):
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _children(element, name, kind="wp"):
    for child in element:
        uri = _namespace(child.tag)
        if _local(child.tag) != name:
            continue
        if (kind == "wp" and WP.match(uri)) or (kind == "excerpt" and uri.endswith("/excerpt/")) or (
                NAMESPACES.get(kind) == uri) or (kind == "" and not uri):
            yield child


def _text(element, name, kind="wp"):
    found = next(_children(element, name, kind), None)
    return (found.text or "").strip() if found is not None else ""


def _gmt(value):
    """A WordPress "2024-03-05 09:30:00" date in UTC, or None for the "0000-00-00 00:00:00" of a draft."""
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _local_date(value):
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def _slug(value, fallback):
    return slugify(unquote(value or ""))[:200].strip("-") or fallback


def _front_matter(meta, body=""):
    """A Markdown file with front matter: exactly what markdown_files.read() checks, as any file is checked."""
    header = yaml.safe_dump({key: value for key, value in meta.items() if value not in (None, "", [])},
                            allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{header}---\n\n{body}\n".encode()


class Reader:
    def __init__(self, channel, uploads, slug_for_post):
        self.channel = channel
        self.uploads = Path(uploads).resolve() if uploads else None
        self.slug_for_post = slug_for_post
        self.result = Export()

    def export(self):
        items = list(_children(self.channel, "item", ""))
        self.attachments = {}
        for item in items:
            if _text(item, "post_type") == "attachment":
                meta = self.postmeta(item)
                self.attachments[_text(item, "post_id")] = {
                    "path": meta.get("_wp_attached_file") or self.upload_path(_text(item, "attachment_url")),
                    "alt": meta.get("_wp_attachment_image_alt", "").strip(),
                }
        self.read_authors()
        self.read_categories(items)
        for item in items:
            kind, status = _text(item, "post_type"), _text(item, "status")
            if kind != "post":
                self.skip(f"{kind or 'untyped item'}")
            elif status not in STATUSES:
                self.skip(f"post with status {status or 'none'}")
            else:
                self.read_post(item)
        return self.result

    def skip(self, what):
        self.result.skipped[what] = self.result.skipped.get(what, 0) + 1

    def postmeta(self, item):
        meta = {}
        for row in _children(item, "postmeta"):
            meta[_text(row, "meta_key")] = _text(row, "meta_value")
        return meta

    def source(self, name, meta, body=""):
        self.result.sources.append(SourceFile(name, _front_matter(meta, body), self.read_upload))
        return name

    def read_upload(self, relative):
        if self.uploads is None:
            raise AttachmentError("the export names this upload: give the uploads folder with --uploads DIR")
        target = (self.uploads / relative).resolve()
        if not target.is_relative_to(self.uploads):
            raise AttachmentError("the path leads outside the uploads folder")
        if not target.is_file():
            raise AttachmentError(f"no such file in the uploads folder ({self.uploads})")
        if target.stat().st_size > settings.MAX_AUDIO_UPLOAD_BYTES:
            raise AttachmentError("the file is larger than any upload may be")
        return target.read_bytes()

    def upload_path(self, url):
        """`https://old.example/wp-content/uploads/2024/03/brain-300x200.jpg` → `2024/03/brain.jpg` (the original
        when the uploads folder has it), or None for an image from elsewhere."""
        found = UPLOADS.search(unquote(urlsplit(url.strip()).path))
        if not found:
            return None
        path = str(PurePosixPath(found.group("path")))
        original = SIZED.sub("", path)
        if original != path and self.uploads and (self.uploads / original).is_file():
            return original
        return path

    # Authors and categories

    def read_authors(self):
        self.authors = {}
        for row in _children(self.channel, "author"):
            login = _text(row, "author_login")
            slug = _slug(login, f"author-{_text(row, 'author_id') or len(self.authors) + 1}")
            full_name = f"{_text(row, 'author_first_name')} {_text(row, 'author_last_name')}".strip()
            name = _text(row, "author_display_name") or full_name or login
            self.authors[login] = slug
            self.source(f'author "{login}"', {"type": "author", "name": name, "slug": slug})

    def read_categories(self, items):
        names = {}
        for row in _children(self.channel, "category"):
            nicename = _text(row, "category_nicename")
            names[nicename] = (_text(row, "cat_name") or nicename, _text(row, "category_description"),
                               _text(row, "term_id"))
        for item in items:  # a category a post names but the channel does not list
            for row in _children(item, "category", ""):
                if row.get("domain") == "category" and row.get("nicename") not in names:
                    names[row.get("nicename")] = ((row.text or "").strip() or row.get("nicename"), "", "")
        self.hubs = {}
        for nicename, (name, description, term_id) in names.items():
            slug = _slug(nicename, f"category-{term_id}")
            self.hubs[nicename] = slug
            name = self.source(f'category "{nicename}"', {
                "type": "hub", "title": html.unescape(name), "slug": slug, "status": "published",
                "intro": self.markdown(description, [])[0] if description else "",
            })
            self.result.categories[slug] = (name, int(term_id) if term_id.isdigit() else None,
                                            f"/category/{unquote(nicename)}/")

    # Posts

    def read_post(self, item):
        post_id = int(_text(item, "post_id") or 0)
        title = html.unescape(_text(item, "title", ""))
        name = f'post {post_id} "{title}"'
        status = _text(item, "status")
        slug = self.slug_for_post(post_id) or _slug(_text(item, "post_name") or title, f"post-{post_id}")
        notes = []
        categories = [row.get("nicename") for row in _children(item, "category", "") if row.get("domain") == "category"]
        tags = [(row.text or "").strip() for row in _children(item, "category", "") if row.get("domain") == "post_tag"]
        creator = _text(item, "creator", "dc")
        if not categories:
            self.result.problems.append((name, "categories: none; give the post a category in WordPress "
                                               "(the first becomes the article's hub)"))
            return
        if creator not in self.authors:
            self.result.problems.append((name, f'author "{creator}": not among the export\'s authors (wp:author)'))
            return
        body, missing_alt = self.markdown(_text(item, "encoded", "content"), notes)
        meta = {
            "type": "article", "title": title, "slug": slug, "status": STATUSES[status],
            "excerpt": " ".join(html.unescape(strip_tags(_text(item, "encoded", "excerpt"))).split()),
            "hub": self.hubs[categories[0]], "hubs": [self.hubs[nicename] for nicename in categories[1:]],
            "tags": list(dict.fromkeys(html.unescape(tag) for tag in tags if tag)), "author": self.authors[creator],
        }
        published = _gmt(_text(item, "post_date_gmt"))
        if status in ("publish", "future") and published:
            meta["publish_at"] = published
        thumbnail = self.attachments.get(self.postmeta(item).get("_thumbnail_id", ""))
        if thumbnail and thumbnail["path"]:
            if thumbnail["alt"]:
                meta.update(hero_image=thumbnail["path"], hero_alt=thumbnail["alt"])
            else:
                missing_alt.append(f'featured image "{thumbnail["path"]}"')
        if missing_alt and meta["status"] != "draft":
            meta["status"] = "draft"
        as_draft = bool(missing_alt) and STATUSES[status] != "draft"
        notes += [f"{image}: no alt text in WordPress, so it is left out (the media library requires alt text); "
                  "add it in the admin with alt text" for image in missing_alt]
        if as_draft:
            notes.append("imported as a draft: it had images without alt text; publish it once they are back")
        self.source(name, meta, body)
        self.result.posts[name] = Post(post_id, name, slug, self.old_paths(item, post_id, slug), notes, as_draft)

    def old_paths(self, item, post_id, slug):
        """A public post's addresses on the old site: /?p=ID, /YYYY/MM/slug/ (post_date is the site's local time,
        as its permalinks are), /slug/, and the permalink the export gives when it is yet another shape."""
        if _text(item, "status") not in ("publish", "future"):
            return []  # a draft had no public address
        paths = [f"/?p={post_id}"] if post_id else []
        date = _local_date(_text(item, "post_date"))
        raw_slug = unquote(_text(item, "post_name")) or slug
        if date:
            paths.append(f"/{date:%Y/%m}/{raw_slug}/")
        paths.append(f"/{raw_slug}/")
        link = unquote(urlsplit(_text(item, "link", "")).path)
        if link.startswith("/") and link != "/" and link not in paths:
            paths.append(link)
        return paths

    def markdown(self, content, notes):
        """(Markdown, [the images left out for want of alt text]) of a post's HTML."""
        images, missing_alt = [], []

        def set_aside(tag, caption=""):
            src = _attribute(tag, "src")
            alt = html.unescape(_attribute(tag, "alt")).strip()
            attachment = re.search(r"\bwp-image-(\d+)\b", _attribute(tag, "class"))
            if not alt and attachment and attachment.group(1) in self.attachments:
                alt = self.attachments[attachment.group(1)]["alt"]
            path = self.upload_path(html.unescape(src))
            caption = " ".join(html.unescape(strip_tags(caption)).split())
            if path is None:
                notes.append(f'body image "{src}": not in the uploads folder, kept as a link')
                images.append(f"[{_clean(alt or caption or 'image')}]({src})" if src else "")
            elif not alt:
                missing_alt.append(f'body image "{path}"')
                images.append("")
            else:
                title = f' "{_clean(caption)}"' if caption else ""
                images.append(f"![{_clean(alt)}]({path}{title})")
            return f"\n\nWPIMAGE{len(images) - 1}Z\n\n"

        text = re.sub(r"<!--.*?-->", "", content or "", flags=re.DOTALL)
        text = self.shortcodes(text, set_aside, notes)
        text = re.sub(r"<a\b[^>]*>\s*(<img\b[^>]*>)\s*</a>", r"\1", text, flags=re.IGNORECASE)
        text = re.sub(r"<img\b[^>]*>", lambda match: set_aside(match.group(0)), text, flags=re.IGNORECASE)
        markdown = markdownify(sanitise(_paragraphs(text)), heading_style="ATX", bullets="-", strong_em_symbol="*")
        markdown = re.sub(r"WPIMAGE(\d+)Z", lambda match: images[int(match.group(1))], markdown)
        return re.sub(r"\n{3,}", "\n\n", markdown).strip(), missing_alt

    def shortcodes(self, text, set_aside, notes):
        """[caption]<img …> Words[/caption] → the image with its caption; [embed]URL[/embed] → a link; the other
        shortcodes of WordPress and page builders are taken out, their inner text kept, and named in the report."""

        def caption(match):
            inner = match.group("inner")
            image = re.search(r"(?:<a\b[^>]*>\s*)?(<img\b[^>]*>)(?:\s*</a>)?", inner, re.IGNORECASE)
            if not image:
                return inner
            words = _attribute(match.group("attrs"), "caption") or inner[:image.start()] + inner[image.end():]
            return set_aside(image.group(1), words)

        text = re.sub(r"\[(?:wp_)?caption(?P<attrs>[^\]]*)\](?P<inner>.*?)\[/(?:wp_)?caption\]", caption, text,
                      flags=re.DOTALL | re.IGNORECASE)
        text = re.sub(r"\[embed[^\]]*\]\s*(?P<url>\S+?)\s*\[/embed\]",
                      lambda match: f'<p><a href="{match.group("url")}">{match.group("url")}</a></p>', text,
                      flags=re.IGNORECASE)
        removed = []

        def remove(match):
            name = match.group("name").lower()
            if name not in SHORTCODES and not name.startswith(SHORTCODE_PREFIXES):
                return match.group(0)
            if name not in removed:
                removed.append(name)
            return ""

        text = SHORTCODE.sub(remove, text)
        notes += [f"shortcode [{name}] taken out (its inner text is kept)" for name in removed]
        return text


def _attribute(tag, name):
    found = re.search(rf'\b{name}\s*=\s*(?:"([^"]*)"|\'([^\']*)\')', tag or "", re.IGNORECASE)
    return (found.group(1) if found.group(1) is not None else found.group(2)) if found else ""


def _clean(text):
    """Alt text or a caption as Markdown's image syntax can hold it (no brackets, no double quotes)."""
    return " ".join(text.replace("[", "(").replace("]", ")").replace('"', "'").split())


def _paragraphs(text):
    """What WordPress's wpautop does when it shows a post: blank lines part paragraphs, a single newline is a
    line break. Content written with block tags (the block editor's) is left as it is."""
    if re.search(r"<p[\s>]", text, re.IGNORECASE):
        return text
    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        if not block.strip():
            continue
        blocks.append(block if BLOCK.match(block) else "<p>" + block.strip().replace("\n", "<br>\n") + "</p>")
    return "\n\n".join(blocks)



def closing_lines(report, wxr, redirects, dry_run):
    """(the line naming the skipped items, or "", the summary): what a run ends with, in the command and the admin."""
    skipped = ", ".join(f"{count} × {kind}" for kind, count in sorted(wxr.skipped.items()))
    summary = (report.headline(dry_run) + f" {redirects} old address{'es' if redirects != 1 else ''} "
               + ("would be redirected." if dry_run else "newly redirected."))
    return (f"Skipped (not articles): {skipped}." if skipped else ""), summary
