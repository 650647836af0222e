"""What changed between two versions of a page, as HTML a reviewer can read.

`field_changes(old, new)` compares two instances of one model (live rows, revision rows, simple-history
records or their `.instance`) field by field. Long text (Markdown bodies, intros, takeaways) is aligned by
paragraph: a changed paragraph shows its inserted and deleted words (<ins>/<del>), added, removed and moved
paragraphs say so, and runs of unchanged paragraphs fold into a <details> that opens without script.
Other fields show old → new. `list_changes(old, new)` does the same for lists of strings (citations,
FAQs, tags). Every value is escaped: page text is written by staff and never trusted as HTML.

Why difflib and not a package: diff-match-patch and its kin diff characters (words only through a
line-encoding trick) and know nothing of paragraphs or folds; redlines diffs whole texts into Markdown.
The alignment and the folds are this module's work either way, and SequenceMatcher on paragraphs, then
on the words of a changed paragraph, is fast enough (docs/performance.md).
"""

import json
import re
from difflib import SequenceMatcher

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

# Paired as "the same paragraph, edited" when at least this share of its words survive.
SIMILAR = 0.5
# A paragraph removed in one place and added, this alike, in another was moved (and perhaps edited).
MOVED = 0.75
# Edited paragraphs are looked for within this many places of where they stood in a replaced stretch; and
# a stretch of more than MAX_PAIRINGS old × new paragraphs is shown as removed and added, so that even a
# total rewrite of a very long text costs milliseconds, not seconds.
BAND = 8
MAX_PAIRINGS = 40000
WORD = re.compile(r"\s+|\w+(?:['’-]\w+)*|[^\w\s]")
WORDS_ONLY = re.compile(r"\w+(?:['’-]\w+)*")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$", re.MULTILINE)


def field_changes(old, new, fields=None):
    """[(label, html)] for each compared field whose value differs between `old` and `new`.

    `fields` names the fields to compare, in order; by default every editable concrete field except the
    workflow's bookkeeping (derived fields and timestamps are not editable).
    """
    return [(capfirst(field.verbose_name), _field_html(field, old, new)) for field in changed_fields(old, new, fields)]


def changed_fields(old, new, fields=None):
    """The model fields whose stored values differ: no queries, so a list of versions can ask it per row."""
    return [field for field in compared_fields(_model(new), fields)
            if _stored(old, field) != _stored(new, field)]


def compared_fields(model, fields=None):
    if fields is not None:
        return [model._meta.get_field(name) for name in fields]
    # A page's workflow bookkeeping (Page.workflow_fields: who submitted or decided, which live page a revision
    # belongs to) is shown by the version list and the review page; it is never a change of content.
    bookkeeping = set(getattr(model, "workflow_fields", ()))
    return [field for field in model._meta.concrete_fields
            if field.editable and not field.primary_key and field.name not in bookkeeping]


def text_changes(old, new):
    """Paragraph-aligned, word-level diff of two texts (blank lines part paragraphs; lines with no blank
    line between them, like key takeaways, are taken line by line)."""
    old, new = (old or "").replace("\r\n", "\n"), (new or "").replace("\r\n", "\n")
    by_line = "\n" in old + new and not PARAGRAPH_BREAK.search(old) and not PARAGRAPH_BREAK.search(new)
    unit = ("line", "lines", "line ") if by_line else ("paragraph", "paragraphs", "¶ ")
    return _render(_units(old, by_line), _units(new, by_line), unit, "diff-text")


def list_changes(old, new):
    """Diff of two lists of strings (citations, FAQs, tags): items added, removed, moved or edited, with
    unchanged items folded. Empty when the lists are equal."""
    old, new = [str(item) for item in old], [str(item) for item in new]
    if old == new:
        return mark_safe("")
    return _render(old, new, ("item", "items", "#"), "diff-list")


def changed_lists(old, new, names):
    """Those of the related lists `names` (`Page.version_lists()`: tags, citations, FAQs), in that order, whose items
    differ as a reader sees them. None on either side (a version recorded before versions covered the lists)
    compares nothing."""
    if old is None or new is None:
        return []
    return [name for name in names if name in old and name in new and _labels(old[name]) != _labels(new[name])]


def lists_changes(old, new, labels):
    """[(label, html)] for each related list that differs, in the order of `labels`, which names each list."""
    return [(labels[name], list_changes(_labels(old[name]), _labels(new[name])))
            for name in changed_lists(old, new, labels)]


def _labels(items):
    return [item["label"] for item in items]


# Reading stored values


def _model(obj):
    """The content model, also for a simple-history record (whose class is the historical model)."""
    return getattr(obj, "instance_type", None) or type(obj)


def _stored(obj, field):
    value = getattr(obj, field.attname, None)
    if isinstance(field, models.FileField):
        return getattr(value, "name", value) or ""
    return value


