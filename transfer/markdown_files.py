"""One Markdown file with YAML front matter → a plain dict, checked field by field (docs/import-format.md).

Nothing here touches the database: the dict says what the file asks for (slugs, paths, values), and
`transfer.importer` finds the rows and applies it. A problem is a `FileProblem` naming the field.
"""

import re
from datetime import date, datetime, time, timedelta

import frontmatter
import yaml
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_duration

from references import formats
from references.models import Reference, normalise_doi

TYPES = ("author", "hub", "article", "page")
STATUSES = ("draft", "review", "published")
PAGE_FIELDS = {
    "title", "slug", "status", "seo_title", "meta_description", "updated", "key_takeaways", "hero_image", "hero_alt",
    "faqs", "references", "references_file",
}
FIELDS = {
    "author": {"name", "slug", "kind", "role", "short_bio", "headshot", "headshot_alt", "credentials", "featured_in",
               "profile_links"},
    "hub": PAGE_FIELDS | {"tagline", "pillar_label", "intro", "author", "reviewer", "last_reviewed", "faq_heading",
                          "faq_groups", "featured_article", "related_hubs", "is_sensitive", "order"},
    "article": PAGE_FIELDS | {"excerpt", "hub", "hubs", "tags", "author", "reviewer", "last_reviewed", "review_note",
                              "review_interval_months", "publish_at", "expire_at", "disclaimer",
                              "disclaimer_position", "reading_time", "related", "audio", "audio_url",
                              "audio_duration"},
    "page": {"title", "slug", "status", "seo_title", "meta_description", "updated"},
}
REFERENCE_KEYS = {"doi", "authors", "year", "title", "container", "journal", "volume", "issue", "pages", "url",
                  "source_type", "evidence"}


class FileProblem(Exception):
    """What is wrong with one file: the field (as the file names it, perhaps with its value) and the problem."""

    def __init__(self, field, message):
        super().__init__(f"{field}: {message}" if field else message)
        self.field, self.message = field, message


def read(source):
    """The dict a SourceFile asks for: "type", "slug", every field of its type (defaults for those it leaves
    out, except `publish_at` and `updated`, absent unless given) and "body" (the Markdown after the front matter)."""
    try:
        text = source.data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileProblem("", "not UTF-8 text") from error
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 1})" if where else ""
        raise FileProblem("front matter", f"not valid YAML{line}: {getattr(error, 'problem', error)}") from error
    meta = post.metadata
    if not meta:
        raise FileProblem("front matter", "missing: the file must start with --- and YAML fields, then ---")
    kind = meta.get("type")
    if kind not in TYPES:
        raise FileProblem("type", f"{kind!r} is not one of: {', '.join(TYPES)}")
    unknown = sorted(set(meta) - FIELDS[kind] - {"type"})
    if unknown:
        raise FileProblem(unknown[0], f"not a field of a{'n' if kind[0] in 'aeiou' else ''} {kind} "
                                      "(see docs/import-format.md)")
    return {"type": kind, **READERS[kind](Fields(meta), post.content.strip())}


