"""Apply read Markdown files (transfer.markdown_files) to the library, through the models' own workflow.

One code path for every way a library comes in (the `import_content` command now; a WordPress importer and an
admin upload later): `Importer(dry_run).run(sources)` returns a `Report`.

- Authors, then hubs, then articles, whatever the order of the files; links between articles and between hubs
  are made after all of them exist.
- Each file in its own transaction (a savepoint): a bad file saves nothing, and the others go on.
- A row is found by its slug and updated; a file that asks for what is stored already is "unchanged" and
  nothing is saved. References are found by DOI (references.formats).
- Pages move only by their workflow methods: `publish()` when `publishing_problems()` is empty, else the file is
  imported as a draft and the report says why. A review in the file (reviewer and date) is recorded with
  `record_review()` for exactly the imported text, when it is a new record; the same record as stored does not
  vouch for changed text. A live page's changes go through its pending revision, approved only when the rules
  allow; otherwise the live page keeps its reviewed text and the changes wait in the revision.
- A dry run does all of it inside a transaction that is rolled back, storing no file, so it reports the same
  outcomes and problems as the real run would.
"""

import hashlib
import posixpath
import re
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction

from articles.models import Article, ArticleCitation
from authors.models import Author, Credential, FeaturedIn, ProfileLink
from hubs.models import Hub, HubCitation
from media_library.models import Image
from mindlab.models import Status
from mindlab.uploads import check_image, delete_files, validate_audio
from pages.models import Page as StandalonePage
from references import formats
from references.models import Reference

from . import markdown_files
from .markdown_files import FileProblem
from .sources import AttachmentError

ORDER = {"author": 0, "hub": 1, "article": 2, "page": 3}
# Model field → the front matter field a problem is reported on.
FIELD_NAMES = {"primary_hub": "hub", "audio_file": "audio", "related_articles": "related", "bio": "body",
               "citations": "references", "content_updated": "updated", "reading_time_override": "reading_time",
               "__all__": ""}


@dataclass
class Outcome:
    name: str
    verdict: str  # create, update, unchanged or failed
    notes: list = field(default_factory=list)  # why a page is a draft, or waits in a revision
    problem: str = ""
    as_draft: bool = False

    def lines(self):
        if self.problem:
            return [f"{self.name}: {self.problem}"]
        return [f"{self.name}: {self.verdict}"] + [f"{self.name}: {note}" for note in self.notes]


@dataclass
class Report:
    outcomes: list = field(default_factory=list)

    @property
    def counts(self):
        counts = Counter(outcome.verdict for outcome in self.outcomes)
        counts["imported as a draft"] = sum(outcome.as_draft for outcome in self.outcomes)
        return counts

    @property
    def failed(self):
        return [outcome for outcome in self.outcomes if outcome.verdict == "failed"]

    def headline(self, dry_run=False):
        """The closing line of a run, as the commands and the admin page show it."""
        return ("Dry run, nothing saved: " if dry_run else "") + self.summary(dry_run)

    def summary(self, dry_run=False):
        counts = self.counts
        verbs = ("would be created", "would be updated") if dry_run else ("created", "updated")
        return (f"{counts['create']} {verbs[0]}, {counts['update']} {verbs[1]}, {counts['unchanged']} unchanged, "
                f"{counts['failed']} failed, {counts['imported as a draft']} "
                f"{'would be imported' if dry_run else 'imported'} as a draft.")


def failure(name, problem):
    return Outcome(name, "failed", problem=problem)


