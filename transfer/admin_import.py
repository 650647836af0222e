"""Admin → Import content: `import_content` / `import_wordpress` on an uploaded file, dry run first.

The upload waits between the dry run and the confirmation in a folder of its own under
settings.IMPORT_UPLOAD_DIR (outside media storage, never served), named by a random token that the user's session
lists; the browser only ever sends the token back, never a path. Confirm or Cancel deletes the folder, and
folders older than UPLOAD_LIFETIME go at the next upload. Each step runs the functions the commands run
(sources.collect + Importer, wordpress.import_wordpress), so the lines, errors and summary are theirs.
"""

import re
import secrets
import shutil
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.urls import reverse
from django.utils.text import get_valid_filename

from articles.models import Article
from authors.models import Author
from hubs.models import Hub
from pages.models import Page

from . import markdown_files
from .importer import Importer, Report
from .markdown_files import FileProblem
from .sources import SourceError, collect, safe_members
from .wordpress import ExportError, closing_lines, import_wordpress

KINDS = (".zip", ".md", ".xml")
UPLOAD_LIFETIME = 60 * 60  # seconds
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")  # secrets.token_urlsafe(24)
# An import adds and changes pages, authors, references and images, publishes and records medical reviews: whoever
# starts one needs each of those permissions in admin as well (Reviewers have them; Editors may not publish).
PERMISSIONS = (
    "transfer.import_content",
    "articles.add_article", "articles.change_article", "articles.publish_article", "articles.review_article",
    "hubs.add_hub", "hubs.change_hub", "hubs.publish_hub",
    "pages.add_page", "pages.change_page", "pages.publish_page",
    "authors.add_author", "authors.change_author", "references.add_reference", "media_library.add_image",
)
# A WordPress .zip: the export beside wp-content/uploads/ (or uploads/), at any depth.
UPLOADS_FOLDER = re.compile(r"^(?:.*?/)?(?:wp-content/)?uploads/")
MODELS = {"article": Article, "hub": Hub, "author": Author, "page": Page}
ACCEPTED = ("a .zip of Markdown files (with their images and audio), a single .md file, or a WordPress export "
            "(.xml, or a .zip holding it with its wp-content/uploads folder)")


def may_import(user):
    return user.has_perms(PERMISSIONS)


class UploadError(Exception):
    """The upload cannot be imported at all (the command's one line for it): nothing of it is imported."""


class ImportForm(forms.Form):
    file = forms.FileField(widget=forms.FileInput(attrs={"accept": ",".join(KINDS)}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"{ACCEPTED[0].upper()}{ACCEPTED[1:]}; at most {settings.IMPORT_MAX_UPLOAD_MB} MB. "
            "Nothing is saved until you confirm the dry run."
        )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if Path(file.name).suffix.lower() not in KINDS:
            raise forms.ValidationError(f"{file.name} is not a kind of file this page imports. Choose {ACCEPTED}.")
        if file.size > settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                f"This file is larger than {settings.IMPORT_MAX_UPLOAD_MB} MB, the most one upload may be: split "
                "the library into several .zip files (or ask for it to be imported with the command)."
            )
        return file


@dataclass
class Upload:
    token: str
    name: str

    @property
    def folder(self):
        return Path(settings.IMPORT_UPLOAD_DIR) / self.token

    @property
    def path(self):
        return self.folder / self.name

    @classmethod
    def save(cls, file):
        remove_stale()
        suffix = Path(file.name).suffix.lower()
        try:
            name = get_valid_filename(Path(file.name).name)
        except SuspiciousFileOperation:
            name = f"upload{suffix}"
        upload = cls(secrets.token_urlsafe(24), name if name.lower().endswith(suffix) else f"upload{suffix}")
        upload.folder.mkdir(mode=0o700, parents=True)
        with upload.path.open("wb") as out:
            for chunk in file.chunks():
                out.write(chunk)
        return upload

    @classmethod
    def find(cls, token, name):
        """The upload a session names, or None when it is gone (confirmed, cancelled, stale, another server)."""
        if not TOKEN.match(token or "") or not name:
            return None
        upload = cls(token, name)
        if not upload.path.is_file():
            return None
        if upload.path.stat().st_mtime < time.time() - UPLOAD_LIFETIME:  # stale, though no upload removed it yet
            upload.delete()
            return None
        return upload

    def delete(self):
        shutil.rmtree(self.folder, ignore_errors=True)


def remove_stale():
    root = Path(settings.IMPORT_UPLOAD_DIR)
    if not root.is_dir():
        return
    cutoff = time.time() - UPLOAD_LIFETIME
    for folder in root.iterdir():
        try:
            # Only our token-named folders: a misconfigured directory (/tmp itself) loses nothing else.
            if TOKEN.match(folder.name) and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except FileNotFoundError:  # another worker removed it first
            pass


