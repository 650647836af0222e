"""A large generated library for the benchmark: `manage.py load_demo --articles N`.

Articles of about 2,500 words, 5 tags, 5 references and 4 FAQs each, spread over 5 hubs. Written with
bulk inserts: the Markdown of a few dozen body variants is rendered once and shared, so 2,000 articles
take seconds, not minutes. The text is assembled from our own sentences about the demo topics.
"""

import random
import sys
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from articles.models import Article, ArticleCitation, Tag, TaggedArticle
from authors.models import Author
from faqs.models import FAQ
from hubs.models import Hub
from mindlab import search
from mindlab.markdown import render
from references.models import Reference

SLUG_PREFIX = "library-"
BODY_VARIANTS = 24
BATCH = 200

EXTRA_HUBS = [
    ("attention-focus", "Attention & Focus", "Why concentration frays under pressure, and how the brain gets it back."),
    ("sleep-recovery", "Sleep & Recovery", "What the sleeping brain repairs, and what a short night costs."),
]
TOPICS = ["motivation", "stress", "sleep", "anxiety", "focus", "habits", "mood", "burnout", "resilience",
          "attention", "reward", "memory", "decision-making", "self-control", "recovery"]
TAGS = ["dopamine", "cortisol", "prefrontal cortex", "amygdala", "hippocampus", "neuroplasticity", "sleep",
        "exercise", "anhedonia", "burnout", "habits", "focus", "inflammation", "serotonin", "reward",
        "stress", "anxiety", "depression", "memory", "executive function", "resilience", "recovery",
        "motivation", "attention", "emotion regulation", "rumination", "procrastination", "fatigue",
        "mindfulness", "social connection", "nutrition", "circadian rhythm", "learning", "fear", "decision-making",
        "self-control", "perfectionism", "grief", "loneliness", "leadership"]
SENTENCES = [
    "The brain treats effort as a cost and reward as a forecast, and both can drift out of tune.",
    "When a forecast keeps coming up short, the system quietly lowers what it expects from effort.",
    "Chronic pressure keeps stress hormones high, and high levels wear on the regions that regulate emotion.",
    "The prefrontal cortex plans and restrains; under strain it loses connections before anything else does.",
    "Deep sleep clears the day's chemistry and lets emotional memories lose some of their sting.",
    "A short night makes the alarm system of the brain quicker to fire and slower to settle.",
    "Regular aerobic activity is one of the few interventions shown to grow a brain region in a trial.",
    "What looks like a lack of discipline is often a prediction system that no longer expects a payoff.",
    "Small completed actions are data: each one gives the reward system something to learn from.",
    "Rumination borrows the machinery of planning and runs it without a destination.",
    "The feeling of wanting usually returns after the behaviour, not before it.",
    "People often keep performing at work long after the wish to act has faded.",
    "Inflammatory signals can lower motivation in ways that look like low mood.",
    "Early experience tunes the stress response, and later experience can tune it again.",
    "A threat system that fires too early makes ordinary situations feel like emergencies.",
    "Attention is a limited budget, and worry spends it before the day has begun.",
    "Recovery is active work for the brain, not an absence of work.",
    "Naming which circuit dominates is the first step of any plan that is meant to last.",
    "Routines lower the number of decisions a tired brain has to make.",
    "Social connection buffers the stress response in measurable ways.",
]
QUESTIONS = [
    "What is the brain doing when {topic} changes?", "Why does {topic} get harder under pressure?",
    "How does sleep affect {topic}?", "What does the research on {topic} actually show?",
    "Which circuits are involved in {topic}?", "How does chronic stress reshape {topic}?",
    "What helps {topic} recover?", "When should {topic} be assessed by a clinician?",
    "How do habits shape {topic}?", "What is the link between {topic} and mood?",
]
FAQS = [
    ("Is this something I can change on my own?",
     "Often partly. Sleep, movement and routine are strong levers; persistent problems deserve an assessment."),
    ("How long does change take?", "Habits shift within weeks; structural changes in the brain take months."),
    ("Is this a sign of a medical condition?", "Not necessarily. If it lasts for weeks or disrupts daily life, "
     "talk to a clinician."),
    ("Does medication help?", "For some people. Discuss any change with the clinician who prescribes it."),
    ("Can stress alone cause this?", "Long, uncontrollable stress is one of the most common contributors."),
    ("What should I track?", "Sleep, energy across the day and what you avoid are more telling than mood alone."),
    ("Why do I feel worse in the evening?", "Fatigue lowers prefrontal control, so worries get louder at night."),
    ("Is exercise really that important?", "Regular aerobic activity has some of the best evidence of anything."),
]