class Importer:
    def __init__(self, dry_run=False, progress=None):
        self.dry_run = dry_run
        self.progress = progress or (lambda done, total: None)

    def run(self, sources, report=None):
        report = report or Report()
        files = []
        for source in sources:
            try:
                files.append((source, markdown_files.read(source)))
            except FileProblem as problem:
                report.outcomes.append(failure(source.name, str(problem)))
        files = self.without_duplicates(files, report)
        files.sort(key=lambda pair: ORDER[pair[1]["type"]])
        self.slugs = {kind: {data["slug"] for _, data in files if data["type"] == kind} for kind in ORDER}
        links = []
        # A real run commits file by file; a dry run does the same work in one transaction it rolls back.
        with transaction.atomic() if self.dry_run else nullcontext():
            for done, (source, data) in enumerate(files, start=1):
                outcome, link = self.apply_file(source, data)
                report.outcomes.append(outcome)
                if link:
                    links.append((outcome, link))
                self.progress(done, len(files))
            for outcome, link in links:
                with transaction.atomic():
                    outcome.notes += link()
            if self.dry_run:
                transaction.set_rollback(True)
        return report

    def without_duplicates(self, files, report):
        """A slug named by two files of one import: the second is refused (which one wins would be chance)."""
        first, kept = {}, []
        for source, data in files:
            key = (data["type"], data["slug"])
            if key in first:
                report.outcomes.append(failure(source.name, f'slug "{data["slug"]}": {first[key]} has the same '
                                                            f"{data['type']} slug in this import"))
            else:
                first[key] = source.name
                kept.append((source, data))
        return kept

    def apply_file(self, source, data):
        """(outcome, the function that makes its links to other pages later, or None)."""
        self.uploaded = []
        try:
            with transaction.atomic():
                apply = {"author": self.apply_author, "hub": self.apply_hub, "article": self.apply_article,
                         "page": self.apply_standalone_page}
                return apply[data["type"]](source, data)
        except (FileProblem, ValidationError) as error:
            self.forget_uploads()
            return failure(source.name, str(error) if isinstance(error, FileProblem) else _problem(error)), None
        except DatabaseError as error:  # a limit the checks above do not know: still one line, nothing saved
            self.forget_uploads()
            return failure(source.name, f"the database refused it: {str(error).strip()}"), None

    def forget_uploads(self):
        """A file that failed after its images were stored leaves no file behind (its rows are rolled back)."""
        for storage, names in self.uploaded:
            delete_files(storage, names)

    def saved(self, row, uploads):
        """Note the files a save of `row` just stored (the uploads named, and a hero's renditions)."""
        for name in uploads:
            field_file = getattr(row, name)
            renditions = row.hero_renditions.get("sizes", []) if name == "hero_image" else []
            self.uploaded.append((field_file.storage, [field_file.name, *(size["name"] for size in renditions)]))

    # Lookups: a slug names a row, or a file of this run that makes it.

    def find(self, model, slug, field, kind):
        row = model.objects.filter(slug=slug, **({} if model is Author else {"draft_of": None})).first()
        if row is None and slug not in self.slugs[kind]:
            raise FileProblem(f'{field} "{slug}"', f"no {kind} with this slug")
        if row is None:
            raise FileProblem(f'{field} "{slug}"', f"its file ({kind} {slug}) failed, so it is not in the library")
        return row

    def attachment(self, source, data, name):
        """The bytes of a file named by a relative path, or None when the field is empty."""
        if not data[name]:
            return None
        try:
            return source.read_attachment(data[name])
        except AttachmentError as error:
            raise FileProblem(f'{name} "{data[name]}"', str(error)) from error

    def references(self, source, data):
        """The library entries the file cites, in its order; new ones are made (the dry run's are rolled back)."""
        specs = list(data["references"])
        if data["references_file"]:
            text = self.attachment(source, data, "references_file").decode("utf-8-sig", "replace")
            try:
                specs += [{"csl": item} for item in formats.parse_references(text)]
            except ValueError as error:
                raise FileProblem(f'references_file "{data["references_file"]}"', str(error)) from error
        found = []
        for index, spec in enumerate(specs, start=1):
            try:
                reference = self.reference(spec)
            except ValidationError as error:
                raise FileProblem(f"references #{index}", _problem(error)) from error
            if reference.pk not in {row.pk for row in found}:
                found.append(reference)
        return found

    def reference(self, spec):
        if "csl" in spec:
            return with_evidence(formats.upsert_from_csl(spec["csl"])[0], spec.get("evidence"))
        stored = Reference.objects.filter(doi=spec["doi"]).first() if spec["doi"] else None
        if stored:
            return with_evidence(stored, spec["fields"].get("evidence"))
        if not spec["fields"].get("title"):
            raise ValidationError(f"no reference with DOI {spec['doi']} in the library: add its authors, year and "
                                  "title beside the doi, or give it as csl")
        fields = {key: str(value).strip() for key, value in spec["fields"].items()}
        if fields.get("year", "") and not fields["year"].isdigit():
            raise ValidationError({"year": "give the year of publication, e.g. 2013, or leave it out (n.d.)"})
        fields["year"] = int(fields["year"]) if fields.get("year") else None
        stored = Reference.objects.filter(title__iexact=fields["title"], year=fields["year"]).first()
        if stored:
            return with_evidence(stored, fields.get("evidence"))
        reference = Reference(doi=spec["doi"], **fields)
        reference.full_clean()
        reference.save()
        return reference

    # Authors

    def apply_author(self, source, data):
        author = Author.objects.filter(slug=data["slug"]).first()
        headshot = self.attachment(source, data, "headshot")
        wanted = author_state(data, headshot)
        if author and author_state(stored_author(author), stored_file(author.headshot)) == wanted:
            return Outcome(source.name, "unchanged"), None
        outcome = Outcome(source.name, "update" if author else "create")
        author = author or Author(slug=data["slug"])
        for name in ("name", "kind", "role", "short_bio", "bio", "headshot_alt"):
            setattr(author, name, data[name])
        uploads = self.set_file(author, "headshot", data, headshot, check_image)
        author.full_clean()
        author.save()
        self.saved(author, uploads)
        for model, name, keys in ((Credential, "credentials", ("degree", "institution")),
                                  (FeaturedIn, "featured_in", ("outlet", "url")),
                                  (ProfileLink, "profile_links", ("label", "url"))):
            model.objects.filter(author=author).delete()
            for order, record in enumerate(data[name]):
                row = model(author=author, order=order, **{key: record[key] for key in keys})
                try:
                    row.full_clean()
                except ValidationError as error:
                    raise FileProblem(f"{name} #{order + 1}", _problem(error)) from error
                row.save()
        return outcome, None

    def set_file(self, row, name, data, content, check, model_field=None):
        """Give `row` the file (bytes) the import names, checked as the admin checks an upload; stored when the row
        is saved (never in a dry run). Returns [the model field] when it was given a new file. Empty clears it."""
        model_field = model_field or name
        if content is None:
            setattr(row, model_field, "")
            return []
        if stored_file(getattr(row, model_field)) == digest(content):
            return []
        upload = ContentFile(content, name=posixpath.basename(data[name]))
        try:
            check(upload)
        except ValidationError as error:
            raise FileProblem(f'{name} "{data[name]}"', " ".join(error.messages)) from error
        if self.dry_run:
            return []
        setattr(row, model_field, upload)
        return [model_field]

    # Hubs and articles

    def apply_hub(self, source, data):
        slug = data["featured_article"]
        if slug and slug not in self.slugs["article"] and not Article.objects.filter(slug=slug, draft_of=None).exists():
            raise FileProblem(f'featured_article "{slug}"', "no article with this slug")
        resolved = {"author": data["author"] and self.find(Author, data["author"], "author", "author"),
                    "reviewer": data["reviewer"] and self.find(Author, data["reviewer"], "reviewer", "author")}
        return self.apply_page(Hub, source, data, resolved)

    def apply_article(self, source, data):
        for name in ("related",):
            for slug in data[name]:
                if slug not in self.slugs["article"] and not Article.objects.filter(slug=slug, draft_of=None).exists():
                    raise FileProblem(f'{name} "{slug}"', "no article with this slug")
        resolved = {
            "primary_hub": self.find(Hub, data["hub"], "hub", "hub"),
            "hubs": [self.find(Hub, slug, "hubs", "hub") for slug in data["hubs"]],
            "author": self.find(Author, data["author"], "author", "author"),
            "reviewer": data["reviewer"] and self.find(Author, data["reviewer"], "reviewer", "author"),
        }
        return self.apply_page(Article, source, data, resolved)

    def markdown(self, source, text):
        """A Markdown field (a page's body, a hub's intro) as it is stored: each image named by a relative path
        (`![alt](figures/scan.jpg "Caption")`) goes into the media library, as "Insert image" would put it there,
        and the body names it `![alt](image:ID)`. The same file imported again is the same library image."""

        def upload(match):
            alt, path, caption = match.group("alt").strip(), match.group("path"), match.group("caption") or ""
            if URL_OR_REFERENCE.match(path):
                return match.group(0)
            field = f'body image "{path}"'
            try:
                content = source.read_attachment(path)
            except AttachmentError as error:
                raise FileProblem(field, str(error)) from error
            if not alt:
                raise FileProblem(field, "give it alt text: ![what the image shows](" + path + ")")
            title = path.rsplit("/", 1)[-1]
            same = next((image for image in Image.objects.filter(title=title)
                         if stored_file(image.file) == digest(content)), None)
            if same is None:
                if self.dry_run:
                    check_image_bytes(content, title, field)
                    return match.group(0)
                same = Image(file=ContentFile(content, name=title), title=title, alt=alt, caption=caption)
                try:
                    same.full_clean()
                    same.save()
                except ValidationError as error:
                    raise FileProblem(field, _problem(error)) from error
                self.uploaded.append((same.file.storage, [same.file.name, *(size["name"] for size in
                                                                           same.renditions.get("sizes", []))]))
            return f"![{alt}]({same.reference})"

        return BODY_IMAGE.sub(upload, text or "")

    def apply_page(self, model, source, data, resolved):
        data = {**data, **{name: self.markdown(source, data[name]) for name in ("body", "intro") if name in data}}
        live = model.objects.filter(slug=data["slug"], draft_of=None).first()
        files = {"hero_image": self.attachment(source, data, "hero_image")}
        if model is Article:
            files["audio"] = self.attachment(source, data, "audio")
        resolved["references"] = self.references(source, data)
        link = self.linker(model, data)
        wanted = page_state(model, data, resolved, files)
        revision = live.pending_revision if live else None
        if live and self.state_of(live, data) == wanted and self.status_kept(live, data):
            outcome = Outcome(source.name, "unchanged")
            if data["status"] == "published" and not live.has_published_status:
                outcome.notes.append(as_draft(live.publishing_problems(), "still a draft"))
            return outcome, link
        if revision and self.state_of(revision, data) == wanted:
            if data["status"] == "review" and revision.workflow_status == Status.IN_REVIEW:
                return Outcome(source.name, "unchanged", notes=[SUBMITTED]), link
            if data["status"] == "published" and revision.publishing_problems():
                return Outcome(source.name, "unchanged", notes=[waiting(revision.publishing_problems())]), link
        outcome = Outcome(source.name, "update" if live else "create")
        if live and live.has_published_status and data["status"] == "draft":
            live.unpublish()
            outcome.notes.append("unpublished: the file's status is " + data["status"])
        if live and live.has_published_status:
            self.update_live(live, revision, source, data, resolved, files, outcome)
        else:
            self.update_draft(model, live, source, data, resolved, files, outcome)
        return outcome, link

    def apply_standalone_page(self, source, data):
        """A standalone page (About, Privacy policy): its fields and body, through the same workflow steps as a
        hub; no lists, no links to other pages."""
        data = {**data, "body": self.markdown(source, data["body"])}
        live = StandalonePage.objects.filter(slug=data["slug"], draft_of=None).first()
        revision = live.pending_revision if live else None
        wanted = {name: data[name] for name in STANDALONE_FIELDS}
        if live and standalone_state(live) == wanted and self.status_kept(live, data):
            return Outcome(source.name, "unchanged"), None
        if (revision and standalone_state(revision) == wanted and data["status"] == "review"
                and revision.workflow_status == Status.IN_REVIEW):
            return Outcome(source.name, "unchanged", notes=[SUBMITTED]), None
        outcome = Outcome(source.name, "update" if live else "create")
        if live and live.has_published_status and data["status"] == "draft":
            live.unpublish()
            outcome.notes.append("unpublished: the file's status is " + data["status"])
        if live and live.has_published_status:
            self.update_live(live, revision, source, data, {}, {}, outcome)
        else:
            self.update_draft(StandalonePage, live, source, data, {}, {}, outcome)
        return outcome, None

    def state_of(self, page, data):
        """A stored page (or pending revision) in page_state()'s shape; a publish date the file leaves out is not
        compared."""
        stored = stored_page(page)
        if "publish_at" not in data:
            stored.pop("publish_at", None)
        return page_state(type(page), stored, stored_relations(page), stored_files(page))

    def status_kept(self, page, data):
        """Whether the page is where the file's status asks, or as near as the publishing rules let it be."""
        if data["status"] != "published":
            return page.workflow_status == data["status"]
        return page.has_published_status or bool(page.publishing_problems())

    def update_draft(self, model, page, source, data, resolved, files, outcome):
        page = page or model(slug=data["slug"])
        self.write(page, source, data, resolved, files)
        problems = page.publishing_problems() if data["status"] == "published" else {}
        if problems:
            outcome.notes.append(as_draft(problems))
            outcome.as_draft = True
        if data["status"] == "published" and not problems:
            page.publish(at=data.get("publish_at"))  # its save stores the review recorded by write()
        elif data["status"] == "review" and page.workflow_status != Status.IN_REVIEW:
            page.submit()
        else:
            if data["status"] != "published":
                page.set_workflow_status(data["status"])
            page.save()

    def update_live(self, live, revision, source, data, resolved, files, outcome):
        """A live page changes through its pending revision, approved when the publishing rules allow."""
        revision = revision or live.start_revision(reason=change_reason(source))
        self.write(revision, source, data, resolved, files, review_of=live)
        if data["status"] == "review":
            if revision.workflow_status != Status.IN_REVIEW:
                revision.submit()
            else:
                revision.save()
            outcome.notes.append(SUBMITTED)
            return
        problems = revision.publishing_problems()
        if problems:
            revision.save()
            outcome.notes.append(waiting(problems))
            return
        live = revision.approve()
        visibility = {name: data[name] for name in ("publish_at", "expire_at") if name in data}
        if any(getattr(live, name) != value for name, value in visibility.items()):
            for name, value in visibility.items():
                setattr(live, name, value)
            live._change_reason = change_reason(source, ": publish dates")
            live.full_clean()
            live.save()

    def write(self, page, source, data, resolved, files, review_of=None):
        """Save the file's fields and relations on `page` (a draft, a new page or a pending revision), and record
        the file's review for this text when it is a new record (compared with `review_of`, else the page). The
        recorded review is not saved yet: the caller's next step (publish, submit, approve or save) saves it."""
        if isinstance(page, StandalonePage):  # its own fields only: no takeaways, hero, citations or FAQs
            for name in STANDALONE_FIELDS:
                setattr(page, name, data[name])
            page._change_reason = change_reason(source)
            page.full_clean(exclude=["slug"] if page.draft_of_id else None)
            page.save()
            return
        is_article = isinstance(page, Article)
        before = review_of or page
        stored_review = (before.reviewer_id, before.last_reviewed) if is_article and before.pk else None
        for name in page_fields(type(page)):
            setattr(page, name, data[name])
        page.key_takeaways = "\n".join(data["key_takeaways"])
        for name, value in resolved.items():
            if name not in ("hubs", "references"):
                setattr(page, name, value or None)
        if is_article:
            if "publish_at" in data and not page.draft_of_id:
                page.publish_at = data["publish_at"]
            if not page.draft_of_id:
                page.expire_at = data["expire_at"]
        uploads = self.set_file(page, "hero_image", data, files["hero_image"], check_image)
        if is_article:
            uploads += self.set_file(page, "audio", data, files["audio"], validate_audio, "audio_file")
        page._change_reason = change_reason(source)
        page.full_clean(exclude=["slug"] if page.draft_of_id else None)
        page.save()
        self.saved(page, uploads)
        if is_article:
            page.tags.set(data["tags"])
            page.hubs.set(resolved["hubs"])
            citations = ArticleCitation.objects.filter(article=page)
        else:
            citations = HubCitation.objects.filter(hub=page)
        citations.delete()
        for order, reference in enumerate(resolved["references"]):
            page.citations.create(reference=reference, order=order)
        page.faqs.all().delete()
        if is_article:
            for order, (question, answer) in enumerate(data["faqs"]):
                page.faqs.create(question=question, answer=answer, order=order)
        else:
            page.faq_groups.all().delete()
            for order, (heading, faqs) in enumerate(data["faq_groups"]):
                group = page.faq_groups.create(heading=heading, order=order)
                for number, (question, answer) in enumerate(faqs):
                    page.faqs.create(group=group, question=question, answer=answer, order=number)
        if is_article and page.reviewer_id and stored_review != (page.reviewer_id, page.last_reviewed):
            page.record_review()  # the file's new review vouches for exactly the text just saved

    def linker(self, model, data):
        """Links to other pages of the run, made once all of them exist (on the live page, not a revision)."""
        name, kind = ("related", "related_articles") if model is Article else ("related_hubs", "related_hubs")
        slugs = data[name]

        def link():
            page = model.objects.get(slug=data["slug"], draft_of=None)
            targets = list(model.objects.filter(slug__in=slugs, draft_of=None).exclude(pk=page.pk))
            if {row.pk for row in getattr(page, kind).all()} != {row.pk for row in targets}:
                getattr(page, kind).set(targets)
            found = {row.slug for row in targets}
            notes = [f'{name} "{slug}": not linked, no such page in the library' for slug in slugs if slug not in found]
            return notes + (self.feature(page, data) if model is Hub else [])

        return link

    def feature(self, hub, data):
        """Set the hub's featured article (on the live page and its pending revision, like the links to other
        pages: the article may come in with the same import). Readers see it while it is published."""
        slug = data["featured_article"]
        article = Article.objects.filter(slug=slug, draft_of=None).first() if slug else None
        if slug and article is None:
            return [f'featured_article "{slug}": not set, its file failed so it is not in the library']
        for row in filter(None, [hub, hub.pending_revision]):
            if row.featured_article_id != (article and article.pk):
                row.featured_article = article
                row._change_reason = "Import: featured article"
                row.save()
        if article and not Article.objects.published().filter(pk=article.pk).exists():
            return [f'featured_article "{slug}": not published, so readers do not see it until it is']
        return []