def _field_html(field, old, new):
    if isinstance(field, models.TextField) and not field.choices:
        return text_changes(_stored(old, field), _stored(new, field))
    before, after = _display(old, field), _display(new, field)
    return format_html('<p class="diff-value">{} <span class="diff-arrow" aria-label="becomes">→</span> {}</p>',
                       _value_html(before, "del"), _value_html(after, "ins"))


def _value_html(text, tag):
    if text is None:
        return mark_safe('<em class="diff-empty">empty</em>')
    return format_html("<{}>{}</{}>", tag, text, tag)


def _display(obj, field):
    """A stored value as a reader names it: a choice's label, a related object's name, Yes/No, a local date."""
    value = _stored(obj, field)
    if value is None or value == "":
        return None
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        try:
            return str(getattr(obj, field.name))
        except ObjectDoesNotExist:
            return f"{field.related_model._meta.verbose_name} #{value} (deleted)"
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(field, models.DateTimeField):
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "j M Y, H:i")
    if isinstance(field, models.DateField):
        return formats.date_format(value, "j M Y")
    if isinstance(field, models.JSONField):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


# Aligning paragraphs


def _units(text, by_line):
    text = text.strip("\n")
    if not text:
        return []
    return text.split("\n") if by_line else PARAGRAPH_BREAK.split(text)


class _Likeness:
    """How alike old paragraph i and new paragraph j are: difflib's ratio over their words, or 0 when it is
    below `least` (cheap upper bounds rule most pairs out first). Each paragraph's words are read once and
    each new paragraph's index is built once."""

    def __init__(self, old, new):
        self.old = [WORDS_ONLY.findall(unit) for unit in old]
        self.new = [WORDS_ONLY.findall(unit) for unit in new]
        self.matchers = {}

    def __call__(self, i, j, least=SIMILAR):
        matcher = self.matchers.get(j)
        if matcher is None:
            matcher = self.matchers[j] = SequenceMatcher(None, b=self.new[j], autojunk=False)
        matcher.set_seq1(self.old[i])
        if matcher.real_quick_ratio() < least or matcher.quick_ratio() < least:
            return 0.0
        ratio = matcher.ratio()
        return ratio if ratio >= least else 0.0


def _align(old, new):
    """Steps ("same"|"changed"|"removed"|"added"|"moved_in"|"moved_out", old index, new index) in reading
    order: the newer version's order, with what left it shown where it was."""
    likeness = _Likeness(old, new)
    steps = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            steps += [("same", i1 + k, j1 + k) for k in range(i2 - i1)]
        else:
            steps += _pair(likeness, range(i1, i2), range(j1, j2))
    return _find_moves(old, new, steps, likeness)


def _pair(likeness, olds, news):
    """Within a replaced stretch, pair each edited paragraph with its older self, keeping the order (the
    heaviest chain of similar pairs); the rest were removed or added. One paragraph replacing one is
    always that paragraph, edited. Only pairs near the stretch's diagonal are weighed: an edited
    paragraph stays about where it was (one that travelled far is found as a move)."""
    if len(olds) == 1 and len(news) == 1:
        return [("changed", olds[0], news[0])]
    if not olds or not news or len(olds) * len(news) > MAX_PAIRINGS:
        return [("removed", i, None) for i in olds] + [("added", None, j) for j in news]
    a, b = len(olds), len(news)
    if a == b and all(likeness(i, j) for i, j in zip(olds, news, strict=True)):  # each edited in place
        return [("changed", i, j) for i, j in zip(olds, news, strict=True)]
    # |i/a - j/b| (positions as fractions of the stretch) at most BAND places of the longer side
    score = {(i, j): likeness(i, j) for i in olds for j in news
             if abs((i - olds.start) * b - (j - news.start) * a) * max(a, b) <= BAND * a * b}
    best = {}
    for i in reversed(olds):
        for j in reversed(news):
            take = score.get((i, j), 0.0)
            skip = max(best.get((i + 1, j), 0.0), best.get((i, j + 1), 0.0))
            best[i, j] = max(skip, take + best.get((i + 1, j + 1), 0.0)) if take else skip
    steps, i, j = [], olds.start, news.start
    while i < olds.stop and j < news.stop:
        take = score.get((i, j), 0.0)
        if take and best[i, j] == take + best.get((i + 1, j + 1), 0.0):
            steps.append(("changed", i, j))
            i, j = i + 1, j + 1
        elif best.get((i + 1, j), 0.0) >= best.get((i, j + 1), 0.0):
            steps.append(("removed", i, None))
            i += 1
        else:
            steps.append(("added", None, j))
            j += 1
    steps += [("removed", k, None) for k in range(i, olds.stop)]
    steps += [("added", None, k) for k in range(j, news.stop)]
    return steps


