"""Demo content for `manage.py load_demo`: the structure of the practice's real pages, in our own words.

The citations are real publications (authors, year, title, journal, DOI are facts); everything else
here was written for this project.
"""

AUTHORS = [
    {
        "slug": "sydney-ceruto",
        "kind": "person",
        "name": "Dr. Sydney Ceruto",
        "role": "Neuro-Advisor & Author",
        "short_bio": (
            "Founder of MindLAB Neuroscience. She works with a small number of clients at a time on the "
            "neural patterns behind decisions, drive and emotional responses."
        ),
        "bio": (
            "Dr. Ceruto founded MindLAB Neuroscience in 2000 to bring findings from cognitive and behavioral "
            "neuroscience into one-to-one work with people whose standard treatment has stalled.\n\n"
            "Her writing here explains the research behind the practice: what the studies measured, what "
            "they can and cannot tell us, and how the findings shape the first conversation with a new client."
        ),
        "credentials": [
            ("PhD, Behavioral & Cognitive Neuroscience", "New York University"),
            ("MA, Clinical Psychology", "Yale University"),
            ("MA, Business Psychology", "Yale University"),
        ],
        "featured_in": [("Forbes Coaching Council", ""), ("Marquis Who's Who in America", "")],
        "profile_links": [("Practice website", "https://example.com/about")],
    },
    {
        "slug": "mindlab-clinical-review-team",
        "kind": "organisation",
        "name": "MindLAB Clinical Review Team",
        "role": "Medical review",
        "short_bio": (
            "The clinicians who check every article against its sources before it is published and again "
            "at each scheduled review."
        ),
        "bio": (
            "The review team reads each article beside the papers it cites. A claim that goes further than "
            "its source is rewritten or removed, and every article carries the date of its latest review."
        ),
        "credentials": [("Licensed clinical psychologists and psychiatric nurse practitioners", "")],
        "featured_in": [],
        "profile_links": [],
    },
]