def page_fields(model):
    """The front matter fields copied onto a page as they are."""
    common = ["title", "seo_title", "meta_description", "content_updated", "hero_alt", "body", "last_reviewed"]
    if model is Article:
        return common + ["excerpt", "review_note", "review_interval_months", "disclaimer", "disclaimer_position",
                         "reading_time_override", "audio_url", "audio_duration"]
    return common + ["intro", "tagline", "pillar_label", "is_sensitive", "order"]


STANDALONE_FIELDS = ("title", "seo_title", "meta_description", "content_updated", "body")


def standalone_state(page):
    return {name: getattr(page, name) for name in STANDALONE_FIELDS}


def with_evidence(reference, evidence):
    """The file's evidence type fills an empty one; it never overwrites an editor's choice."""
    if evidence and not reference.evidence:
        reference.evidence = evidence
        reference.save(update_fields=["evidence"])
    return reference


def change_reason(source, what=""):
    """What a version's history says; it holds 100 characters, so a long path keeps its end."""
    room = 100 - len("Import of ") - len(what)
    name = source.name if len(source.name) <= room else "…" + source.name[-(room - 1):]
    return f"Import of {name}{what}"


SUBMITTED = "the live page keeps its text; the changes wait in its pending revision, submitted for review"


def as_draft(problems, prefix="imported as a draft"):
    return f"{prefix}: {_sentence(problems)}"


