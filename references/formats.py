"""Pasted references: BibTeX, RIS or CSL-JSON in, CSL-JSON items out, and library entries made or matched from them.

`parse_references(text)` reads one or many entries in any of the three formats (bibtexparser and rispy read
BibTeX and RIS; the mapping of their fields to CSL-JSON is ours, as neither library writes CSL-JSON).
`upsert_from_csl(item)` finds the library's entry for an item (same DOI, else same title and year) or makes it.
"""

import json
import re

import bibtexparser
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from django.core.exceptions import ValidationError
from pylatexenc.latex2text import LatexNodes2Text

from .citation import names_from_apa
from .models import Reference, normalise_doi

BIBTEX_ENTRY = re.compile(r"^\s*@\s*\w+\s*[{(]", re.MULTILINE)
RIS_RECORD = re.compile(r"^TY  - ", re.MULTILINE)

BIBTEX_TYPES = {"article": "article-journal", "book": "book", "inbook": "chapter", "incollection": "chapter",
                "techreport": "report", "report": "report", "online": "webpage", "electronic": "webpage",
                "www": "webpage", "inproceedings": "paper-conference", "conference": "paper-conference",
                "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis"}
RIS_TYPES = {"JOUR": "article-journal", "JFULL": "article-journal", "EJOUR": "article-journal",
             "BOOK": "book", "EBOOK": "book", "CHAP": "chapter", "ECHAP": "chapter", "RPRT": "report",
             "GOVDOC": "report", "STAND": "report", "ELEC": "webpage", "WEB": "webpage", "BLOG": "post-weblog",
             "CONF": "paper-conference", "CPAPER": "paper-conference", "THES": "thesis"}
# CSL item types to the library's source types; anything else is "other".
SOURCE_TYPES = {"article-journal": "journal-article", "article": "journal-article", "article-magazine":
                "journal-article", "review": "journal-article", "paper-conference": "journal-article",
                "book": "book", "chapter": "chapter", "entry-encyclopedia": "chapter", "report": "report",
                "webpage": "web-page", "post": "web-page", "post-weblog": "web-page"}


def parse_references(text):
    """CSL-JSON items for the references in `text`: CSL-JSON (one item or a list), BibTeX or RIS, one or many.
    Raises ValueError with a message naming the entry when something cannot be read."""
    text = (text or "").strip()
    if not text:
        raise ValueError("Paste at least one reference in BibTeX, RIS or CSL-JSON.")
    if text[0] in "[{":
        items = _from_csl_json(text)
    elif BIBTEX_ENTRY.search(text):
        items = _from_bibtex(text)
    elif RIS_RECORD.search(text):
        items = _from_ris(text)
    else:
        raise ValueError("This is not BibTeX (entries start with @article{…), RIS (records start with "
                         "\"TY  - \") or CSL-JSON (starts with [ or {).")
    for item in items:
        if not str(item.get("title") or "").strip():
            raise ValueError(f"{item['id']} has no title.")
    return items


def _from_csl_json(text):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"The CSL-JSON could not be read: {error.msg} (line {error.lineno}, "
                         f"column {error.colno}).") from None
    items = data if isinstance(data, list) else [data]
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise ValueError(f"CSL-JSON item {number} is not an object with fields such as \"title\".")
        item["id"] = f"CSL-JSON item {number}" + (f" ({item['id']})" if item.get("id") else "")
    return items