REFERENCES = {
    "moncrieff2022": {
        "authors": "Moncrieff, J., Cooper, R. E., Stockmann, T., Amendola, S., Hengartner, M. P., & Horowitz, M. A.",
        "year": 2022,
        "title": "The serotonin theory of depression: A systematic umbrella review of the evidence",
        "container": "Molecular Psychiatry", "volume": "28", "issue": "8", "pages": "3243–3256",
        "doi": "10.1038/s41380-022-01661-0", "evidence": "systematic-review",
    },
    "pizzagalli2014": {
        "authors": "Pizzagalli, D. A.",
        "year": 2014,
        "title": "Depression, stress, and anhedonia: Toward a synthesis and integrated model",
        "container": "Annual Review of Clinical Psychology", "volume": "10", "pages": "393–423",
        "doi": "10.1146/annurev-clinpsy-050212-185606", "evidence": "review-article",
    },
    "russo2013": {
        "authors": "Russo, S. J., & Nestler, E. J.",
        "year": 2013,
        "title": "The brain reward circuitry in mood disorders",
        "container": "Nature Reviews Neuroscience", "volume": "14", "issue": "9", "pages": "609–625",
        "doi": "10.1038/nrn3381", "evidence": "review-article",
    },
    "treadway2012": {
        "authors": "Treadway, M. T., Buckholtz, J. W., Cowan, R. L., Woodward, N. D., Li, R., Ansari, M. S., "
        "Baldwin, R. M., Schwartzman, A. N., Kessler, R. M., & Zald, D. H.",
        "year": 2012,
        "title": "Dopaminergic mechanisms of individual differences in human effort-based decision-making",
        "container": "Journal of Neuroscience", "volume": "32", "issue": "18", "pages": "6170–6176",
        "doi": "10.1523/JNEUROSCI.6459-11.2012", "evidence": "primary-research",
    },
    "treadway2011": {
        "authors": "Treadway, M. T., & Zald, D. H.",
        "year": 2011,
        "title": "Reconsidering anhedonia in depression: Lessons from translational neuroscience",
        "container": "Neuroscience & Biobehavioral Reviews", "volume": "35", "issue": "3", "pages": "537–555",
        "doi": "10.1016/j.neubiorev.2010.06.006", "evidence": "review-article",
    },
    "duman2012": {
        "authors": "Duman, R. S., & Aghajanian, G. K.",
        "year": 2012,
        "title": "Synaptic dysfunction in depression: Potential therapeutic targets",
        "container": "Science", "volume": "338", "issue": "6103", "pages": "68–72",
        "doi": "10.1126/science.1222941", "evidence": "review-article",
    },
    "caspi2003": {
        "authors": "Caspi, A., Sugden, K., Moffitt, T. E., Taylor, A., Craig, I. W., Harrington, H., McClay, J., "
        "Mill, J., Martin, J., Braithwaite, A., & Poulton, R.",
        "year": 2003,
        "title": "Influence of life stress on depression: Moderation by a polymorphism in the 5-HTT gene",
        "container": "Science", "volume": "301", "issue": "5631", "pages": "386–389",
        "doi": "10.1126/science.1083968", "evidence": "primary-research",
    },
    "mcewen2017": {
        "authors": "McEwen, B. S.",
        "year": 2017,
        "title": "Neurobiological and systemic effects of chronic stress",
        "container": "Chronic Stress", "volume": "1",
        "doi": "10.1177/2470547017692328", "evidence": "review-article",
    },
    "meaney2001": {
        "authors": "Meaney, M. J.",
        "year": 2001,
        "title": "Maternal care, gene expression, and the transmission of individual differences in stress "
        "reactivity across generations",
        "container": "Annual Review of Neuroscience", "volume": "24", "pages": "1161–1192",
        "doi": "10.1146/annurev.neuro.24.1.1161", "evidence": "review-article",
    },
    "schultz1997": {
        "authors": "Schultz, W., Dayan, P., & Montague, P. R.",
        "year": 1997,
        "title": "A neural substrate of prediction and reward",
        "container": "Science", "volume": "275", "issue": "5306", "pages": "1593–1599",
        "doi": "10.1126/science.275.5306.1593", "evidence": "primary-research",
    },
    "erickson2011": {
        "authors": "Erickson, K. I., Voss, M. W., Prakash, R. S., Basak, C., Szabo, A., Chaddock, L., Kim, J. S., "
        "Heo, S., Alves, H., White, S. M., Wojcicki, T. R., Mailey, E., Vieira, V. J., Martin, S. A., Pence, B. D., "
        "Woods, J. A., McAuley, E., & Kramer, A. F.",
        "year": 2011,
        "title": "Exercise training increases size of hippocampus and improves memory",
        "container": "Proceedings of the National Academy of Sciences", "volume": "108", "issue": "7",
        "pages": "3017–3022", "doi": "10.1073/pnas.1015950108", "evidence": "primary-research",
    },
    "miller2016": {
        "authors": "Miller, A. H., & Raison, C. L.",
        "year": 2016,
        "title": "The role of inflammation in depression: From evolutionary imperative to modern treatment target",
        "container": "Nature Reviews Immunology", "volume": "16", "issue": "1", "pages": "22–34",
        "doi": "10.1038/nri.2015.5", "evidence": "review-article",
    },
    "ledoux2012": {
        "authors": "LeDoux, J.",
        "year": 2012,
        "title": "Rethinking the emotional brain",
        "container": "Neuron", "volume": "73", "issue": "4", "pages": "653–676",
        "doi": "10.1016/j.neuron.2012.02.004", "evidence": "review-article",
    },
    "etkin2007": {
        "authors": "Etkin, A., & Wager, T. D.",
        "year": 2007,
        "title": "Functional neuroimaging of anxiety: A meta-analysis of emotional processing in PTSD, social "
        "anxiety disorder, and specific phobia",
        "container": "American Journal of Psychiatry", "volume": "164", "issue": "10", "pages": "1476–1488",
        "doi": "10.1176/appi.ajp.2007.07030504", "evidence": "meta-analysis",
    },
    "walker2009": {
        "authors": "Walker, M. P., & van der Helm, E.",
        "year": 2009,
        "title": "Overnight therapy? The role of sleep in emotional brain processing",
        "container": "Psychological Bulletin", "volume": "135", "issue": "5", "pages": "731–748",
        "doi": "10.1037/a0016570", "evidence": "review-article",
    },
    "vanderkolk2014": {
        "authors": "van der Kolk, B. A.",
        "year": 2014,
        "title": "The body keeps the score: Brain, mind, and body in the healing of trauma",
        "publisher": "Viking", "source_type": "book",
    },
}