@dataclass
class Result:
    dry_run: bool
    report: Report
    summary: str
    skipped: str = ""  # WordPress: the items that are not articles
    note: str = ""
    sources: list = field(default_factory=list)

    def rows(self, links=None):
        """One row per file or item: its name, verdict and the rest of its report lines (the command's words)."""
        links = links or {}
        rows = []
        for outcome in self.report.outcomes:
            prefix = f"{outcome.name}: "
            lines = [line.removeprefix(prefix) for line in outcome.lines()]
            details = lines if outcome.problem else lines[1:]
            kind = "failed" if outcome.problem else "notes" if outcome.notes else "plain"
            rows.append({"name": outcome.name, "verdict": outcome.verdict, "details": details, "kind": kind,
                         "draft": outcome.as_draft, "url": links.get(outcome.name)})
        return rows


def run(upload, dry_run):
    """The Result of importing the upload (or of its dry run). UploadError when it cannot be read at all."""
    suffix = upload.path.suffix.lower()
    if suffix == ".xml":
        return run_wordpress(upload.path, None, upload.name, dry_run)
    if suffix == ".zip":
        export = wordpress_export(upload.path)
        if export:
            return run_wordpress(*unpack(upload, export), f"{upload.name}:{export}", dry_run)
    return run_markdown(upload, dry_run)


def run_markdown(upload, dry_run):
    sources, unreadable = collect([upload.path])
    for source in sources:  # a single .md is named by its path, as on the command line: here, its own name
        if source.name == str(upload.path):
            source.name = upload.name
    if unreadable:
        raise UploadError(f"{upload.name}: {unreadable[0][1]}")
    if not sources:
        raise UploadError(f"{upload.name}: holds no Markdown files (.md) and no WordPress export (.xml)")
    report = Importer(dry_run=dry_run).run(sources, Report())
    return Result(dry_run, report, report.headline(dry_run), sources=sources)


def run_wordpress(export, uploads, name, dry_run):
    """As `import_wordpress EXPORT [--uploads DIR] [--dry-run]` prints it."""
    try:
        report, wxr, redirects = import_wordpress(export, uploads, dry_run)
    except ExportError as error:
        raise UploadError(f"{name}: {error}; nothing was imported.") from error
    skipped, summary = closing_lines(report, wxr, redirects, dry_run)
    result = Result(dry_run, report, summary, skipped, sources=wxr.sources)
    lines = [line for outcome in report.outcomes for line in outcome.lines()]
    if uploads is None and any("--uploads" in line for line in lines):
        result.note = ("The export names images, but they were not uploaded with it: upload a .zip holding the "
                       "export and its wp-content/uploads folder to bring them in.")
    return result


def wordpress_export(path):
    """The member name of the WordPress export in a .zip without Markdown files, or None for a Markdown .zip
    (or one that cannot be read: collect() reports that in the command's words)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [name for name in archive.namelist() if not name.endswith("/") and not name.startswith("__MACOSX/")]
    except (zipfile.BadZipFile, OSError):
        return None
    if any(name.lower().endswith(".md") for name in names):
        return None
    exports = [name for name in names if name.lower().endswith(".xml") and not UPLOADS_FOLDER.match(name)]
    if not exports:
        raise UploadError(f"{path.name}: holds no Markdown files (.md) and no WordPress export (.xml)")
    if len(exports) > 1:
        raise UploadError(f"{path.name}: holds {len(exports)} .xml files: put one WordPress export in each .zip")
    return exports[0]


def unpack(upload, export):
    """(export path, uploads folder or None): the export and its uploads tree, unpacked for import_wordpress (which
    reads files), with the checks sources.py makes of a Markdown .zip."""
    folder = upload.folder / "unpacked"
    shutil.rmtree(folder, ignore_errors=True)
    try:
        with zipfile.ZipFile(upload.path) as archive:
            members = safe_members(archive)
            prefixes = sorted({found.group(0) for info in members if (found := UPLOADS_FOLDER.match(info.filename))},
                              key=len)
            uploads = prefixes[0] if prefixes else None
            for info in members:
                if info.filename == export or (uploads and info.filename.startswith(uploads)):
                    archive.extract(info, folder)
    except SourceError as error:
        raise UploadError(f"{upload.name}: {error}") from error
    except (zipfile.BadZipFile, OSError) as error:
        raise UploadError(f"{upload.name}: not a readable .zip archive ({error})") from error
    return folder / export, folder / uploads if uploads else None


def changed_pages(result):
    """{report name: admin change URL} of what a real run created or updated."""
    changed = {outcome.name for outcome in result.report.outcomes if outcome.verdict in ("create", "update")}
    slugs = {}
    for source in result.sources:
        if source.name in changed:
            try:
                data = markdown_files.read(source)
            except FileProblem:
                continue
            slugs.setdefault(data["type"], {})[data["slug"]] = source.name
    links = {}
    for kind, names in slugs.items():
        model = MODELS[kind]
        rows = model.objects.filter(slug__in=names)
        if model is not Author:
            rows = rows.filter(draft_of=None)
        for pk, slug in rows.values_list("pk", "slug"):
            links[names[slug]] = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])
    return links