def _find_moves(old, new, steps, likeness):
    """A paragraph removed in one place and added in another, word for word or nearly, was moved."""
    removed = [k for k, step in enumerate(steps) if step[0] == "removed"]
    added = [k for k, step in enumerate(steps) if step[0] == "added"]
    if not removed or not added:
        return steps
    by_text = {}
    for k in removed:
        by_text.setdefault(" ".join(old[steps[k][1]].split()), []).append(k)
    unmatched = []
    for k in added:
        found = by_text.get(" ".join(new[steps[k][2]].split()))
        if found:
            _mark_move(steps, found.pop(0), k)
        else:
            unmatched.append(k)
    left = [k for k in removed if steps[k][0] == "removed"]
    if len(left) * len(unmatched) <= MAX_PAIRINGS:
        for k in unmatched:
            score, r = max(((likeness(steps[r][1], steps[k][2], MOVED), r) for r in left), default=(0.0, None))
            if score:
                _mark_move(steps, r, k)
                left.remove(r)
    return steps


def _mark_move(steps, removed, added):
    i, j = steps[removed][1], steps[added][2]
    steps[removed], steps[added] = ("moved_out", i, j), ("moved_in", i, j)


# Rendering


def _render(old, new, unit, css_class):
    parts, same = [], []
    for kind, i, j in _align(old, new):
        if kind == "same":
            same.append(new[j])
            continue
        if same:
            parts.append(_fold(same, unit))
            same = []
        parts.append(_block(kind, old, new, i, j, mark=unit[2]))
    if same:
        parts.append(_fold(same, unit))
    return format_html('<div class="diff {}">{}</div>', css_class, mark_safe("".join(parts)))


def _fold(units, unit):
    """Unchanged paragraphs, folded: the summary counts them and names the headings inside."""
    noun = unit[0] if len(units) == 1 else unit[1]
    headings = [heading for text in units for heading in HEADING.findall(text)]
    shown = " · ".join(headings[:3]) + (" …" if len(headings) > 3 else "")
    return format_html(
        '<details class="diff-fold"><summary>{} unchanged {}{}</summary>{}</details>',
        len(units), noun, format_html('<span class="diff-fold-headings">: {}</span>', shown) if shown else "",
        mark_safe("".join(format_html('<div class="diff-unit">{}</div>', text) for text in units)),
    )


def _block(kind, old, new, i, j, mark):
    if kind == "changed":
        spacing = old[i].split() == new[j].split()
        label = f"{mark}{j + 1} · {'only spacing changed' if spacing else 'changed'}"
        body = _word_diff(old[i], new[j])
    elif kind == "added":
        label, body = f"{mark}{j + 1} · added", format_html("<ins>{}</ins>", new[j])
    elif kind == "removed":
        label, body = f"Removed (was {mark}{i + 1})", format_html("<del>{}</del>", old[i])
    elif kind == "moved_in":
        edited = old[i].split() != new[j].split()
        label = f"{mark}{j + 1} · moved here from {mark}{i + 1}{' and edited' if edited else ''}"
        body = _word_diff(old[i], new[j]) if edited else escape(new[j])
    else:  # moved_out: the text is shown where it now stands
        words = old[i].split()
        label = f"Was {mark}{i + 1} · moved to {mark}{j + 1}"
        body = escape(" ".join(words[:12]) + (" …" if len(words) > 12 else ""))
    return format_html('<div class="diff-unit diff-{}"><div class="diff-label">{}</div><div>{}</div></div>',
                       kind.replace("_", "-"), capfirst(label), body)


def _word_diff(old, new):
    """The newer text with deleted words in <del> and inserted words in <ins>; whitespace as written."""
    a, b = WORD.findall(old), WORD.findall(new)
    segments = []  # [old text, new text]; equal where the two are the same
    for tag, i1, i2, j1, j2 in SequenceMatcher(str.isspace, a, b, autojunk=False).get_opcodes():
        segments.append(["".join(a[i1:i2]), "".join(b[j1:j2]), tag == "equal"])
    segments = _absorb_small_equalities(segments)
    html = []
    for before, after, equal in segments:
        if equal:
            html.append(escape(after))
            continue
        if before:
            html.append(format_html("<del>{}</del>", before))
        if after:
            html.append(format_html("<ins>{}</ins>", after))
    return mark_safe("".join(html))


def _absorb_small_equalities(segments):
    """Merge an unchanged stretch no longer than the edits on both sides of it into them (as
    diff-match-patch's semantic clean-up does), so a rewritten sentence reads as one deletion and one
    insertion, not as a comb of single words and spaces."""
    kept = []
    for segment in segments:
        kept.append(segment)
        # [edit, small equality, edit] at the end becomes one edit, which may in turn swallow the one before.
        while len(kept) >= 3 and not kept[-1][2] and kept[-2][2] and not kept[-3][2]:
            before, middle, after = kept[-3:]
            size = len(middle[1].strip())
            if size > max(len(before[0]), len(before[1])) or size > max(len(after[0]), len(after[1])):
                break
            kept[-3:] = [[before[0] + middle[0] + after[0], before[1] + middle[1] + after[1], False]]
    return kept