HUBS = [
    {
        "slug": "depression-motivational-drive",
        "title": "Depression & Motivational Drive",
        "tagline": "When the wish to act fades before the mood does: the reward circuitry behind low drive.",
        "pillar_label": "Pillar 5 — Neural Recalibration",
        "order": 1,
        "is_sensitive": True,
        "faq_heading": "Key Questions Executives Ask About Depression & Drive",
        "meta_description": "How depression changes the brain's reward and motivation circuits, and why drive "
        "often returns last. Research-based articles from MindLAB Neuroscience.",
        "key_takeaways": (
            "Low drive and low mood run on partly separate circuits.\n"
            "The dopamine system predicts reward; in depression those predictions go flat.\n"
            "A person can keep performing at work while the wish to act has already faded.\n"
            "Circuits shaped by experience can be reshaped by experience."
        ),
        "intro": (
            "Most accounts of depression begin with sadness. Many of the people who contact the practice "
            "describe something else first: the plan is clear, the ability is intact, and yet nothing pulls "
            "them towards the next step.\n\n"
            "This hub gathers what the research says about that missing pull, and what it suggests about "
            "where change can start."
        ),
        "body": (
            "## Why does drive fade before mood does?\n\n"
            "The brain's reward system does two jobs that feel like one. It registers pleasure when something "
            "good happens, and it *predicts* how good the next thing will be. The second job, carried by "
            "dopamine neurons in the midbrain, is what makes effort feel worth spending.\n\n"
            "When chronic strain dampens those predictions, the future looks flat before the present feels "
            "bad. People describe it as going through the motions.\n\n"
            "> Losing the forward pull is not a failure of character. It is a change in a prediction system.\n\n"
            "## What does the serotonin debate change?\n\n"
            "A 2022 umbrella review found no consistent evidence that low serotonin causes depression. That "
            "does not mean medication never helps; it means the single-chemical story is too simple, and that "
            "motivation deserves attention of its own.\n\n"
            "## Where can change begin?\n\n"
            "Three findings point the way:\n\n"
            "- reward prediction is learned, so it can be relearned;\n"
            "- synapses lost under chronic stress can regrow;\n"
            "- the circuits are most open to change while they are active.\n\n"
            "The articles in this hub take each of these in turn."
        ),
        "references": ["moncrieff2022", "pizzagalli2014", "russo2013", "treadway2011"],
        "faqs": [
            (
                "Why can I still perform at work when I feel no drive at all?",
                "Carrying out a plan and wanting to carry it out use different systems. Planning and "
                "self-control lean on the prefrontal cortex; the wish to act leans on dopamine signalling in "
                "the striatum. The first can keep running for a long time after the second has gone quiet.",
            ),
            (
                "Why did my medication lift the lows but not my motivation?",
                "Many common medicines act mainly on serotonin, which shapes emotional tone. Motivation depends "
                "more on dopamine-driven reward prediction, so mood can improve while drive stays flat. Talk to "
                "your prescriber before changing anything.",
            ),
            (
                "Can motivation come back after years of feeling flat?",
                "The research on synaptic plasticity says the system is changeable. Reward predictions are "
                "learned, and the synapses that carry them can regrow once the conditions that weakened them "
                "change.",
            ),
        ],
    },
    {
        "slug": "chronic-stress-resilience",
        "title": "Chronic Stress & Resilience",
        "tagline": "What years of pressure do to the brain's stress system, and how it recovers.",
        "pillar_label": "",
        "order": 2,
        "is_sensitive": False,
        "faq_heading": "",
        "meta_description": "How chronic stress changes the hippocampus, the prefrontal cortex and the HPA axis, "
        "and what sleep, movement and recovery do about it.",
        "key_takeaways": (
            "The stress response is built for short threats, not for years of pressure.\n"
            "Sustained cortisol wears on the hippocampus and the prefrontal cortex.\n"
            "Sleep and movement are among the strongest levers we have."
        ),
        "intro": (
            "Stress is not the enemy; it is how the body mobilises for a challenge. The trouble starts when "
            "the challenge never ends and the system never stands down."
        ),
        "body": (
            "## What is allostatic load?\n\n"
            "Every stress response has a cost. When responses pile up faster than the body can recover, the "
            "costs accumulate. Researchers call that accumulated wear *allostatic load*.\n\n"
            "## Which brain regions feel it first?\n\n"
            "The hippocampus and the prefrontal cortex are rich in receptors for stress hormones, and both "
            "shrink their connections under long exposure. The amygdala, by contrast, tends to grow more "
            "reactive.\n\n"
            "> Chronic stress quietens the brakes and sharpens the alarm.\n\n"
            "## What helps the system recover?\n\n"
            "Recovery is active work for the brain. Deep sleep, aerobic exercise and predictable routines all "
            "lower the baseline the system returns to."
        ),
        "references": ["mcewen2017", "meaney2001", "duman2012"],
        "faqs": [
            (
                "Is all stress harmful?",
                "No. Short, manageable challenges build capacity. The harm comes from stress that is constant, "
                "unpredictable or out of your control.",
            ),
            (
                "How long does recovery take?",
                "It varies with how long the strain lasted and what changes afterwards. Markers such as sleep "
                "quality often move within weeks; structural changes take months.",
            ),
        ],
    },
    {
        "slug": "anxiety-threat-response",
        "title": "Anxiety & the Threat Response",
        "tagline": "How the brain decides what is dangerous, and why that decision can get stuck.",
        "pillar_label": "",
        "order": 3,
        "is_sensitive": False,
        "faq_heading": "",
        "meta_description": "The neuroscience of anxiety: threat detection, the amygdala, prefrontal regulation "
        "and why anxiety and depression so often appear together.",
        "key_takeaways": (
            "Threat detection runs faster than conscious thought.\n"
            "Anxiety disorders share a pattern of an over-active amygdala and insula.\n"
            "Regulation is a skill of the prefrontal cortex, and skills can be trained."
        ),
        "intro": (
            "Anxiety is the threat system doing its job too often, too loudly, or about the wrong things."
        ),
        "body": (
            "## How fast is the threat system?\n\n"
            "Signals about possible danger reach the amygdala before they reach awareness. That speed is "
            "useful in a real emergency and costly when the alarm trips on ordinary situations.\n\n"
            "## What keeps the alarm in proportion?\n\n"
            "Regions of the prefrontal cortex assess context and can damp the amygdala's response. When that "
            "regulation weakens, every ambiguous signal is treated as a threat.\n\n"
            "> The alarm is not broken. It has learned to ring too early."
        ),
        "references": ["ledoux2012", "etkin2007"],
        "faqs": [
            (
                "Is anxiety the same as fear?",
                "Fear responds to a present, specific threat. Anxiety anticipates a threat that may or may "
                "not come, and it can persist without any clear trigger.",
            ),
            (
                "Why does anxiety so often come with low mood?",
                "The two share circuitry: an over-active threat system and an under-active reward system "
                "frequently appear together, each making the other harder to shift.",
            ),
        ],
    },
]

