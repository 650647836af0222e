import re
from html.parser import HTMLParser

import pytest

from mindlab.markdown import ALLOWED_TAGS, render

XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<svg onload="alert(1)"></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<body onload="alert(1)">',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    '![x](x" onerror="alert(1))',
    "Paragraph\n{: onclick=alert(1) }",
    "## Heading {: onmouseover=alert(1) }",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>body{background:red}</style>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<input autofocus onfocus="alert(1)">',
    '<details open ontoggle="alert(1)">x</details>',
    '<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "<!--<img src=x onerror=alert(1)>-->",
    '<p title="</p><script>alert(1)</script>">x</p>',
    '<a href="#" onclick="alert(1)">x</a>',
    '<template><script>alert(1)</script></template>',
]

class _Elements(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.elements = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def assert_harmless(html):
    """Check the parsed result, not the text: `onclick=` shown as words to the reader is harmless."""
    for tag, attrs in _Elements(html).elements:
        assert tag in ALLOWED_TAGS, f"<{tag}> survived in {html!r}"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{name} survived in {html!r}"
            assert name != "style"
            if name in {"href", "src"}:
                # As a browser reads it: tabs and newlines vanish, then a scheme must look like one.
                scheme = re.match(r"^\s*([a-z][a-z0-9+.-]*):", re.sub(r"[\t\n\r]", "", value), re.IGNORECASE)
                assert not scheme or scheme[1].lower() in {"http", "https", "mailto", "tel"}, (
                    f"{value!r} survived in {html!r}"
                )
    assert "<script" not in html.lower()


@pytest.mark.parametrize("source", XSS_VECTORS)
def test_sanitiser_removes_xss_vector(source):
    assert_harmless(render(source).html)


@pytest.mark.parametrize("html", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '<a href="javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>', '<p style="color:red">x</p>', "<iframe src=x></iframe>",
])
def test_the_harmlessness_check_rejects_what_a_browser_would_run(html):
    # The sanitiser tests above are only as strong as this check: it must fail on unsanitised HTML.
    with pytest.raises(AssertionError):
        assert_harmless(html)


def test_attr_list_syntax_adds_no_attributes():
    html = render("## Heading {: onclick=alert(1) .evil #x }").html
    heading_attributes = _Elements(html).elements[0][1]
    assert set(heading_attributes) == {"id"}


def test_headings_get_ids_and_make_the_table_of_contents_h3s_under_their_h2():
    rendered = render("## What causes it?\n\nText.\n\n### Detail\n\n## What helps & why?\n\nMore.")
    assert '<h2 id="what-causes-it">What causes it?</h2>' in rendered.html
    assert '<h3 id="detail">' in rendered.html
    assert rendered.toc == [
        {"id": "what-causes-it", "title": "What causes it?", "children": [{"id": "detail", "title": "Detail"}]},
        {"id": "what-helps-why", "title": "What helps & why?", "children": []},
    ]


def test_h1_in_a_body_becomes_h2_so_the_page_keeps_one_h1():
    assert "<h1" not in render("# Big heading").html
    assert '<h2 id="big-heading">' in render("# Big heading").html


def test_blockquote_tables_and_lists_survive():
    html = render("> A pull quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two").html
    assert "<blockquote>" in html
    assert "<table>" in html and "<td>1</td>" in html
    assert "<li>one</li>" in html


def test_external_links_get_rel_noopener():
    html = render("[source](https://example.org/paper)").html
    assert '<a href="https://example.org/paper" rel="noopener">source</a>' in html


def test_safe_links_and_images_are_kept():
    html = render("[mail](mailto:care@example.org) ![Brain scan](/media/scan.png)").html
    assert 'href="mailto:care@example.org"' in html
    assert ("img", {"alt": "Brain scan", "src": "/media/scan.png", "loading": "lazy", "decoding": "async"}) in (
        _Elements(html).elements
    )


def test_images_in_written_content_load_lazily_whatever_the_editor_wrote():
    html = render('<img src="/media/a.png" alt="A" width="640" height="480" loading="eager" decoding="sync">').html
    assert _Elements(html).elements == [("p", {}), ("img", {
        "src": "/media/a.png", "alt": "A", "width": "640", "height": "480", "loading": "lazy", "decoding": "async",
    })]


def test_word_count_reading_time_and_excerpt():
    rendered = render("## Heading\n\n" + "word " * 461 + "\n\nSecond paragraph.")
    assert rendered.word_count == 1 + 461 + 2
    assert rendered.reading_minutes == 3  # 464 words at 230 a minute, rounded up
    assert rendered.excerpt(words=3) == "word word word…"


def test_empty_body_renders_empty():
    rendered = render("")
    assert (rendered.html, rendered.toc, rendered.word_count, rendered.reading_minutes) == ("", [], 0, 0)
