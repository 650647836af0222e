"""People's names and the APA reference, both from plain data, so the data migration can use them too.

Names are CSL name objects: `{"family": "Russo", "given": "S. J."}` for a person, `{"literal": "World Health
Organization"}` for an organisation. The APA text comes from citeproc-py with the APA 7 CSL style shipped in
`references/csl/apa.csl` (CC BY-SA, see LICENSE.md beside it).
"""

import functools
import re
from pathlib import Path

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from django.utils.html import escape

APA_STYLE = Path(__file__).parent / "csl" / "apa.csl"

# A given name as APA lists write it: initials ("S. J.", "J.-P.") or capitalised words ("Scott J.").
GIVEN = re.compile(r"^(?:[^\W\d_][\w'’]*\.?)(?:[\s-]+[^\W\d_][\w'’]*\.?)*$")
LEADING = re.compile(r"^(?:(?:&|and\s|\.\s*\.\s*\.|…)\s*)+")


def _looks_given(token):
    return bool(GIVEN.match(token)) and all(word[0].isupper() for word in re.split(r"[\s-]+", token))


def names_from_apa(text):
    """'Russo, S. J., & Nestler, E. J.' → [{'family': 'Russo', 'given': 'S. J.'}, {'family': 'Nestler', …}].
    A name with no given name after it ('World Health Organization') becomes a literal (an organisation), and
    so does a name in braces ('{Department of Health, Victoria}'), as in BibTeX."""
    names, text = [], (text or "").strip()
    for braced, rest in re.findall(r"\{([^{}]*)\}|([^{}]+)", text):
        if braced.strip():
            names.append({"literal": braced.strip()})
            continue
        # "& " before the last name, and the ". . ." of a list of more than 20 authors, are no part of a name.
        tokens = [LEADING.sub("", token.strip()).strip() for token in re.split(r",|\s&\s", rest)]
        tokens = [token for token in tokens if token]
        i = 0
        while i < len(tokens):
            if i + 1 < len(tokens) and _looks_given(tokens[i + 1]):
                names.append({"family": tokens[i], "given": tokens[i + 1]})
                i += 2
            else:
                names.append({"literal": tokens[i]})
                i += 1
    return names


def name_text(name, inverted=True):
    """One name for people: 'Russo, S. J.' (inverted, as an APA list and the admin show it) or 'S. J. Russo'."""
    if name.get("literal"):
        return name["literal"]
    family, given = name.get("family", ""), name.get("given", "")
    if not given:
        return family
    return f"{family}, {given}" if inverted else f"{given} {family}"


def names_to_apa(names):
    """The inverse of names_from_apa, for the migration's way back: 'Russo, S. J., & Nestler, E. J.'."""
    texts = [name_text(name) for name in names or []]
    if len(texts) < 2:
        return "".join(texts)
    return ", ".join(texts[:-1]) + ", & " + texts[-1]


@functools.cache
def _style():
    return CitationStylesStyle(str(APA_STYLE), validate=False)


def _escaped(value):
    """citeproc-py copies the data into its HTML as it is (it escapes only the style's own words): escape every
    string of the item first, as Django's templates would. The only tags left are the formatter's (<i>, <b>, …)."""
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    return value


def apa_html(item):
    """The APA 7 reference for one CSL-JSON item, as HTML with the data escaped (italics kept; no link: the caller
    adds it)."""
    item = _escaped({**item, "id": "item"})
    bibliography = CitationStylesBibliography(_style(), CiteProcJSON([item]), formatter.html)
    bibliography.register(Citation([CitationItem("item")]))
    text = "".join(str(entry) for entry in bibliography.bibliography())
    # citeproc-py does not apply the style's capitalize-first to the editor label: APA writes "(Ed.)".
    return text.replace(" (ed.)", " (Ed.)").replace(" (eds.)", " (Eds.)")