def generate(count, stdout=sys.stdout, stderr=sys.stderr):
    """Replace the generated library with `count` articles; leaves the hand-written demo content alone."""
    generated = Article.objects.filter(slug__startswith=SLUG_PREFIX)
    if generated.count() == count:
        stdout.write(f"The generated library already has {count} articles.\n")
        return
    with transaction.atomic():
        generated.delete()
        hubs = _hubs()
        authors = list(Author.objects.filter(kind="person")) or [Author.objects.create(name="Library Author",
                                                                                      slug="library-author")]
        reviewer = Author.objects.filter(kind="organisation").first()
        references = list(Reference.objects.all())
        tags = [Tag.objects.get_or_create(name=name, defaults={"slug": name.replace(" ", "-")})[0] for name in TAGS]
        variants = [body_variant(n) for n in range(BODY_VARIANTS)]
        faqs = [(question, answer, render(answer)) for question, answer in FAQS]
        now = timezone.now()
        for start in range(0, count, BATCH):
            rows = range(start, min(start + BATCH, count))
            articles = Article.objects.bulk_create(
                [_article(n, variants, hubs, authors, reviewer, now) for n in rows]
            )
            _relations(articles, tags, references, faqs)
            _progress(stderr, rows.stop, count)
        stderr.write("\n")
        search.index_rows(Article.objects.filter(slug__startswith=SLUG_PREFIX).prefetch_related("tags"))
        if search.is_postgres(generated):
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh planner statistics: bulk inserts leave none behind
    stdout.write(f"Generated {count} articles over {len(hubs)} hubs.\n")


def _hubs():
    hubs = list(Hub.objects.published().order_by("order")[:5])
    for slug, title, tagline in EXTRA_HUBS[: max(0, 5 - len(hubs))]:
        hub, _ = Hub.objects.get_or_create(slug=slug, defaults={
            "title": title, "tagline": tagline, "is_published": True, "order": 10 + len(hubs),
            "intro": tagline, "body": f"## What is this hub about?\n\n{tagline}",
        })
        hubs.append(hub)
    return hubs


def body_variant(n):
    rng = random.Random(n)
    topic = rng.choice(TOPICS)
    sections = []
    for question in rng.sample(QUESTIONS, 8):
        paragraphs = [" ".join(rng.sample(SENTENCES, 5)) for _ in range(4)]
        sections.append(f"## {question.format(topic=topic)}\n\n" + "\n\n".join(paragraphs))
    sections.insert(3, f"> {rng.choice(SENTENCES)}")
    sections.insert(6, "\n".join(f"- {sentence}" for sentence in rng.sample(SENTENCES, 4)))
    body = f"{' '.join(rng.sample(SENTENCES, 5))}\n\n" + "\n\n".join(sections)
    return topic, body, render(body)


def _article(n, variants, hubs, authors, reviewer, now):
    topic, body, rendered = variants[n % len(variants)]
    rng = random.Random(n)
    published = now - timedelta(hours=6 + n * 9)
    reviewed = (published + timedelta(days=2)).date() if reviewer and n % 3 else None
    return Article(
        title=f"{topic.capitalize()} and the brain: note {n + 1}",
        slug=f"{SLUG_PREFIX}{n + 1}",
        body=body,
        body_html=rendered.html,
        body_text=rendered.text,
        toc=rendered.toc,
        summary=rendered.excerpt(),
        word_count=rendered.word_count,
        reading_minutes=rendered.reading_minutes,
        key_takeaways="\n".join(rng.sample(SENTENCES, 3)),
        meta_description=rendered.excerpt(words=22),
        primary_hub=hubs[n % len(hubs)],
        author=authors[n % len(authors)],
        reviewer=reviewer if reviewed else None,
        last_reviewed=reviewed,
        review_due=reviewed + timedelta(days=365) if reviewed else None,
        status=Article.Status.PUBLISHED,
        publish_at=published,
    )


def _relations(articles, tags, references, faqs):
    tagged, cited, questions = [], [], []
    for article in articles:
        rng = random.Random(article.slug)
        tagged += [TaggedArticle(content_object=article, tag=tag) for tag in rng.sample(tags, 5)]
        its_citations = [ArticleCitation(article=article, reference=reference, order=order)
                         for order, reference in enumerate(rng.sample(references, min(5, len(references))))]
        its_faqs = [FAQ(article=article, question=question, answer=answer, answer_html=rendered.html, order=order,
                        word_count=len(question.split()) + rendered.word_count)
                    for order, (question, answer, rendered) in enumerate(rng.sample(faqs, 4))]
        if article.reviewer_id:  # the review covers the text as generated, as a recorded review would
            article.reviewed_fingerprint = article.fingerprint(its_faqs, its_citations)
        cited += its_citations
        questions += its_faqs
    TaggedArticle.objects.bulk_create(tagged)
    ArticleCitation.objects.bulk_create(cited)
    FAQ.objects.bulk_create(questions)
    Article.objects.bulk_update([article for article in articles if article.reviewer_id], ["reviewed_fingerprint"])


def _progress(stream, done, total, width=30):
    filled = width * done // total
    stream.write(f"\r  generating articles [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    stream.flush()