class Fields:
    """Typed reading of the front matter; each reader raises FileProblem naming its field."""

    def __init__(self, meta):
        self.meta = meta

    def given(self, name):
        return self.meta.get(name) is not None

    def text(self, name, required=False):
        value = self.meta.get(name)
        if value is None or value == "":
            if required:
                raise FileProblem(name, "required")
            return ""
        if isinstance(value, (list, dict)):
            raise FileProblem(name, "give text, not a list")
        return str(value).strip()

    def slug(self, name, required=False):
        value = self.text(name, required)
        if value:
            try:
                validate_slug(value)
            except ValidationError as error:
                raise FileProblem(f'{name} "{value}"', "use letters, numbers, hyphens and underscores only") from error
        return value or None

    def slugs(self, name):
        return [self.slug_value(name, value) for value in self.list(name)]

    def slug_value(self, name, value):
        if not isinstance(value, str) or not re.fullmatch(r"[-\w]+", value):
            raise FileProblem(f"{name} {value!r}", "not a slug")
        return value

    def list(self, name):
        value = self.meta.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            raise FileProblem(name, "give a list (one item per line, each starting with - )")
        return value

    def lines(self, name, max_length=None):
        """A list of one-line texts, or a text with one item per line."""
        value = self.meta.get(name)
        if isinstance(value, str):
            value = value.splitlines()
        lines = [line for line in (str(item).strip() for item in self.list_of(name, value)) if line]
        for line in lines:
            if max_length and len(line) > max_length:
                raise FileProblem(f"{name} {line[:20]!r}…", f"at most {max_length} characters each")
        return lines

    def list_of(self, name, value):
        if value is None:
            return []
        if not isinstance(value, list) or any(isinstance(item, (list, dict)) for item in value):
            raise FileProblem(name, "give a list of texts")
        return value

    def boolean(self, name):
        value = self.meta.get(name, False)
        if not isinstance(value, bool):
            raise FileProblem(name, "give true or false")
        return value

    def integer(self, name, default):
        value = self.meta.get(name, default)
        if value is None and default is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise FileProblem(name, "give a whole number, 0 or more")
        return value

    def choice(self, name, choices, default):
        value = self.meta.get(name, default)
        if value not in choices:
            raise FileProblem(name, f"{value!r} is not one of: {', '.join(choices)}")
        return value

    def day(self, name):
        value = self.meta.get(name)
        if value is None or isinstance(value, date) and not isinstance(value, datetime):
            return value
        parsed = parse_date(str(value)) if isinstance(value, str) else None
        if parsed is None:
            raise FileProblem(name, f"{value!r} is not a date: write it as 2026-03-31")
        return parsed

    def moment(self, name):
        value = self.meta.get(name)
        if value is None:
            return None
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, date):
            moment = datetime.combine(value, time.min)
        else:
            try:
                moment = parse_datetime(str(value)) or (
                    datetime.combine(parse_date(str(value)), time.min) if parse_date(str(value)) else None)
            except ValueError:
                moment = None
            if moment is None:
                raise FileProblem(name, f"{value!r} is not a date and time: write it as 2026-03-31 09:00")
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment

    def duration(self, name):
        value = self.meta.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, int) and not isinstance(value, bool):  # YAML reads 12:30 as a number of seconds
            return timedelta(seconds=value)
        parsed = parse_duration(str(value))
        if parsed is None:
            raise FileProblem(name, f'{value!r} is not a length: write it as "00:12:30"')
        return parsed

    def records(self, name, keys, required, renames=None):
        """A list of mappings with the given keys (strings). "x" alone stands for {first key: "x"}."""
        found = []
        for index, item in enumerate(self.list(name), start=1):
            if isinstance(item, str):
                item = {keys[0]: item}
            if not isinstance(item, dict):
                raise FileProblem(f"{name} #{index}", f"give {', '.join(keys)}")
            item = {(renames or {}).get(key, key): value for key, value in item.items()}
            unknown = sorted(set(item) - set(keys))
            if unknown:
                raise FileProblem(f"{name} #{index}", f"{unknown[0]!r} is not one of: {', '.join(keys)}")
            record = {key: str(item.get(key) or "").strip() for key in keys}
            for key in required:
                if not record[key]:
                    raise FileProblem(f"{name} #{index}", f"{key} is required")
            found.append(record)
        return found

    def references(self):
        found = []
        for index, item in enumerate(self.list("references"), start=1):
            field = f"references #{index}"
            if isinstance(item, str):
                item = {"doi": item}
            if not isinstance(item, dict) or not item:
                raise FileProblem(field, 'give {doi: "10.…"}, {csl: {…a CSL-JSON item…}}, '
                                        '{bibtex: "@article{…}"} or {ris: "TY  - …"}')
            evidence = str(item.get("evidence") or "").strip()
            if evidence and evidence not in Reference.Evidence.values:
                raise FileProblem(f"{field} evidence",
                                  f"{evidence!r} is not one of: {', '.join(Reference.Evidence.values)}")
            if "csl" in item:
                if set(item) - {"evidence"} != {"csl"} or not isinstance(item["csl"], dict):
                    raise FileProblem(field, "csl: give one CSL-JSON item (a mapping), and nothing beside it but "
                                             "evidence")
                found.append({"csl": item["csl"], "evidence": evidence})
                continue
            if {"bibtex", "ris"} & set(item):
                kind = "bibtex" if "bibtex" in item else "ris"
                if len(item) != 1 or not isinstance(item[kind], str):
                    raise FileProblem(field, f"{kind}: give the entry as text, and nothing beside it")
                try:
                    found += [{"csl": csl} for csl in formats.parse_references(item[kind])]
                except ValueError as error:
                    raise FileProblem(field, str(error)) from error
                continue
            unknown = sorted(set(item) - REFERENCE_KEYS)
            if unknown:
                raise FileProblem(field, f"{unknown[0]!r} is not a reference field (doi, csl, authors, year, title…)")
            doi = normalise_doi(str(item.get("doi") or ""))
            fields = {("container" if key == "journal" else key): value for key, value in item.items() if key != "doi"}
            if not doi and not fields.get("title"):
                raise FileProblem(field, "give a doi, or the reference's fields (authors, year, title…)")
            found.append({"doi": doi, "fields": fields})
        return found


def _page(fields, statuses=STATUSES):
    return {
        "title": fields.text("title", required=True),
        "slug": fields.slug("slug", required=True),
        "status": fields.choice("status", statuses, "draft"),
        "seo_title": fields.text("seo_title"),
        "meta_description": fields.text("meta_description"),
        "content_updated": fields.moment("updated"),
        "key_takeaways": fields.lines("key_takeaways"),
        "hero_image": fields.text("hero_image"),
        "hero_alt": fields.text("hero_alt"),
        "faqs": [(faq["question"], faq["answer"]) for faq in fields.records("faqs", ("question", "answer"),
                                                                              ("question", "answer"))],
        "references": fields.references(),
        "references_file": fields.text("references_file"),
    }