def waiting(problems):
    return f"the live page keeps its reviewed text; the changes wait in its pending revision: {_sentence(problems)}"


def _sentence(problems):
    return "; ".join(message[:1].lower() + message[1:].rstrip(".") for message in problems.values()) + "."


def _problem(error):
    """One line from a ValidationError: the front matter field, then the first message."""
    if hasattr(error, "error_dict"):
        name, errors = next(iter(error.error_dict.items()))
        message = " ".join(ValidationError(errors).messages)
        name = FIELD_NAMES.get(name, name)
        return f"{name}: {message}" if name else message
    return " ".join(error.messages)


# What a file asks for and what is stored, in one comparable shape: equal means "unchanged".

BODY_IMAGE = re.compile(r'!\[(?P<alt>[^\]]*)\]\(\s*(?P<path>[^)\s]+)(?:\s+"(?P<caption>[^"]*)")?\s*\)')
URL_OR_REFERENCE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", re.IGNORECASE)  # https:, image:12, /media/…


def check_image_bytes(content, name, field):
    """The dry run's check of a body image it does not store: the upload rules, on the bytes."""
    try:
        check_image(ContentFile(content, name=name))
    except ValidationError as error:
        raise FileProblem(field, " ".join(error.messages)) from error


def digest(content):
    return hashlib.sha256(content).hexdigest() if content is not None else None


