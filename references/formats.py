"""Reference formats: CSL-JSON in, library entries out.

A small version for the importer (transfer/): another branch replaces these two functions with fuller ones
(structured names, BibTeX and RIS, citeproc) of the same names and meaning.
"""

import json

from django.core.exceptions import ValidationError

from .models import Reference, normalise_doi

# CSL item types and the library's source types, where one says the other.
SOURCE_TYPES = {"book": Reference.SourceType.BOOK, "report": Reference.SourceType.GOVERNMENT_SOURCE}


def parse_references(text):
    """CSL-JSON text (one item or a list of items) → a list of CSL items (dicts). ValueError if it is not."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"not CSL-JSON: {error}") from error
    items = data if isinstance(data, list) else [data]
    if not all(isinstance(item, dict) for item in items):
        raise ValueError("not CSL-JSON: expected an item (an object) or a list of items")
    return items


def upsert_from_csl(item):
    """The library entry for a CSL item: the one with its DOI, else with its title and year, else a new one.
    Returns (reference, created). An entry already in the library is cited as it is. ValidationError if the
    item lacks what an entry needs (title, year, an author)."""
    doi = normalise_doi(item.get("DOI") or "")
    title = " ".join(str(item.get("title") or "").split())
    year = _year(item)
    found = Reference.objects.filter(doi=doi).first() if doi else None
    if found is None and title and year:
        found = Reference.objects.filter(title__iexact=title, year=year).first()
    if found:
        return found, False
    authors = _apa_authors(item.get("author") or item.get("editor") or [])
    missing = [name for name, value in (("title", title), ("issued", year), ("author", authors)) if not value]
    if missing:
        raise ValidationError(f"a new reference needs {', '.join(missing)}")
    reference = Reference(
        authors=authors[:600], year=year, title=title[:400], doi=doi,
        container=str(item.get("container-title") or item.get("publisher") or "")[:200],
        volume=str(item.get("volume") or "")[:20], issue=str(item.get("issue") or "")[:20],
        pages=str(item.get("page") or "").replace("-", "–")[:40],
        url="" if doi else str(item.get("URL") or "")[:500],
        source_type=SOURCE_TYPES.get(item.get("type"), Reference.SourceType.PRIMARY_RESEARCH),
    )
    reference.full_clean()
    reference.save()
    return reference, True


def _year(item):
    parts = (item.get("issued") or {}).get("date-parts") or [[None]]
    try:
        return int(parts[0][0])
    except (TypeError, ValueError, IndexError):
        return None


def _apa_authors(names):
    """CSL names → "Family, G. N., & Family, G." (an organisation's name as it is)."""
    written = []
    for name in names:
        if name.get("literal"):
            written.append(name["literal"])
            continue
        initials = " ".join(f"{part[0]}." for part in str(name.get("given") or "").replace("-", " ").split())
        written.append(", ".join(filter(None, [name.get("family", ""), initials])))
    if len(written) > 1:
        return ", ".join(written[:-1]) + ", & " + written[-1]
    return "".join(written)