def read_article(fields, body):
    if not body:
        raise FileProblem("body", "required: the article's Markdown goes after the front matter")
    data = {
        **_page(fields),
        "body": body,
        "excerpt": fields.text("excerpt"),
        "hub": fields.slug("hub", required=True),
        "hubs": fields.slugs("hubs"),
        "tags": fields.lines("tags", max_length=100),
        "author": fields.slug("author", required=True),
        "reviewer": fields.slug("reviewer"),
        "last_reviewed": fields.day("last_reviewed"),
        "review_note": fields.text("review_note"),
        "review_interval_months": fields.integer("review_interval_months", 12),
        "expire_at": fields.moment("expire_at"),
        "disclaimer": fields.text("disclaimer"),
        "disclaimer_position": fields.choice("disclaimer_position", ("", "top", "foot"), ""),
        "reading_time_override": fields.integer("reading_time", None),
        "related": fields.slugs("related"),
        "audio": fields.text("audio"),
        "audio_url": fields.text("audio_url"),
        "audio_duration": fields.duration("audio_duration"),
    }
    if fields.given("publish_at"):  # left out, the stored one is kept
        data["publish_at"] = fields.moment("publish_at")
    check_review(data)
    if data["audio"] and data["audio_url"]:
        raise FileProblem("audio", "give the audio as a file or as audio_url, not both")
    return data


def check_review(data):
    if bool(data["reviewer"]) != bool(data["last_reviewed"]):
        missing = "last_reviewed" if data["reviewer"] else "reviewer"
        raise FileProblem(missing, "a medical review needs both the reviewer and its date (last_reviewed)")


def read_hub(fields, body):
    page = _page(fields)
    faqs = page.pop("faqs")
    groups = faq_groups(fields)
    if groups and (faqs or fields.given("faq_heading")):
        raise FileProblem("faq_groups", "give faq_groups, or faq_heading with faqs (one group), not both")
    data = {
        **page,
        "body": body,
        "intro": fields.text("intro"),
        "tagline": fields.text("tagline"),
        "pillar_label": fields.text("pillar_label"),
        "author": fields.slug("author"),
        "reviewer": fields.slug("reviewer"),
        "last_reviewed": fields.day("last_reviewed"),
        # [(heading, [(question, answer)])]: the hub's FAQ groups in order; `faqs` alone are one group.
        "faq_groups": groups or ([(fields.text("faq_heading"), faqs)] if faqs else []),
        "featured_article": fields.slug("featured_article"),
        "related_hubs": fields.slugs("related_hubs"),
        "is_sensitive": fields.boolean("is_sensitive"),
        "order": fields.integer("order", 0),
    }
    check_review(data)
    return data


FAQ_GROUP_HEADING_MAX = 200


def faq_groups(fields):
    """`faq_groups: [{heading: ..., faqs: [{question, answer}, ...]}, ...]` as [(heading, [(question, answer)])]."""
    groups = []
    for index, item in enumerate(fields.list("faq_groups"), start=1):
        name = f"faq_groups #{index}"
        if not isinstance(item, dict):
            raise FileProblem(name, "give heading and faqs: {heading: ..., faqs: [{question: ..., answer: ...}]}")
        unknown = sorted(set(item) - {"heading", "faqs"})
        if unknown:
            raise FileProblem(name, f"{unknown[0]!r} is not one of: heading, faqs")
        heading = Fields(item).text("heading")
        if len(heading) > FAQ_GROUP_HEADING_MAX:
            raise FileProblem(f"{name} heading", f"at most {FAQ_GROUP_HEADING_MAX} characters")
        try:
            faqs = Fields(item).records("faqs", ("question", "answer"), ("question", "answer"))
        except FileProblem as problem:
            raise FileProblem(f"{name} {problem.field}", problem.message) from problem
        if not faqs:
            raise FileProblem(name, "give at least one question under faqs")
        groups.append((heading, [(faq["question"], faq["answer"]) for faq in faqs]))
    return groups


def read_author(fields, body):
    return {
        "name": fields.text("name", required=True),
        "slug": fields.slug("slug", required=True),
        "kind": fields.choice("kind", ("person", "organisation"), "person"),
        "role": fields.text("role"),
        "short_bio": fields.text("short_bio"),
        "bio": body,
        "headshot": fields.text("headshot"),
        "headshot_alt": fields.text("headshot_alt"),
        "credentials": fields.records("credentials", ("degree", "institution"), ("degree",)),
        "featured_in": fields.records("featured_in", ("outlet", "url"), ("outlet",)),
        "profile_links": fields.records("profile_links", ("label", "url"), ("label", "url")),
    }


def read_page(fields, body):
    """A standalone page (About, Privacy policy): its Markdown is the body."""
    if not body:
        raise FileProblem("body", "required: the page's Markdown goes after the front matter")
    return {
        "title": fields.text("title", required=True),
        "slug": fields.slug("slug", required=True),
        "status": fields.choice("status", STATUSES, "draft"),
        "seo_title": fields.text("seo_title"),
        "meta_description": fields.text("meta_description"),
        "content_updated": fields.moment("updated"),
        "body": body,
    }


READERS = {"article": read_article, "hub": read_hub, "author": read_author, "page": read_page}