def stored_file(field_file):
    if not field_file:
        return None
    try:
        with field_file.storage.open(field_file.name, "rb") as file:
            return digest(file.read())
    except OSError:
        return "missing"


def author_state(data, headshot):
    state = {key: data[key] for key in ("name", "kind", "role", "short_bio", "bio", "headshot_alt", "credentials",
                                        "featured_in", "profile_links")}
    return {**state, "headshot": headshot if isinstance(headshot, (str, type(None))) else digest(headshot)}


def stored_author(author):
    return {
        "name": author.name, "kind": author.kind, "role": author.role, "short_bio": author.short_bio,
        "bio": author.bio, "headshot_alt": author.headshot_alt,
        "credentials": [{"degree": row.degree, "institution": row.institution} for row in author.credentials.all()],
        "featured_in": [{"outlet": row.outlet, "url": row.url} for row in author.featured_in.all()],
        "profile_links": [{"label": row.label, "url": row.url} for row in author.profile_links.all()],
    }


def page_state(model, data, resolved, files):
    state = {name: data[name] for name in page_fields(model)}
    faqs = ({"faqs": [tuple(faq) for faq in data["faqs"]]} if model is Article else
            {"faq_groups": [(heading, [tuple(faq) for faq in faqs]) for heading, faqs in data["faq_groups"]],
             "featured_article": data["featured_article"]})
    state.update(
        key_takeaways=list(data["key_takeaways"]), **faqs,
        references=[getattr(row, "pk", row) for row in resolved["references"]],
        files={name: content if isinstance(content, (str, type(None))) else digest(content)
               for name, content in files.items()},
    )
    for name, value in resolved.items():
        if name == "hubs":
            state[name] = sorted(getattr(row, "pk", row) for row in value)
        elif name != "references":
            state[name] = getattr(value, "pk", value) or None
    related = "related" if model is Article else "related_hubs"
    state[related] = sorted(data[related])
    if model is Article:
        state.update(tags=sorted(data["tags"]), expire_at=data["expire_at"],
                     **{name: data[name] for name in ("publish_at",) if name in data})
    return state