RELATED_HUBS = [
    ("depression-motivational-drive", "chronic-stress-resilience"),
    ("depression-motivational-drive", "anxiety-threat-response"),
    ("chronic-stress-resilience", "anxiety-threat-response"),
]

# status "scheduled" = published with a publish time in the future.
ARTICLES = [
    {
        "slug": "why-motivation-disappears-in-depression",
        "title": "Why Motivation Disappears in Depression",
        "hub": "depression-motivational-drive",
        "tags": ["dopamine", "motivation", "anhedonia", "depression"],
        "status": "published", "days_ago": 3, "reviewed": True, "audio": True,
        "excerpt": "Depression often takes away the wish to act before it takes away the mood. Here is what the "
        "reward system is doing when drive goes quiet.",
        "key_takeaways": (
            "Dopamine neurons signal predicted reward, not pleasure itself.\n"
            "When predictions flatten, effort stops feeling worthwhile.\n"
            "Willingness to work for reward tracks dopamine function in measurable ways."
        ),
        "body": (
            "Ask someone with depression what is hardest and many will not say sadness. They will say that "
            "nothing seems worth starting.\n\n"
            "## What does dopamine actually signal?\n\n"
            "Classic recordings in primates showed that dopamine neurons fire most when a reward is better "
            "than expected, and dip when it is worse. They carry a *prediction error*: a teaching signal that "
            "updates how valuable the world looks.\n\n"
            "## How does that turn into low drive?\n\n"
            "If the system keeps learning that effort does not pay, its predictions shrink. Later studies "
            "found that people with weaker dopamine signalling in the striatum were less willing to choose "
            "hard tasks for larger rewards.\n\n"
            "> Low drive is often the reward system's forecast, not the person's verdict.\n\n"
            "## What does this mean in practice?\n\n"
            "- Notice where effort feels pointless before it starts.\n"
            "- Treat small completed actions as data the system can learn from.\n"
            "- Expect the feeling of wanting to return after the behaviour, not before."
        ),
        "references": ["schultz1997", "treadway2012", "russo2013"],
        "faqs": [
            ("Is low motivation a symptom of depression or a cause?",
             "It can be both. Reduced reward prediction lowers activity, and lower activity gives the system "
             "fewer rewards to learn from, so the loop tightens."),
            ("Can I raise dopamine with supplements?",
             "No supplement has been shown to restore reward prediction in depression. Ask a clinician before "
             "trying anything that claims to."),
            ("Why does starting feel harder than continuing?",
             "The cost of starting is paid before any reward arrives, and that is exactly the moment a flat "
             "prediction system discounts most."),
        ],
    },
    {
        "slug": "anhedonia-is-not-sadness",
        "title": "Anhedonia Is Not Sadness: Two Circuits, Two Problems",
        "hub": "depression-motivational-drive",
        "tags": ["anhedonia", "depression", "reward"],
        "status": "published", "days_ago": 10, "reviewed": True,
        "excerpt": "",
        "key_takeaways": (
            "Anhedonia is the loss of interest and anticipation, not an extreme form of sadness.\n"
            "It involves the reward circuitry more than the circuits of grief and loss.\n"
            "It predicts how well people function better than low mood does."
        ),
        "body": (
            "Anhedonia means the fading of interest and pleasure. It is one of the two core signs of "
            "depression, yet it is often treated as a side note to sadness.\n\n"
            "## How is anhedonia different from sadness?\n\n"
            "Sadness is an active response to loss. Anhedonia is an absence: things that used to draw you in "
            "no longer do. Research separates *wanting* from *liking*, and anhedonia in depression leans "
            "heavily on the wanting side.\n\n"
            "## Why does stress produce anhedonia?\n\n"
            "Stress hormones and inflammatory signals both reduce dopamine release in the striatum. Over "
            "months, that lowers how much anything seems worth pursuing.\n\n"
            "> Treating the sadness can leave the emptiness untouched.\n\n"
            "## Why does the distinction matter?\n\n"
            "Because the two respond to different approaches, naming which one dominates is the first step "
            "of any plan."
        ),
        "references": ["pizzagalli2014", "treadway2011", "russo2013"],
        "faqs": [
            ("Can you have anhedonia without feeling sad?",
             "Yes. Many people describe feeling flat or empty rather than sad."),
            ("Is anhedonia permanent?",
             "No. It is among the symptoms that can improve once the reward system has reasons to update."),
            ("How is anhedonia measured?",
             "Clinicians use questionnaires about interest and pleasure; researchers also use effort-based "
             "tasks that measure how hard people will work for a reward."),
        ],
    },
    {
        "slug": "serotonin-debate-what-it-means",
        "title": "What the Serotonin Debate Means for People in Treatment",
        "hub": "depression-motivational-drive",
        "tags": ["serotonin", "depression", "medication"],
        "status": "published", "days_ago": 21, "reviewed": True,
        "excerpt": "A large review found no consistent evidence that low serotonin causes depression. What that "
        "does and does not mean for anyone taking medication.",
        "key_takeaways": (
            "The review questioned a cause, not whether treatments help.\n"
            "Depression involves synapses, stress hormones and inflammation as well as neurotransmitters.\n"
            "Never stop medication without your prescriber."
        ),
        "body": (
            "In 2022 an umbrella review pulled together the main lines of evidence for the serotonin theory "
            "and found them weak. Headlines followed; so did confusion.\n\n"
            "## What did the review actually test?\n\n"
            "It asked whether depression is *caused* by low serotonin. It did not ask whether medicines that "
            "act on serotonin help some people; that is a separate question with its own evidence.\n\n"
            "## What explains depression instead?\n\n"
            "Current models point to several interacting systems: loss of synapses under chronic stress, a "
            "stress-hormone axis stuck on high, and inflammatory signalling.\n\n"
            "> A weaker single cause means a stronger case for looking at the whole system.\n\n"
            "## What should you do with this?\n\n"
            "- Keep taking prescribed medication unless your prescriber advises otherwise.\n"
            "- Ask which symptoms are improving and which are not.\n"
            "- Bring motivation and sleep into the conversation, not only mood."
        ),
        "references": ["moncrieff2022", "duman2012", "miller2016"],
        "faqs": [
            ("Does this mean antidepressants do not work?",
             "No. The review was about the cause of depression, not about the effects of treatment."),
            ("Should I stop my medication?",
             "Not on your own. Stopping suddenly can cause withdrawal effects; plan any change with your "
             "prescriber."),
            ("Why did the serotonin story last so long?",
             "It was simple and easy to explain, and early drugs that changed serotonin did help some people."),
        ],
    },
    {
        "slug": "what-causes-depression",
        "title": "What Causes Depression? Stress, Genes and Circuits",
        "hub": "depression-motivational-drive",
        "extra_hubs": ["chronic-stress-resilience"],
        "tags": ["depression", "stress", "genetics", "neuroplasticity"],
        "status": "published", "days_ago": 35, "reviewed": True,
        "excerpt": "No single chemical explains depression. Stress biology, genes, early experience and "
        "circuit changes each play a part, and each can change.",
        "key_takeaways": (
            "Chronic stress keeps cortisol high and erodes connections in the prefrontal cortex.\n"
            "Gene variants change sensitivity to stress rather than causing depression directly.\n"
            "Early care shapes how strongly the stress system reacts in adulthood.\n"
            "Lost synapses can regrow: the patterns are modifiable."
        ),
        "body": (
            "Depression is better described as a set of converging changes than as one disease with one cause.\n\n"
            "## How does chronic stress lead to depression?\n\n"
            "The stress-hormone axis is meant to switch on and off. Under relentless pressure it stays on, "
            "and sustained cortisol trims dendrites in the hippocampus and the prefrontal cortex: the "
            "regions that put emotions in context.\n\n"
            "## Do genes cause depression?\n\n"
            "A well-known 2003 study found that a variant of the serotonin transporter gene raised the risk "
            "of depression mainly in people who had faced major life stress. Genes adjust the threshold; "
            "experience decides whether it is crossed.\n\n"
            "## How does early life leave a mark?\n\n"
            "Animal research shows that the quality of early care changes how stress-related genes are "
            "expressed, setting how reactive the stress system will be for years.\n\n"
            "> The brain built these patterns from experience, and experience can rebuild them.\n\n"
            "## Can the brain reverse these changes?\n\n"
            "Synapses lost under stress can regrow, sometimes quickly. The question is not whether the brain "
            "can change, but which conditions make change most likely."
        ),
        "references": ["caspi2003", "mcewen2017", "meaney2001", "duman2012", "vanderkolk2014"],
        "faqs": [
            ("Is depression inherited?",
             "Risk runs in families, but no single gene decides it. Genes change sensitivity to stress."),
            ("Can one stressful event cause depression?",
             "It can trigger an episode in someone already vulnerable, but long, uncontrollable stress is the "
             "more common path."),
            ("If my depression has a biological cause, can talking help?",
             "Yes. Experience changes biology; that is what neuroplasticity means."),
        ],
    },
    {
        "slug": "how-chronic-stress-reshapes-the-brain",
        "title": "How Chronic Stress Reshapes the Brain",
        "hub": "chronic-stress-resilience",
        "tags": ["stress", "cortisol", "hippocampus"],
        "status": "published", "days_ago": 5, "reviewed": True,
        "excerpt": "Short bursts of stress sharpen us. Years of it rewire the regions that regulate emotion "
        "and memory. What changes, and in which direction.",
        "key_takeaways": (
            "The hippocampus and prefrontal cortex lose connections under long stress.\n"
            "The amygdala tends to gain them.\n"
            "Most of these changes reverse when the load lifts."
        ),
        "body": (
            "The same hormones that help in a crisis do damage when they never leave.\n\n"
            "## What happens in the hippocampus?\n\n"
            "Under prolonged cortisol exposure, neurons in the hippocampus retract their branches. Memory "
            "and the ability to tell past threats from present safety both suffer.\n\n"
            "## What happens in the prefrontal cortex?\n\n"
            "The prefrontal cortex loses synapses too, which weakens planning and emotional control.\n\n"
            "> The regions that calm us are the ones stress wears down first.\n\n"
            "## Is the damage permanent?\n\n"
            "In animal studies most of these changes reverse once the stress ends, especially with sleep and "
            "physical activity."
        ),
        "references": ["mcewen2017", "duman2012", "meaney2001"],
        "faqs": [
            ("Does stress really shrink the brain?",
             "It shrinks connections in some regions, not the brain as a whole, and much of it can recover."),
            ("Which is worse, intense stress or constant stress?",
             "Constant stress with no recovery does more lasting harm."),
            ("How do I know stress is affecting my brain?",
             "Poor sleep, shorter temper and trouble concentrating are common early signs."),
        ],
    },
    {
        "slug": "sleep-the-brains-overnight-reset",
        "title": "Sleep as the Brain's Overnight Reset",
        "hub": "chronic-stress-resilience",
        "tags": ["sleep", "stress", "emotion"],
        "status": "published", "days_ago": 14, "reviewed": True,
        "excerpt": "Sleep does more than rest the body. It recalibrates emotional memories and resets stress "
        "hormones, which is why a bad week of sleep shows in your mood.",
        "key_takeaways": (
            "REM sleep takes the emotional edge off the day's memories.\n"
            "Short sleep makes the amygdala more reactive the next day.\n"
            "Regular timing matters as much as total hours."
        ),
        "body": (
            "## What does sleep do for emotions?\n\n"
            "During REM sleep the brain replays the day's emotional memories with stress chemistry turned "
            "down. The memory is kept; much of the sting is not.\n\n"
            "## What happens after a short night?\n\n"
            "After sleep loss, the amygdala responds more strongly to negative images and the prefrontal "
            "cortex regulates it less.\n\n"
            "> A night of poor sleep borrows calm from tomorrow.\n\n"
            "## What can you change?\n\n"
            "- Keep the same wake time every day.\n"
            "- Protect the last hour before bed from work.\n"
            "- Get daylight early in the morning."
        ),
        "references": ["walker2009", "mcewen2017", "erickson2011"],
        "faqs": [
            ("How much sleep do adults need?",
             "Most adults need seven to nine hours, with regular timing."),
            ("Can I catch up at the weekend?",
             "Partly, but irregular timing brings its own costs."),
            ("Does alcohol help sleep?",
             "It speeds falling asleep but fragments REM sleep later in the night."),
        ],
    },
    {
        "slug": "exercise-and-the-hippocampus",
        "title": "Exercise and the Hippocampus: What the Trials Show",
        "hub": "chronic-stress-resilience",
        "tags": ["exercise", "hippocampus", "neuroplasticity"],
        "status": "published", "days_ago": 28, "reviewed": True,
        "excerpt": "A year of brisk walking grew the hippocampus in older adults. What that trial found and "
        "what it suggests for mood.",
        "key_takeaways": (
            "Aerobic exercise increased hippocampal volume in a randomised trial.\n"
            "The effect came with better memory and higher BDNF.\n"
            "Moderate, regular activity was enough."
        ),
        "body": (
            "## What did the trial do?\n\n"
            "Older adults were randomly assigned to a year of walking or of stretching. The walking group's "
            "hippocampus grew by about two per cent; the stretching group's shrank slightly, as expected "
            "with age.\n\n"
            "## Why might this matter for mood?\n\n"
            "The hippocampus is one of the regions that chronic stress wears down, and one of the few where "
            "new neurons form in adults.\n\n"
            "> Walking is one of the few interventions shown to grow a brain region in a trial.\n\n"
            "## How much is enough?\n\n"
            "The trial used forty minutes of brisk walking three times a week."
        ),
        "references": ["erickson2011", "duman2012", "mcewen2017"],
        "faqs": [
            ("Does any kind of exercise help?",
             "The trial tested aerobic walking; other studies point the same way for most moderate aerobic "
             "activity."),
            ("How soon will I notice a difference?",
             "Mood and sleep often improve within weeks; structural change was measured after a year."),
            ("Is exercise a replacement for treatment?",
             "It is a strong addition, not a replacement, for depression that needs clinical care."),
        ],
    },
    {
        "slug": "inflammation-stress-and-low-mood",
        "title": "Inflammation, Stress and Low Mood",
        "hub": "chronic-stress-resilience",
        "tags": ["inflammation", "depression", "stress"],
        "status": "scheduled", "days_ahead": 7, "reviewed": True,
        "excerpt": "The immune system talks to the brain. When inflammation stays high, it can lower drive and "
        "mood in ways that look like depression.",
        "key_takeaways": (
            "Inflammatory signals reach the brain and change behaviour.\n"
            "They reduce dopamine release and so lower motivation.\n"
            "Chronic stress is one of the things that keeps inflammation high."
        ),
        "body": (
            "## How does inflammation reach the brain?\n\n"
            "Inflammatory messengers cross into the brain and act on its own immune cells, producing the "
            "tiredness and withdrawal we know from being ill.\n\n"
            "## Why does that look like depression?\n\n"
            "Those same signals reduce dopamine release in reward circuits, which lowers motivation.\n\n"
            "> Sickness behaviour is useful for a week and harmful for a year."
        ),
        "references": ["miller2016", "mcewen2017", "moncrieff2022"],
        "faqs": [
            ("Is depression an inflammatory disease?",
             "Not in general, but a subset of people with depression show raised inflammatory markers."),
            ("Can diet lower inflammation?",
             "Diet is one of several factors; sleep, activity and stress matter too."),
            ("Should I get my inflammation tested?",
             "Discuss it with your doctor; a single test says little on its own."),
        ],
    },
    {
        "slug": "how-the-brain-decides-something-is-a-threat",
        "title": "How the Brain Decides Something Is a Threat",
        "hub": "anxiety-threat-response",
        "tags": ["anxiety", "amygdala", "threat"],
        "status": "published", "days_ago": 7, "reviewed": True,
        "excerpt": "Threat detection is fast, automatic and often wrong on purpose. How the brain weighs danger "
        "before we are aware of it.",
        "key_takeaways": (
            "Defensive circuits act before conscious fear is felt.\n"
            "Feeling afraid and reacting defensively are separate processes.\n"
            "Context from the prefrontal cortex adjusts the response."
        ),
        "body": (
            "## Is fear the same as a threat response?\n\n"
            "A leading view separates defensive survival circuits, which react automatically, from the "
            "conscious feeling of fear, which comes later and is built from many signals.\n\n"
            "## Why does the system err on the side of danger?\n\n"
            "Missing a real threat is costlier than reacting to a false one, so the system is tuned to "
            "over-react. Anxiety is that tuning pushed too far.\n\n"
            "> The system is built to be wrong in the safe direction."
        ),
        "references": ["ledoux2012", "etkin2007", "mcewen2017"],
        "faqs": [
            ("Why do I react before I know what I am reacting to?",
             "Defensive circuits process threat cues faster than the pathways that create awareness."),
            ("Can the threat response be retrained?",
             "Yes. Exposure-based learning builds new safety memories that compete with old threat memories."),
            ("Is the amygdala the fear centre?",
             "It is central to detecting threat, but the feeling of fear involves much wider networks."),
        ],
    },
    {
        "slug": "anxiety-and-depression-together",
        "title": "Anxiety and Depression: Why They Travel Together",
        "hub": "anxiety-threat-response",
        "extra_hubs": ["depression-motivational-drive"],
        "tags": ["anxiety", "depression", "reward"],
        "status": "published", "days_ago": 18, "reviewed": True,
        "excerpt": "Most people with one will meet the other. An over-active alarm and an under-active reward "
        "system explain why.",
        "key_takeaways": (
            "Anxiety and depression share stress biology.\n"
            "Anxiety over-predicts threat; depression under-predicts reward.\n"
            "Working on one often helps the other."
        ),
        "body": (
            "## What do the two have in common?\n\n"
            "Both are shaped by chronic stress, and both show weakened prefrontal regulation. Brain imaging "
            "of anxiety disorders shows a common pattern of heightened amygdala and insula activity.\n\n"
            "## Where do they differ?\n\n"
            "Anxiety is a forecast of danger; depression is a forecast of no reward. Together they make the "
            "future look both risky and pointless.\n\n"
            "> Fear of the future and flatness about it feed each other."
        ),
        "references": ["etkin2007", "pizzagalli2014", "russo2013"],
        "faqs": [
            ("Which comes first, anxiety or depression?",
             "Anxiety often comes first, but the order varies from person to person."),
            ("Do they need separate treatment?",
             "Many approaches help both; a good assessment decides where to start."),
            ("Why does worry drain motivation?",
             "Constant threat monitoring uses resources that reward-seeking would otherwise draw on."),
        ],
    },
    {
        "slug": "early-adversity-and-stress-reactivity",
        "title": "Early Adversity and Lifelong Stress Reactivity",
        "hub": "anxiety-threat-response",
        "tags": ["early-life", "epigenetics", "stress"],
        # Reviewed long ago: its review has expired, which the dashboard flags.
        "status": "published", "days_ago": 40, "reviewed": True, "reviewed_days_ago": 430,
        "excerpt": "Early care tunes the stress system for decades. What epigenetic studies show, and why "
        "tuning is not destiny.",
        "key_takeaways": (
            "Early care changes how stress-response genes are expressed.\n"
            "The effect shows up as stronger or weaker stress reactions later in life.\n"
            "Later experience can shift the setting again."
        ),
        "body": (
            "## How can care change genes?\n\n"
            "It does not change the DNA sequence. It changes chemical marks that decide how readily a gene is "
            "read, including genes for stress-hormone receptors.\n\n"
            "## What does that mean for adults?\n\n"
            "Combined with gene variants that affect stress sensitivity, early adversity raises the chance "
            "that later stress will tip into anxiety or depression.\n\n"
            "> A setting made early can still be adjusted later."
        ),
        "references": ["meaney2001", "caspi2003", "mcewen2017"],
        "faqs": [
            ("Does a difficult childhood mean I will be anxious?",
             "No. It raises risk; it does not decide outcomes."),
            ("Are epigenetic marks permanent?",
             "Some are stable, but animal studies show they can change with later experience."),
            ("Can I find out my own epigenetic profile?",
             "Not in a way that is clinically useful today."),
        ],
    },
    {
        "slug": "executive-burnout-threat-system",
        "title": "Executive Burnout: When the Threat System Never Switches Off",
        "hub": "anxiety-threat-response",
        "tags": ["burnout", "stress", "anxiety"],
        "status": "draft", "reviewed": False,
        "excerpt": "A first draft on burnout as a threat system that has lost its off switch.",
        "key_takeaways": "Burnout is a stress-system problem before it is a motivation problem.",
        "body": (
            "## What is burnout in brain terms?\n\n"
            "Draft: link sustained threat monitoring to prefrontal fatigue and sleep loss.\n\n"
            "## Where do we start?\n\n"
            "Draft: recovery before performance."
        ),
        "references": ["mcewen2017", "etkin2007", "ledoux2012"],
        "faqs": [
            ("Is burnout a diagnosis?", "Not a medical one; it describes a work-related stress syndrome."),
            ("Is burnout the same as depression?", "They overlap, but burnout is tied to work."),
            ("How long does recovery take?", "Draft answer to be written."),
        ],
    },
]