def _from_bibtex(text):
    library = bibtexparser.parse_string(
        text, append_middleware=[SeparateCoAuthors(), SplitNameParts(), LatexDecodingMiddleware()]
    )
    if library.failed_blocks:
        block = library.failed_blocks[0]
        key = re.match(r"\s*@\s*\w+\s*[{(]\s*([^,\s]+)", block.raw)
        name = f"BibTeX entry “{key.group(1)}”" if key else f"The BibTeX starting “{' '.join(block.raw.split())[:40]}”"
        reason = str(block.error) or "a brace or a quote is not closed"
        raise ValueError(f"{name} could not be read: {reason}.")
    if not library.entries:
        raise ValueError("No BibTeX entry was found.")
    items = []
    for entry in library.entries:
        fields = {key.lower(): field.value for key, field in entry.fields_dict.items()}
        kind = BIBTEX_TYPES.get(entry.entry_type.lower(), "document")
        if kind == "document" and fields.get("url"):
            kind = "webpage"
        item = {"id": f"BibTeX entry “{entry.key}”", "type": kind, "title": _plain(fields.get("title"))}
        for role in ("author", "editor"):
            if fields.get(role):
                item[role] = [_bibtex_name(parts) for parts in fields[role]]
        container = fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle")
        publisher = fields.get("publisher") or fields.get("institution") or fields.get("organization")
        year = re.search(r"\d{4}", str(fields.get("year") or fields.get("date") or ""))
        item.update(_present({
            "container-title": _plain(container), "publisher": _plain(publisher), "volume": fields.get("volume"),
            "number" if kind == "report" else "issue": fields.get("number"), "page": _pages(fields.get("pages")),
            "DOI": fields.get("doi"), "URL": fields.get("url"),
            "issued": {"date-parts": [[int(year.group())]]} if year else None,
        }))
        items.append(item)
    return items


def _bibtex_name(parts):
    # LatexDecodingMiddleware decodes strings only, not the name parts: decode them here.
    decode = LatexNodes2Text().latex_to_text
    if not parts.first and not parts.von and len(parts.last) == 1 and parts.last[0].startswith("{"):
        return {"literal": decode(parts.last[0]).strip()}  # "{World Health Organization}"
    family = decode(" ".join(parts.von + parts.last)).strip()
    return _present({"family": family, "given": decode(" ".join(parts.first + parts.jr)).strip()})


def _from_ris(text):
    try:
        records = rispy.loads(text)
    except Exception as error:  # rispy raises plain IOError/KeyError subclasses for a broken file
        raise ValueError(f"The RIS could not be read: {error}") from None
    if not records:
        raise ValueError("No RIS record was found.")
    items = []
    for number, record in enumerate(records, 1):
        kind = RIS_TYPES.get(record.get("type_of_reference", ""), "document")
        title = record.get("primary_title") or record.get("title")
        if kind == "chapter":
            container = record.get("secondary_title")
        else:
            container = record.get("journal_name") or record.get("alternate_title3") or record.get("secondary_title")
        dated = record.get("year") or record.get("publication_year") or record.get("date") or ""
        year = re.search(r"\d{4}", str(dated))
        pages = "–".join(filter(None, [record.get("start_page"), record.get("end_page")]))
        item = {"id": f"RIS record {number}" + (f" (“{title[:60]}”)" if title else ""), "type": kind, "title": title}
        item.update(_present({
            "author": _ris_names(record.get("authors") or record.get("first_authors")),
            "editor": _ris_names(record.get("secondary_authors")) if kind == "chapter" else None,
            "container-title": container, "publisher": record.get("publisher"), "volume": record.get("volume"),
            "number" if kind == "report" else "issue": record.get("number"), "page": pages,
            "DOI": record.get("doi"), "URL": (record.get("urls") or [None])[0],
            "issued": {"date-parts": [[int(year.group())]]} if year else None,
        }))
        items.append(item)
    return items


def _ris_names(names):
    # RIS writes "Russo, Scott J." or an organisation without a comma: the same shapes as one APA name.
    return [name for text in names or [] for name in names_from_apa(text)] or None


def _plain(value):
    return re.sub(r"[{}]", "", value).strip() if value else value


def _pages(value):
    return re.sub(r"\s*-{1,3}\s*", "–", value) if value else value


def _present(fields):
    return {key: value for key, value in fields.items() if value}


