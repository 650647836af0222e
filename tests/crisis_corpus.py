"""Short strategy-call messages written for the crisis-detection tests (tests/test_crisis.py).

URGENT: each shows a warning sign crisis services publish, in the wordings people use: every one must be
flagged. NOT_URGENT: ordinary requests, plain denials, everyday idioms, and a few hard cases a reader
would not call a crisis: at least 85% must be left unflagged. Written for the tests; no real person's words.
"""

URGENT = [
    # From issue 17: missed by the old phrase list.
    "I don't see the point in going on and I have started giving my things away",
    "I can't do this anymore… I just want it all to stop",
    # Wanting to die, talking about suicide
    "Some days I just want to die and I don't know who to tell.",
    "I've been having suicidal thoughts most nights since the divorce.",
    "Honestly I think about killing myself more than I would like to admit",
    "I wish I was dead. Everything feels grey.",
    "I keep hoping I won't wake up in the morning",
    "I want to go to sleep and never wake up.",
    "i dont want to live anymore",
    "I am not sure I want to be alive anymore.",
    "I'm not suicidal right now but I was last month and it scares me",
    "I'm not really suicidal, I just think about death all the time.",
    "My 16 year old son told me he wants to kill himself. Please help us.",
    "I've been thinking about ending it all.",
    "Sometimes I think about taking my own life",
    "I am no longer sure life is worth living",
    # Being a burden
    "My family would be better off without me, I'm just a burden to them",
    "I feel like such a burden on everyone around me",
    "Nobody would even notice if I was gone.",
    # No reason to live, hopeless, trapped
    "There is no reason for me to keep going. I've lost everything.",
    "I have nothing left to live for since my wife passed.",
    "what's the point anymore",
    "Everything feels hopeless and I can't see a future for myself.",
    "I feel completely trapped and there is no way out",
    # Unbearable pain, wanting it to stop
    "The pain is unbearable and I cannot cope anymore.",
    "I cant take it anymore. Please someone call me.",
    "I am so tired of living like this",
    "I just want the pain to stop, I don't care how.",
    "I wish everything would just end.",
    "I can’t go on like this much longer",
    "It's all too much, I can't cope",
    # Disappearing
    "I wish I could just disappear and nobody would have to deal with me",
    "Sometimes I want to stop existing.",
    # Possessions, affairs, goodbye
    "I've given away most of my books and clothes to friends this week.",
    "I've been getting my affairs in order and writing letters to my family.",
    "I wanted to say goodbye to everyone properly before I go.",
    "By the time you read this it may be too late.",
    "Please tell my kids I love them.",
    # A plan or the means
    "I have been saving up my sleeping pills for a while now.",
    "I know how I would do it and I have picked a date.",
    "I looked up how many tablets it would take.",
    "Last night I stood on the bridge for an hour.",
    "I bought a rope yesterday.",
    "I overdosed last year and I am scared it will happen again",
    # Self-harm
    "I've started self-harming again after two years clean.",
    "I have been cutting myself to feel something",
    "The urge to hurt myself is getting stronger every day",
    # Hedged or mixed denials
    "I'm not going to do anything stupid... I just don't see the point of anything anymore",
    "I don't think I'm suicidal but I sometimes wish I could vanish",
    "Not sure if I want to live anymore tbh",
]

NOT_URGENT = [
    # Plain denials (the issue: "I'm not suicidal…" was flagged)
    "I'm not suicidal, I just feel flat and unmotivated most days.",
    "To be clear, I am not in crisis and I have never self-harmed. I want help with focus.",
    "I would never hurt myself, but my anxiety before meetings is exhausting.",
    "No thoughts of suicide or self-harm, just persistent low mood after covid.",
    "I don't want to die, I want to understand why my brain works this way.",
    # Everyday idioms
    "I am drowning in email and can't prioritise anything.",
    "This traffic is killing me, could we do calls after 6pm?",
    "I could just die of embarrassment every time I present to the board.",
    "I'm dying to try the techniques in your article on habits.",
    "My back is killing me from sitting all day, does posture affect mood?",
    "I'm dead tired by 3pm every afternoon regardless of sleep.",
    "I was bored to death in lectures and now wonder if it is ADHD.",
    "My phone died halfway through filling this form earlier, sorry if it sent twice.",
    "This chocolate cake recipe is to die for, but I binge when stressed.",
    "I'd kill for a full night of sleep at this point.",
    "I'm killing time before my new job starts and want to build better routines.",
    "My job feels like a dead end and I want to talk about career motivation.",
    "I'm scared to death of public speaking.",
    "I nearly died laughing at your article about procrastination, it is me exactly.",
    "My inbox is a nightmare and I feel like I'm going under at work.",
    "The noise in the open-plan office is unbearable for me.",
    "I hate my commute, it takes the life out of me.",
    # Ordinary requests: therapy, sleep, ADHD, work stress
    "I'd like to talk about whether neurofeedback could help my concentration.",
    "I was diagnosed with ADHD at 34 and want strategies for work.",
    "My sleep has been terrible for months, I wake at 4am every night.",
    "Looking for help with burnout after a very long project at work.",
    "I procrastinate on everything important and feel guilty about it.",
    "My teenage daughter struggles with exam anxiety, can we book a call for her?",
    "I'm a teacher and I want to understand how stress affects memory.",
    "I lose motivation at work even though my mood seems fine.",
    "I've been feeling low since moving cities and would like some guidance.",
    "Can you explain how your programme differs from CBT?",
    "My manager says I am always late and I want to fix my time blindness.",
    "I get overwhelmed by big tasks and freeze. I need a system.",
    "I'm stressed about a deadline next week and can't stop worrying.",
    "I've tried three therapists and none of them understood ADHD in women.",
    "After my promotion I can't switch off in the evenings.",
    "Can I bring my partner to the call? We both want to understand my sleep apnoea.",
    "I want to stop scrolling my phone at night and get to bed earlier.",
    "I want this week to end already, work is frantic, but mostly I want help with focus.",
    "I cannot stand it when colleagues interrupt me, and I want to work on my reactions.",
    "Is there any point in trying medication before doing the coaching programme?",
    "I need my brain to stop racing at night so I can sleep.",
    # HARD_CASES: a reader would not call these a crisis, but they use a sign's words; flagging one is the cheap error.
    "I feel like a burden to my team when I keep asking for help with deadlines.",
    "I lost my dad to suicide ten years ago and I'm researching family history of depression.",
    "I feel trapped in a job I have outgrown and need help deciding what next.",
    "We are moving house and I am giving away my old books, which got me thinking about decluttering and ADHD.",
    "I wrote my will last month and it made me think about what I actually want from life.",
]

HARD_CASES = NOT_URGENT[NOT_URGENT.index(
    "I feel like a burden to my team when I keep asking for help with deadlines."):]
