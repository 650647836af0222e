import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from faqs.models import FAQ


def test_faq_of_a_hub(make_faq, make_hub):
    hub = make_hub()
    faq = make_faq(hub=hub)
    assert faq.parent == hub
    assert list(hub.faqs.all()) == [faq]


def test_faq_of_an_article_renders_its_answer(make_faq, make_article):
    article = make_article()
    faq = make_faq(article=article, answer="It **does**. <img src=x onerror=alert(1)>")
    assert faq.parent == article
    assert faq.answer_html.startswith('<p>It <strong>does</strong>. <img src="x" ')
    assert "onerror" not in faq.answer_html and 'loading="lazy"' in faq.answer_html


def test_faq_without_parent_is_refused(make_faq):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_faq()
    assert not FAQ.objects.exists()


def test_faq_with_two_parents_is_refused(make_faq, make_hub, make_article):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_faq(hub=make_hub(), article=make_article())


def test_faq_with_two_parents_is_a_validation_error(make_hub, make_article):
    faq = FAQ(hub=make_hub(), article=make_article(), question="Q?", answer="A.")
    with pytest.raises(ValidationError) as error:
        faq.full_clean()
    assert "exactly one hub or one article" in str(error.value)