# From CSL-JSON to the library


def _year(item):
    issued = item.get("issued") or {}
    if isinstance(issued, dict):
        parts = issued.get("date-parts") or [[]]
        if parts and parts[0] and str(parts[0][0]).isdigit():
            return int(parts[0][0])
        issued = issued.get("raw") or issued.get("literal") or ""
    found = re.search(r"\d{4}", str(issued))
    return int(found.group()) if found else None


def _names(names):
    result = []
    for name in names or []:
        if not isinstance(name, dict):
            continue
        if name.get("literal") or not name.get("family"):
            literal = name.get("literal") or name.get("given")
            if literal:
                result.append({"literal": str(literal)})
            continue
        family = " ".join(filter(None, [name.get("non-dropping-particle"), name["family"]]))
        given = " ".join(filter(None, [name.get("given"), name.get("dropping-particle")]))
        result.append({"family": str(family), **({"given": str(given)} if given else {})})
    return result


def reference_fields(item):
    """The Reference fields for one CSL-JSON item."""
    kind = SOURCE_TYPES.get(item.get("type"), "other")
    if kind == "report" and "guideline" in f"{item.get('genre', '')} {item.get('title', '')}".lower():
        kind = "guideline"
    number = item.get("number") if kind in ("report", "guideline") else None
    fields = {
        "source_type": kind, "title": str(item.get("title") or "").strip(), "year": _year(item),
        "authors": _names(item.get("author")), "editors": _names(item.get("editor")),
        "container": item.get("container-title") or "", "publisher": item.get("publisher") or "",
        "volume": item.get("volume") or "", "issue": number or item.get("issue") or "",
        "pages": item.get("page") or "", "doi": normalise_doi(item.get("DOI") or ""), "url": item.get("URL") or "",
    }
    if fields["doi"]:
        fields["url"] = ""  # the DOI is the link
    return {key: str(value) if isinstance(value, int | float) and key != "year" else value
            for key, value in fields.items()}


def _matching_title(title):
    return re.sub(r"\W+", " ", title).strip().casefold()


def find_existing(fields):
    """The library's entry for these fields: the same DOI, else the same title (ignoring case and punctuation)
    and year."""
    if fields.get("doi"):
        return Reference.objects.filter(doi=fields["doi"]).first()
    title = _matching_title(fields.get("title", ""))
    candidates = Reference.objects.filter(year=fields.get("year"), title__istartswith=fields.get("title", "")[:12])
    return next((reference for reference in candidates if _matching_title(reference.title) == title), None)


def upsert_from_csl(item):
    """(reference, created) for one CSL-JSON item: the existing entry (same DOI, else same title and year), with
    its empty fields filled from the item (never overwriting what an editor wrote), or a new one.
    Raises ValueError naming the item when it cannot be saved (no title, a DOI or URL that is not valid, …)."""
    reference, created = reference_from_csl(item)
    if created or _filled(reference):  # an entry the item adds nothing to is not saved again
        reference.save()
    return reference, created


def _filled(reference):
    stored = Reference.objects.get(pk=reference.pk)
    return any(getattr(stored, field.attname) != getattr(reference, field.attname)
               for field in Reference._meta.concrete_fields)


def reference_from_csl(item):
    """What `upsert_from_csl()` would save for one CSL-JSON item, checked but not saved: (reference, created)."""
    fields = reference_fields(item)
    name = item.get("id") or f"“{fields['title'][:60]}”"
    reference = find_existing(fields)
    created = reference is None
    if created:
        reference = Reference(**fields)
    else:
        for key, value in fields.items():
            if value and not getattr(reference, key) and key != "source_type":
                setattr(reference, key, value)
    try:
        reference.full_clean()
    except ValidationError as error:
        problems = "; ".join(f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
                             for field, messages in error.message_dict.items())
        raise ValueError(f"{name} could not be saved: {problems}") from None
    return reference, created