def stored_page(page):
    """A stored page as a read file would give it (the fields page_state() reads)."""
    data = {name: getattr(page, name) for name in page_fields(type(page))}
    data["key_takeaways"] = [line.strip() for line in page.key_takeaways.splitlines() if line.strip()]
    live = page.draft_of or page  # links to other pages are made on the live page
    if isinstance(page, Article):
        data["faqs"] = [(faq.question, faq.answer) for faq in page.faqs.all()]
    else:
        data["faq_groups"] = [(group.heading, [(faq.question, faq.answer) for faq in group.faqs.all()])
                              for group in page.faq_groups.all()]
        data["featured_article"] = live.featured_article.slug if live.featured_article_id else None
    if isinstance(page, Article):
        data["related"] = [row.slug for row in live.related_articles.all()]
    else:
        data["related_hubs"] = [row.slug for row in live.related_hubs.all()]
    if isinstance(page, Article):
        data.update(tags=[tag.name for tag in page.tags.all()], expire_at=live.expire_at,
                    publish_at=live.publish_at)
    return data


def stored_relations(page):
    relations = {"author": page.author, "reviewer": page.reviewer,
                 "references": [citation.reference for citation in page.citations.all()]}
    if isinstance(page, Article):
        relations.update(primary_hub=page.primary_hub, hubs=list(page.hubs.all()))
    return relations


def stored_files(page):
    files = {"hero_image": stored_file(page.hero_image)}
    if isinstance(page, Article):
        files["audio"] = stored_file(page.audio_file)
    return files
