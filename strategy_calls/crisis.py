"""Warning signs of a suicidal crisis in a strategy-call message.

The signs are those crisis services publish (988 Lifeline, Samaritans, NHS): talking about suicide or
wanting to die, feeling hopeless, trapped or a burden, no reason to live, unbearable pain, wanting it all
to stop, giving things away, putting affairs in order, saying goodbye, a plan or the means. Each is
written here as the wordings people use, after the message is normalised (case, curly apostrophes,
"cant"/"can't"/"cannot", "im", ellipses, hyphens).

Where unsure, a wording flags: a flag costs a coordinator a minute, a miss may cost a life. A plain denial
("I'm not suicidal", "I would never hurt myself") is not a sign; a hedged one ("not really", "not right
now", "I don't think I'm suicidal", "no longer") still is. Everyday idioms ("this traffic is killing me",
"dying to try", "die of embarrassment") are not matched.

Two layers. The named signs (SIGNS) come first and name what they found. On wordings they had not seen they
missed about half of crisis messages, so when none matches, a second, broad layer (RISK_WORDS) flags risk
vocabulary near a person ("tired of existing", "taking up space", "no way out", "pills" when thought about),
minus a short list of idioms (IDIOMS) and plain denials, named "possible risk wording: “…”".
Even so, on batches of messages they had not seen (tests/crisis_heldout.py) the rules caught about half of
the crisis messages (53%). So a third method follows when the rules find nothing: a model of meaning
(crisis_model.py: sentence embeddings and a logistic regression fitted on the same messages), which catches
wordings nobody wrote a rule for and names its score and the sentence. `warning_signs()` is the combination:
a request is urgent when either says so, and when the model cannot run, which is named and logged.
docs/strategy-calls.md gives the rates, first measurements on unseen batches included. Urgent orders the
queue; it never replaces reading every request.

The rules stay hand-written and first: each names a sign the clinical lead can read and answer for. The
model adds recall, not explanations; no maintained package does either for English free text.
"""

import logging
import re
import unicodedata

from django.conf import settings

from . import crisis_model

log = logging.getLogger(__name__)
MODEL_FAILED = "crisis model unavailable ({error}): marked urgent to be safe"

# Typed with a keyboard, a phone or a word processor: the same apostrophe.
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "′": "'"})

# Contractions and texting spellings, written out so each pattern has one form to match.
SPELLINGS = {
    "cant": "cannot", "can't": "cannot", "cannt": "cannot", "can not": "cannot", "wont": "will not",
    "won't": "will not", "dont": "do not", "doesnt": "does not", "didnt": "did not", "isnt": "is not",
    "arent": "are not", "wasnt": "was not", "werent": "were not", "havent": "have not", "hasnt": "has not",
    "hadnt": "had not", "wouldnt": "would not", "couldnt": "could not", "shouldnt": "should not",
    "aint": "am not", "im": "i am", "i'm": "i am", "ive": "i have", "i've": "i have", "i'd": "i would",
    "i'll": "i will", "it's": "it is", "thats": "that is", "that's": "that is", "theres": "there is",
    "there's": "there is", "whats": "what is", "what's": "what is", "everyone's": "everyone is",
    "they'd": "they would", "they'll": "they will", "they're": "they are", "you're": "you are", "we're": "we are",
    "wanna": "want to", "gonna": "going to", "gotta": "got to", "u": "you", "ur": "your", "cuz": "because",
    "cos": "because", "coz": "because", "any more": "anymore", "any longer": "anymore",
    "no one": "nobody",
    # Common misspellings.
    "ben": "been", "alot": "a lot", "latley": "lately", "dieing": "dying", "myslef": "myself", "idk": "i do not know",
    "noone": "nobody",
}
_SPELLING = re.compile(r"(?<![\w'])(?:{})(?![\w'])".format(
    "|".join(re.escape(word) for word in sorted(SPELLINGS, key=len, reverse=True))
))

# Words that end the reach of a "not" before a sign ("I could not sleep and I want to die").
CLAUSE_BREAKS = {"|", "and", "but", "though", "although", "however", "because", "so", "then", "while", "yet"}
NEGATIONS = {"not", "never", "no", "nor", "without"}
# A denial with one of these is not a plain denial: "not really suicidal", "not suicidal right now".
HEDGES = {
    "really", "exactly", "actively", "sure", "think", "anymore", "currently", "today", "tonight", "always",
    "completely", "entirely", "quite", "necessarily", "usually", "mostly", "totally", "fully", "certain",
    "yet", "longer", "now", "moment", "lately", "days", "seriously", "planning", "saying", "say",
    "sometimes", "often", "until", "unless", "if",
}
WINDOW = 5  # words before a sign that a denial may stand in

_ME = r"(?:myself|my self|himself|herself|themselves|themself|yourself)"
_WANT = (r"(?:want|wants|wanted|wanting|wish|wishes|wished|wishing|need|needed|would like|long|longing|"
         r"ready)")
# The sign ends its clause, or goes on only with words that keep it a sign ("I can't cope anymore").
_END = (r"(?= *(?:\||$|anymore|no more|for good|forever|already|now|please|once and for all|permanently|"
        r"tonight|today|soon|tomorrow|this week|like this|any day))")
_STOP_WHAT = (r"(?:it|it all|all of it|everything|all this|all of this|this|this all|the pain|this pain|my pain|"
              r"the hurt|the hurting|the suffering|the thoughts|these thoughts|the voices|my life|life|things|"
              r"the world|the noise|the noise in my head|the voices in my head|my head|my brain|my mind)")
_THINGS = (r"(?:things|stuff|belongings|possessions|clothes|books|jewellery|jewelry|records|guitar|"
           r"collection|savings|money|pets?|cats?|dogs?|car|furniture|plants)")
_PEOPLE = (r"(?:everyone|everybody|my family|family|my friends|friends|people|my kids|my children|my parents|"
           r"my mum|my mom|my dad|my partner|my wife|my husband|you all|all of you|the world|my loved ones|"
           r"the people i love|each of them)")
_GIVE = r"(?:give|gives|giving|given|gave)"
_PILLS = (r"(?:pills|tablets|meds|medication|medications|painkillers|sleeping pills|paracetamol|tylenol|"
          r"insulin|antidepressants|prescription|prescriptions|script|scripts)")

# name -> the wordings of that sign, matched on the normalised text (single spaces, "|" between clauses).
SIGNS = {
    "talking about suicide": [
        r"\bsuicid(?:e|es|al|ality)\b",
        rf"\b(?:kill|kills|killing|killed|off|offing) {_ME}\b(?! laughing| with laughter)",
        r"\bkms\b", r"\bunaliv(?:e|ing|ed)\b", r"\bsewer ?slide\b",
        r"\b(?:end|ends|ending|ended|take|takes|taking|took) (?:my|his|her|their) (?:own )?life\b",
        r"\bend(?:ing)? it all\b(?! with)",
        r"\b(?:end|ending) it\b" + _END,
        r"\b(?:if i|i could|i should|i might|i will|i would|i am going to) (?:just )?(?:end|ended) it\b(?! with)",
        r"\bend(?:ing)? things\b(?! with| between| on| at| there)",
    ],
    "wanting to die": [
        rf"\b{_WANT} (?:to |i could |i would |i was |i were |that i |i )?(?:just |simply )?(?:die|be dead|dead|"
        r"not wake up|never wake up|not be alive|not be here|not be around|be gone|sleep forever|fall asleep forever|"
        r"go to sleep forever|stop living|stop breathing)\b"
        r"(?! (?:of|from) (?:embarrassment|shame|boredom|laughter|laughing|cringe|cuteness))(?! laughing)"
        r"(?! (?:my|her|his|their|the) (?:hair|beard|clothes|roots|eyebrows))",
        r"\bwish i (?:was|were|had|would|could)? ?(?:dead|never been born|not been born|never born|die|"
        r"not wake up|not alive|gone)\b",
        r"\b(?:hope|hoping|pray|praying) (?:that )?i (?:do not|never|would not|will not) wake up\b",
        r"\b(?:go to sleep|fall asleep|sleep) and (?:never|not) wake up\b",
        r"\bbetter off (?:dead|if i (?:was|were) (?:gone|dead|not here|not around)|if i died)\b",
        r"\b(?:do not|does not|no longer|not|hardly) (?:want|wish) to (?:live|be alive|be here|exist|go on|"
        r"keep living|wake up|carry on|keep going)\b",
        r"\b(?:(?:if|whether) i|not sure i|unsure i|not certain i) (?:still |even |really )?want to (?:live|be alive|"
        r"be here|go on|keep going|carry on)\b",
        r"\b(?:thinking|think|thought|thoughts|dreaming|dream|fantasi[sz]e|fantasi[sz]ing) (?:a lot |so much |"
        r"constantly |all the time )?(?:about|of) (?:death|dying|being dead|not being here|not being around|"
        r"not being alive|not existing|not waking up|ending it|ending my life|killing myself|my funeral)\b",
        r"\b(?:struggling|struggle|fighting|fight|trying|try) (?:hard )?to (?:stay alive|keep myself alive|keep living|"
        r"not kill myself|not hurt myself|not end it)\b",
        r"\bhow (?:much )?longer (?:i can|i could|can i|i will be able to) (?:hold on|go on|keep going|carry on|"
        r"do this|take it|take this|cope|keep living|last)" + _END,
        r"\b(?:do not|would not|does not) (?:really |even )?care (?:if|whether) i (?:die|died|live|lived|wake up|"
        r"woke up|was gone|were gone|get hit|got hit|make it)\b",
        r"\b(?:done|finished|tired of|stop|stopped|give up|given up|gave up) trying (?:to live|to stay alive|"
        r"to survive|to keep going|to go on|to keep living)\b", r"\bdone trying\b" + _END,
        r"\b(?:do not|no longer|does not) want (?:this|my|this kind of) life\b" + _END,
        r"\b(?:wish|hope|hoping|pray) i (?:would not|did not|never|could not|will not) (?:start breathing|breathe|"
        r"start again|wake|wake up)\b",
        r"\b(?:i am|i have|like i am|like i have|as if i am|as if i have) already (?:gone|dead|left this world)\b",
        r"\bnever (?:have to )?(?:wake up|deal with anything|feel anything|face anything|face another day) again\b",
        r"\b(?:better|easier|simpler|kinder) (?:for everyone )?(?:to|if i) (?:just |simply )?(?:not exist|"
        r"did not exist|not be here|was not here|were not here|not be alive|die|died|disappear|disappeared|"
        r"was gone|were gone)\b",
        r"\bwish i could (?:go to sleep and |fall asleep and )?stay asleep\b(?! (?:through|all|past|until|for|longer|"
        r"at night|more))", r"\bwish i could (?:just )?not be\b" + _END,
        r"\b(?:the |my )?(?:only|one) (?:thing|reason|person|one) (?:stopping|keeping|holding) me (?:from|back|alive|"
        r"here|going|is)\b", r"\b(?:only|sole) reason i am (?:still )?(?:here|alive)\b",
        r"\b(?:not sure|do not know if|do not know whether|doubt|do not think) i (?:will|would|am going to) (?:still )?"
        r"be (?:around|here|alive)\b",
        r"\b(?:images|thoughts|pictures|visions|fantasies|dreams) (?:of|about) (?:hanging|dying|overdosing|cutting|"
        r"shooting myself|drowning|crashing|jumping)\b(?! (?:into|in|at|ship|for|up))",
        r"\bfound me (?:after|when|before) i\b", r"\b(?:if|whether|how much) it would hurt\b" + _END,
        r"\b(?:going to|will|gonna|i am going to) do it (?:this time|tonight|today|soon|now)\b",
        r"\b(?:i have|i have got|i have made|i made|i have got a) a plan\b(?:" + _END + r"| and\b)",
        r"\bready to die\b", r"\bno (?:will|wish|desire) to live\b",
        r"\b(?:lost|losing|lose|no|have no|without) (?:the |my |all |any )?(?:will|reason|desire|wish) to "
        r"(?:live|go on|"
        r"carry on|keep going|be alive)\b",
        r"\b(?:disappointed|upset|angry|sad|annoyed|gutted|sorry) (?:that |to be |to find )?(?:i am |i was )?still "
        r"(?:here|alive|breathing)\b", r"\bwake up (?:disappointed|upset|angry)\b",
        r"\bwaiting (?:to die|for death|for it to end|for the end|for my time)\b", r"\bfeel(?:s|ing)? like dying\b",
        r"\brather (?:be dead|die|not be alive|not exist|not be here|not wake up|be gone)\b(?! than)",
        r"\bif i (?:died|were to die|was dead|were dead|did not wake up|never woke up)\b",
        r"\b(?:hope|hoping|wish|wishing|pray|praying) (?:that )?i (?:\w+ ){0,3}?(?:and )?(?:die|died|crash|get hit|"
        r"do not make it|do not come back)\b",
        r"\bhow long (?:it takes|does it take|would it take|it would take|to) to (?:die|bleed out|drown|suffocate)\b",
        r"\bbleed(?:ing)? out\b", r"\b(?:i|me) (?:would |will |to )?never come back\b" + _END,
        r"\b(?:hope|hoping|wish|pray) (?:that )?(?:i (?:die|get hit|do not make it|do not survive)|(?:something|"
        r"a car|a bus|a truck|someone|the plane|it) (?:kills|hits|will kill|would kill) me)\b",
        r"\b(?:death|dying|being dead|not waking up|not being here|suicide|ending it|killing myself|not existing) "
        r"(?:would be|will be|would feel like|feels like|seems like|sounds like|seems|feels|sounds|looks like|looks|"
        r"is) "
        r"(?:a |the |my )?(?:relief|peaceful|welcome|release|blessing|better|easier|answer|only|best|easiest|last|"
        r"escape|freedom|appealing|tempting|attractive)\b",
        r"\bmy (?:own )?(?:funeral|obituary)\b",
        r"\b(?:cannot|do not|could not|can no longer) (?:see|imagine|picture) myself (?:being here|being alive|"
        r"still here|alive|around|living|making it|getting old|growing old|reaching|surviving|in (?:a|five|ten) "
        r"years?)\b",
        r"\b(?:do not|no longer|does not) care (?:what happens to me|about anything|about living|about myself|"
        r"if i live|whether i live|about my life|about being alive)\b",
        r"\b(?:join|be with) (?:him|her|them) (?:in heaven|in death|on the other side)\b",
        r"\bwant to (?:join|be with) my late\b",
    ],
    "wanting to disappear": [
        rf"\b{_WANT} (?:to |i could |i would |that i could )?(?:just |simply )?(?:disappear|vanish|cease to exist|"
        r"stop existing|not exist|evaporate|fade away|run away and never come back|go away forever)\b"
        r"(?! (?:for|into|to|on|under|behind|in) (?:a |the |an |my )?(?:while|weekend|week|day|few|holiday|"
        r"vacation|book|beach|cabin|film|movie|game|garden|duvet|covers|bed|mountains|woods|countryside))",
        r"\bwish i did not exist\b", r"\b(?:do not|no longer) want to exist\b",
    ],
    "being a burden": [
        r"\b(?:i am|i feel like|i feel|feel like|feeling like|i have become|i have been|i am just|i am such|"
        r"i am nothing but|i am only|i am becoming) (?:a |such a |nothing but a |just a |only a |a huge |a massive |"
        r"a big |an )?(?:burden|drain)\b(?! of| on (?:the|my) (?:budget|system|resources))",
        r"\bburden (?:to|on|for) (?:everyone|everybody|my family|my friends|my partner|my wife|my husband|"
        r"my kids|my children|my parents|others|people|them|you|the people)\b",
        r"\b(?:everyone|everybody|my family|they|people|the world|my kids|my children|my friends|my wife|"
        r"my husband|my partner|my parents|you all|everyone else) (?:would be|will be|is|are|would all be|be|"
        r"would) (?:so much |much |a lot |all |far )?(?:better off|happier|better|be better off|be happier) "
        r"(?:without me|if i (?:was|were|am) (?:gone|dead|not here|not around)|if i died|when i am gone|"
        r"with me gone)\b",
        r"\boff the face of the earth\b", r"\b(?:nobody|no one) (?:needs|wants|loves|cares about) me\b",
        r"\bbetter off with (?:the |my )?(?:life )?insurance\b",
        r"\binsurance (?:money|payout|pay out) (?:if|when|once|"
        r"after) i\b",
        r"\b(?:better off|happier|better|easier|a better place|simpler|lighter|improve) (?:for everyone |for them |"
        r"for all |for my family )?(?:without me\b(?! \w+ing)|if i (?:just |simply )?(?:was|were|am|had) "
        r"(?:not |never )?"
        r"(?:here|around|alive|gone|dead|born|been born|in it|in the world|in their lives|in the picture)\b|"
        r"if i (?:just )?died\b|with me gone\b)",
        r"\bdeserves? (?:a |someone |so much |much )?better (?:\w+ )?than me\b",
        r"\bbetter off with (?:a different|another|someone else|a new|a better|a real) ?(?:mum|mom|dad|mother|"
        r"father|parent|wife|husband|partner|friend|person|son|daughter)?\b",
        r"\b(?:anyone|anybody|people|they|would|nobody|no body) (?:would |will )?(?:even |really )?(?:care|notice|"
        r"miss me) if i (?:die|died|was gone|were gone|was dead|disappeared|was not here|were not here|killed)\b",
        r"\bnobody (?:would|will|is going to|going to|would even|will even) (?:miss me|notice if i|care if i|"
        r"notice i (?:was|am) gone|notice if i (?:was|am) gone)\b",
        r"\bnobody would (?:even )?(?:care|notice|miss me) if i\b",
    ],
    "no reason to live": [
        r"\b(?:no|not (?:a|any)|not have (?:a|any)|not see (?:a|any)|not find (?:a|any)|cannot (?:see|find|"
        r"think of) (?:a|any)|lost (?:my|the|any|all)|without (?:a|any)|what) (?:single |real )?reasons? "
        r"(?:for me |left )?(?:to|for) "
        r"(?:live|living|go on|going on|keep going|carry on|carrying on|stay|staying|be here|being here|get up|"
        r"getting up|be alive|being alive|exist|existing)\b",
        r"\bnothing (?:left )?to live for\b",
        r"\breasons? (?:to|for) (?:get|getting) out of bed\b",
        r"\b(?:should|might as well|may as well) just go\b" + _END,
        r"\b(?:do not|cannot) see a future (?:where|in which|that) i\b",
        r"\bno (?:point|purpose|meaning|sense) (?:in |to |of )?(?:living|life|going on|carrying on|being alive|"
        r"being here|existing|waking up|getting up|keep going|keeping going|any of it|it all|me|my life|"
        r"trying anymore|anything anymore)\b",
        r"\bno (?:point|purpose|meaning) (?:in |to )?anything\b" + _END,
        r"\b(?:do not|cannot|fail to|could not) see (?:the|any|a) point (?:in |of |to )?(?:living|life|going on|"
        r"carrying on|being alive|being here|existing|it all|any of it|waking up|getting up|keep going|"
        r"keeping going|anything anymore|me|my life)\b",
        r"\b(?:do not|cannot|fail to|could not) see (?:the|any|a) point\b" + _END,
        r"\bpoint (?:of|in) (?:me |my )?(?:being alive|living|going on|existing|staying alive|being here)\b",
        r"\bwhat is the point (?:of (?:living|life|going on|carrying on|being alive|it all|me|existing|"
        r"anything|my life)|in (?:living|going on|anything))\b",
        r"\bwhat is (?:even )?the point\b" + _END,
        r"\bpointless (?:to (?:live|go on|carry on|keep going)|living|existence)\b",
        r"\b(?:life|living|my life|existence|my existence|everything|it all) (?:is|feels|seems|has become) "
        r"(?:so |completely |totally |just |utterly )?(?:pointless|meaningless|not worth living|not worth it)\b",
        r"\b(?:life|my life|living) (?:is not|is no longer|does not feel|does not seem) worth (?:living|it)\b",
        r"\bnot worth living\b",
        r"\b(?:life|my life|living|everything|it all) (?:has|holds|have) (?:no|lost (?:all |its )?) ?(?:meaning|"
        r"point|purpose|value)\b",
        r"\bnothing (?:really )?matters\b(?:" + _END + r"| to me\b| at all\b)",
        r"\b(?:not sure|no longer sure|unsure|wonder|wondering|do not know|not certain) (?:if |whether )?"
        r"(?:life|my life|living) is (?:still |even |really )?worth (?:living|it)\b",
        r"\b(?:no|cannot see a|cannot see any|do not see a|do not see any|without a|lost my|there is no) "
        r"future\b(?:" + _END + r"| for me\b| for myself\b| ahead\b)",
    ],
    "feeling hopeless": [
        r"\b(?:feel|feels|feeling|felt|i am|everything is|everything feels|it is all|it all feels|life is|"
        r"my life is|the future is|the future looks|things are|things feel|everything seems|it seems|am so|"
        r"am just) (?:so |completely |totally |utterly |really |very |just |beyond |all )?hopeless\b"
        r"(?! (?:at|with|in) )",
        r"\bhopelessness\b",
        r"\b(?:do not|cannot|never|can never|could not) (?:see|think|imagine) (?:it|things|life|anything|my life) "
        r"(?:ever )?(?:getting|going to get|will get|gets|get|being) better\b(?:" + _END + r"| ever\b)",
        r"\b(?:it|things|life|my life|this) (?:will|is going to|are going to|is never going to|are never going to) "
        r"(?:never )?get better\b" + _END, r"\bno hope (?:left|for me|anymore)\b",
        r"\b(?:lost|given up|gave up) (?:all )?hope\b(?! (?:in|of|that|for) (?:the|my|our|this|getting|finding))",
        r"\b(?:given up|gave up|giving up|give up) on (?:life|everything|myself|living|me)\b",
        r"\b(?:i am|i am just|i am so) finished\b" + _END,
        r"\b(?:do not|does not) have anything left\b(?:" + _END + r"| (?:to give|to lose|in me|to fight for))",
        r"\b(?:do not|cannot|never|no longer) believe (?:it|things|life|anything) (?:will|can|could|is going to|"
        r"are going to)(?: ever)?(?: (?:get better|be better|change|improve))?" + _END,
        r"\b(?:have|got|there is) nothing left\b(?:" + _END + r"| (?:to give|to lose|in me|to fight for))",
        r"\b(?:i am|i am so|i am just|so) done\b" + _END,
        r"\bdone with (?:life|living|everything|it all|this life|being alive|existing|this world)\b",
    ],
    "feeling trapped": [
        r"\b(?:feel|feels|feeling|felt|i am|so) (?:so |completely |totally |utterly |really )?trapped\b"
        r"(?! (?:in|at|by|on|with|under) (?:my |a |this |the |an )?(?:\w+ )?(?:job|role|contract|lease|meeting|"
        r"meetings|traffic|elevator|lift|career|office|work|house|flat|apartment|room|snow|airport|queue|call|"
        r"mortgage|position|company|town|city|routine))",
        r"\b(?:no|(?:cannot|do not|could not|not) (?:see|find) (?:a|any)) way (?:out|forward|through|back)\b"
        r"(?! of (?:the|this|my) (?:contract|lease|meeting|deal|car park|building|job|situation at work))",
        r"\bno way (?:i can|i could|to|i will) (?:keep going|go on|carry on|keep living|survive|cope|continue)\b",
        r"\b(?:do not|cannot) (?:know|see) how (?:i can|to|i will|i could|i am going to) (?:keep going|go on|carry on|"
        r"keep living|survive|continue|live like this)\b",
        r"\bonly (?:one )?way out\b", r"\bwalls (?:are )?closing in\b",
    ],
    "unbearable pain": [
        r"\bcannot (?:do|take|handle|cope with|bear|stand|face|manage|live with|keep doing|deal with|survive|"
        r"endure) (?:this|it|life|any of this|this life|everything|the pain|living|this pain|myself|it all|"
        r"this all|another day|one more day|feeling like this|living like this|the thoughts)" + _END,
        r"\bcannot (?:cope|go on|carry on|keep going|continue|take it|keep living|hold on|live)" + _END,
        r"\bcannot (?:go on|carry on|keep going|keep living|live|continue|hold on) (?:like this|this way|"
        r"much longer|for much longer|living|with this pain)\b",
        r"\b(?:life|everything|it|it all|this|the pain|my pain|living|existence|each day|every day|every single "
        r"day|the loneliness|the sadness|the emptiness|the thoughts|my mind|my head|being alive|being me|"
        r"my life|the feeling|the feelings|this feeling|waking up) (?:is|are|feels|feel|has become|became|"
        r"is becoming|is getting|gets) (?:so |just |completely |truly |totally |utterly |absolutely |all )?"
        r"(?:unbearable|too much to bear|more than i can bear|too painful)\b",
        r"\bunbearable (?:pain|sadness|loneliness|emptiness|grief|despair|anguish|suffering|feelings?|thoughts|"
        r"to live|to exist)\b",
        r"\b(?:everything|it|it all|life|this|all of this|all this) (?:is|feels|has become|has gotten|just is|"
        r"is all|is just) (?:all |just |so |far |way )?too much\b" + _END,
        r"\bin (?:so much|constant|unbearable|agonizing|agonising|endless|such) (?:emotional |mental )?pain\b",
        r"\b(?:too|so) (?:tired|exhausted|worn out|broken) to (?:go on|carry on|keep going|keep living|live)\b",
        r"\bi cannot anymore\b",
        r"\b(?:do not|cannot) see why i should (?:keep trying|keep going|go on|carry on|bother|stay|live|be here)\b",
        r"\bgiv(?:e|ing) up completely\b" + _END,
        r"\b(?:close to|about to|ready to|going to) (?:give|giving) up (?:completely|on everything|on life|for good)\b",
        r"\bnothing (?:will|is going to|is ever going to) (?:ever )?(?:change|get better|improve)\b" + _END,
        r"\bcannot face (?:years|months|another year|more) (?:more )?of (?:this|it|life)\b",
        r"\b(?:cannot|do not see how i can|do not know how i can|could not|how can i|how do i) face (?:tomorrow|"
        r"another day|the day|life|living|going on|anything anymore|the future|waking up)\b",
        r"\b(?:tired|sick|weary) of fighting (?:this|it|anymore|every day|myself)\b",
        r"\b(?:cannot|could not|do not think i can|will not|not going to|can not) (?:survive|last|make it through) "
        r"(?:another|one more|much longer|the (?:week|night|weekend))\b",
        r"\b(?:tired|sick|weary|had enough) of (?:living|life|being alive|existing|being me|everything|it all|"
        r"waking up)\b(?! (?:at|in) (?:the|this|my) (?:office|job|company|city))",
        r"\b(?:at|reached|hit) (?:the end of my rope|my breaking point|rock bottom|the end of my tether|"
        r"the end of the road)\b",
        r"\bdrowning\b(?! in (?!(?:it all|everything|sadness|grief|pain|despair|darkness|this|my (?:head|thoughts|"
        r"feelings|sadness|grief|pain))\b))",  # "drowning in housework" is an idiom, "drowning in grief" is not
        r"\b(?:cannot|could not) (?:take|stand|bear) (?:the pain|this pain|it|this)(?: much)? longer\b",
    ],
    "wanting it all to stop": [
        rf"\b(?:{_WANT}|make|let|pray|praying|hope|hoping) (?:for )?{_STOP_WHAT} (?:to |would |will |could )?"
        r"(?:just |all |simply |finally |completely )?(?:stop|end|be over|go away|be done)\b(?! \w+ing\b)",
        r"\b(?:end|stop|ending|stopping) (?:my|the|this) (?:suffering|misery|torment|agony)\b",
        rf"\b{_WANT} (?:to |i could |i would |i could just )?(?:just )?(?:stop|end) (?:it all|everything|all of it|"
        r"all this|it|my life|"
        r"the pain|existing|being alive|living|feeling)\b" + _END,
        r"\bwant(?:ed|s)? (?:this|it|it all|everything|life) (?:to be )?over\b(?! with)" + _END,
        r"\b(?:just )?want(?:ed)? out\b" + _END,
        r"\b(?:make|let) (?:it|it all|everything) stop\b",
        r"\bfor (?:it|this|everything|it all) to (?:just )?(?:stop|end|be over)\b" + _END,
    ],
    "giving possessions away": [
        rf"\b{_GIVE} away (?:all |some |most )?(?:of )?my (?:\w+ ){{0,2}}?{_THINGS}\b",
        rf"\b{_GIVE} (?:all |some |most )?(?:of )?my (?:\w+ ){{0,2}}?{_THINGS} (?:away|to (?:{_PEOPLE}|my \w+))\b",
        rf"\b{_GIVE} (?:everything|it all|all of it|all my stuff) away\b",
        rf"\b{_GIVE} (?:all |most )?(?:of )?my (?:stuff|things|belongings|possessions) to\b",
        r"\bwho (?:gets|should get|will get|would get|can have|should have) what\b",
        rf"\b(?:who (?:should|will|would|gets|can|could) (?:have|get|take)|deciding who gets|sorting out who gets) "
        rf"(?:all )?my (?:\w+ )?{_THINGS}\b",
        r"\b(?:rehoming|rehome|rehomed|found a new home for|finding a new home for|find a home for) my "
        r"(?:cats?|dogs?|pets?)\b",
        rf"\b(?:selling|sold|sell) (?:off )?(?:everything i own|all (?:of )?my (?:\w+ )?{_THINGS})\b",
    ],
    "putting affairs in order": [
        r"\baffairs in order\b",
        r"\b(?:sorted|sorting|checked|checking|updated|updating|arranged|arranging) (?:out )?my (?:life insurance|will|"
        r"funeral|pension for)\b",
        r"\b(?:cancelled|canceled|cancelling|canceling) (?:all )?(?:of )?my (?:subscriptions|accounts|direct debits)\b",
        r"\b(?:told|tell|telling|showed|show|showing|gave|left|written down|wrote down) (?:my \w+ |\w+ )?(?:where|how "
        r"to find) (?:my )?(?:will|passwords|bank details|life insurance|documents|papers)\b",
        r"\b(?:sorting|sorted|getting|got|tidying) (?:out )?(?:all )?my affairs\b",
        r"\b(?:wrote|written|writing|write|made|making|updated|updating|finished|finishing) (?:a|my) "
        r"(?:will|last will)\b(?! to)",
        r"\b(?:passwords|bank details|instructions|letters) for (?:my )?(?:family|wife|husband|partner|kids|"
        r"parents|after i am gone|when i am gone)\b",
    ],
    "saying goodbye": [
        rf"\b(?:say|says|saying|said|to say|wrote|writing|written|sent|sending) (?:my )?(?:goodbyes?|good byes?|bye) "
        rf"(?:to )?{_PEOPLE}\b",
        r"\b(?:saying|said|say) my goodbyes\b",
        r"\b(?:like|as if|as though) it (?:was|were|is) the last time\b",
        r"\bthank(?:s| you) for everything(?: and)? (?:goodbye|bye)\b",
        r"\b(?:message|text|note|letter|email|post) (?:saying|that said|to say) (?:\w+ ){0,6}?goodbye\b",
        r"\blast time (?:i will|i would|i am going to) (?:see|speak to|talk to|hug|hear)\b",
        r"\bthis is (?:my )?goodbye\b",
        r"\b(?:goodbye|suicide) (?:letters?|notes?|messages?|texts?|emails?|videos?|posts?)\b"
        r"(?! (?:for|to) (?:a|my|our|the) (?:colleague|coworker|co worker|boss|manager|team|teacher|class|leaving))",
        rf"\bfarewell (?:letters?|notes?|messages?) (?:to|for) {_PEOPLE}\b",
        rf"\b(?:wrote|written|writing|leave|leaving|left) (?:a |some |the )?(?:letters?|notes?) (?:to|for) "
        rf"(?:each of )?{_PEOPLE}\b",
        r"\b(?:will not|would not|might not|may not|am not going to) be (?:around|here) (?:much longer|"
        r"for much longer|for long|anymore|next week|tomorrow|by then|to see)\b",
        r"\b(?:i will|i am going to|i would|i will not|i would not) be (?:around|here) (?:much longer|for much longer|"
        r"for long)\b",
        r"\b(?:if|when|once|after) i (?:was|were|am) (?:gone|dead)\b" + _END,
        r"\b(?:move on|forget me|get over it|be fine|cope) (?:quickly |easily |soon |fine )?(?:if|when|after|once) i "
        r"(?:was|were|am|had) (?:gone|dead|not here|died)\b",
        r"\bbefore (?:i )?(?:do|doing|did) anything\b" + _END,
        r"\bby the time (?:you|anyone|someone|they) (?:read|reads|see|sees|get|gets) this\b",
        r"\b(?:look after|take care of|care for) my (?:kids|children|cat|dog|pets?|family|mum|mom|dad) "
        r"(?:for me )?(?:when|after|once) i am gone\b",
        r"\btell (?:my (?:family|kids|children|wife|husband|partner|mum|mom|dad|parents)|everyone|them) "
        r"(?:that )?i (?:love|loved) (?:them|you|him|her)\b" + _END,
        r"\b(?:when|after|once) i am (?:gone|dead|not here|no longer here)\b(?! (?:on|for|away|to|at|from))",
    ],
    "a plan or means": [
        r"\b(?:have|got|made|making|had|found|worked out|know|figured out|figure out|planned|planning|"
        r"thought out|decided on|chosen|picked) (?:a |the |my |out )?(?:plan|way|method|date|place|how|when|"
        r"where) (?:to|for|of|i would|i will|i am going to|i could|i can) (?:end it|kill|die|end my|take my|"
        r"make it stop|not wake|overdose|jump|hang)\b",
        r"\b(?:plan|way|method|date|place|how|when|where) (?:to|i would|i will|i am going to|i could|i can) "
        r"do it\b" + _END,
        r"\b(?:how|where|when) (?:i would|i will|i am going to|i could|to|i can) (?:end it|kill myself|"
        r"end my life|take my life)\b",
        rf"\b(?:stockpil\w*|sav(?:e|es|ing|ed)(?: up)?|collect(?:ing|ed)|hoard(?:ing|ed)|stash(?:ing|ed)?|"
        rf"hid(?:den|ing)?|"
        rf"hiding|squirrel(?:l?ing|l?ed) away|put aside|putting aside|set aside|setting aside) (?:a lot of |lots of "
        rf"|all |enough |up |some |away )?(?:of )?(?:my |the |some )?(?:old )?{_PILLS}\b",
        r"\b(?:have|got|bought|buying|bought myself|keeping|kept|hidden|hid|ordered|ordering|get|getting|found|"
        r"collecting|collected|hoarding|saving|stashing|stockpiling) "
        r"(?:a |some |the |my )?(?:rope|noose|gun|guns|weapon|firearm|pistol|rifle|charcoal|poison|razor blades?|"
        r"blades?|helium)\b(?! (?:for|in) (?:the|my|our) (?:garden|boat|climbing|shed|bbq|barbecue|grill|shaving))",
        rf"\b(?:take|taking|took|swallow|swallowing|swallowed) (?:all|all of|the whole|a whole|every one of|"
        rf"every single one of|everything in) "
        rf"(?:my |the |of my |of the )?(?:{_PILLS}|packet|bottle|box|pack)\b"
        r"(?! (?:in the morning|at night|every|each|with|before|after|on time|as prescribed|daily|regularly|"
        r"at the same time|at breakfast|at bedtime|in one go each))",
        rf"\bhow many (?:{_PILLS}|of my \w+) (?:would|will|does|do|it takes|to|it would|are)\b",
        r"\b(?:lethal|fatal|deadly) (?:dose|amount|overdose)\b", r"\boverdos(?:e|ed|ing)\b", r"\bod(?:ing|ed)? on\b",
        r"\b(?:jump|jumping|jumped|throw myself|throwing myself|drive|driving|crash|crashing|steer|steering) "
        r"(?:my car |the car |myself )?(?:off|from|"
        r"in front of|under|into) (?:a |the |that |my |our )?(?:bridge|building|roof|cliff|train|bus|car|balcony|"
        r"window|"
        r"tower|car park|parking garage|truck|lorry|wall|tree|river|sea)\b(?! (?:for|to) (?:fun|swim|dive))",
        r"\b(?:ways|methods|how|best way|easiest way|quickest way) to (?:die|kill myself|end my life|end it|overdose|"
        r"do it painlessly)\b", r"\bpainless (?:way|ways|death|method|methods)\b",
        r"\b(?:look|looks|looking|looked|stare|staring|stared|think|thinking|thought)(?: \w+)? (?:at|about) (?:the |"
        r"a )?(?:train tracks|tracks|railway line|ledge|rope|knives|blades|edge of the)\b"
        r"(?! (?:course|swing|ladder|climbing|access|bridge|skipping))",
        r"\burges? to (?:drive|jump|step|walk|crash|swerve|steer|throw myself)\b",
        r"\b(?:drive|driving|swerve|swerving|steer|steering|walk|walking|step|stepping) (?:\w+ )?into (?:the )?"
        r"(?:oncoming traffic|traffic|a lorry|a truck|a wall|the sea|the river)\b",
        r"\b(?:have|got|collected|saved|save|collect) enough\b" + _END,
        rf"\b{_PILLS} (?:on the table|in front of me|in my hand|laid out|lined up|counted out|ready)\b",
        rf"\b(?:alcohol|vodka|wine|whisky|whiskey|drink|booze) and (?:all )?(?:of )?(?:my |the )?{_PILLS}\b",
        r"\b(?:tonight|today|this weekend|tomorrow|this week) is (?:it|the day|the night|the end)\b",
        r"\bi have decided\b" + _END, r"\b(?:have|got|found) the means\b",
        r"\bthe means\b(?:" + _END + r"| to (?:do it|end it|kill|die))",
        r"\bhang(?:ing)? myself\b", r"\bnoose\b", r"\btonight is the night\b",
        rf"\b{_PILLS} (?:saved|stashed|hidden|put aside|stockpiled|hoarded|collected)\b",
        r"\b(?:stood|standing|stand|stands|sat|sit|sits|sitting|climbed|went|go|going) (?:on|at|up to|onto|over|to) "
        r"(?:the |a )?(?:edge|ledge|bridge|roof|cliff|cliff edge|railway line|railway|tracks|train tracks|"
        r"platform edge)\b",
        r"\b(?:step|stepping|walk|walking) (?:out )?(?:in front of|into) (?:a |the )?(?:train|traffic|bus|truck|"
        r"lorry|sea|river)\b",
        r"\b(?:set|picked|chosen|chose) a date\b" + _END,
        r"\b(?:set|picked|chosen|chose) a date (?:for it|to do it|to end)\b",
    ],
    "not feeling safe": [
        r"\b(?:scared|afraid|frightened|terrified|worried) (?:of |about )?(?:what|that) i (?:might|may|could|will|"
        r"would) do\b",
        r"\b(?:might|may|could|will|would|going to|want to|scared i|afraid i|worried i|terrified i|not to|not|from|"
        r"stop myself) (?:\w+ )?act(?:ing)? on "
        r"(?:these |those |the |my )?(?:thoughts|urges|feelings|impulses|them|it)\b",
        r"\b(?:do not|cannot|could not|no longer) trust myself\b(?:" + _END + r"| (?:to be safe|to stay safe|"
        r"to keep safe|around|alone|not to|with (?:pills|tablets|knives|a knife|my meds|my medication|the car)))",
        r"\b(?:a )?(?:danger|risk|threat) to myself\b", r"\b(?:scared|afraid|frightened|terrified) of myself\b",
        r"\b(?:not|do not feel|never feel|not feel|am not) (?:safe|okay|ok) (?:with|around|by|being with) myself\b",
        r"\b(?:keep|keeping) myself safe\b",
        r"\bi am not safe\b(?:" + _END + r"| (?:right now|at home|with myself|around myself|alone))",
        r"\b(?:do not|not|never) feel safe\b(?:" + _END + r"| (?:at home|with him|with her|with them|with myself|"
        r"around myself|alone|anywhere|in my own head))",
        r"\bsomething i (?:cannot|could not|will not be able to|can never) (?:take back|undo|come back from)\b",
        r"\bi (?:will |might |may |would |could |am going to |want to |feel like )?(?:do|doing|did) something "
        r"(?:stupid|drastic|permanent|i (?:will|would|might) regret)\b",
    ],
    "self-harm": [
        r"\bself (?:harm|injur\w*|mutilat\w*|poison\w*|destruct\w*)\b",
        rf"\b(?:cut|cutting|cuts|burn|burning|burnt|burned|hurt|hurting|hurts|harm|harming|harmed|injure|"
        rf"injuring|hit|hitting|starve|starving|scratch|scratching|bite|biting|choke|choking|strangle|"
        rf"strangling|bruise|bruising) {_ME}\b"
        r"(?! (?:out|laughing|on (?:the|a)|while|in the (?:kitchen|garden|gym)|shaving|playing|at (?:the|work)|"
        r"lifting|running|cooking|with (?:a|the) (?:kitchen|bread|knife while|iron|kettle|pan)))",
        r"\b(?:make|made|making) (?:myself|me) bleed\b",
        r"\b(?:use|using|used|turn|turning|turned) (?:it|them|a knife|the knife|a blade|the blade|the razor) on "
        r"myself\b",
        r"\b(?:scratch|scratching|scratched|cut|cutting|burn|burning|burnt|hit|hitting|pinch|pinching|carve|carving|"
        r"pick|picking) (?:at )?my (?:arms?|wrists?|legs?|thighs?|skin|stomach|hips?)\b"
        r"(?! (?:on|in|at|while|when|by accident|accidentally|shaving|cooking|gardening))",
        r"\b(?:took|take|taken|swallowed|had) too many (?:of my )?(?:\w+ )?(?:pills|tablets|meds|painkillers|"
        r"paracetamol)\b",
        r"\b(?:hurt|harm|cut|burn|overdose)\w* (?:\w+ )?on purpose\b", r"\burges? to (?:cut|hurt|harm|burn|injure)\b",
        r"\b(?:started|start|been) cutting again\b", r"\b(?:cut|cutting|cuts) (?:deeper|too deep|so deep)\b",
        r"\bcutting (?:my )?(?:arms?|wrists?|legs?|thighs?|skin)\b",
        r"\brelapsed? (?:into|with|on) (?:cutting|self harm|hurting myself)\b",
        r"\b(?:scars|cuts|burns) on my (?:arms?|wrists?|legs?|thighs?|stomach)\b",
        r"\bslit(?:ting)? my wrists?\b", r"\buntil (?:they|it|i|my \w+) (?:bleed|bled|bleeds)\b",
    ],
    "feeling worthless": [
        r"\b(?:my life|i|life) (?:is not|am not|is no longer|am no longer) worth (?:anything|it|living|saving|much|"
        r"the effort|loving|the trouble)\b",
        r"\b(?:i am|i feel|feel|feeling|felt|i am just) (?:so |completely |totally |utterly |just |really |very )?"
        r"(?:worthless|like nothing|like i am nothing|like a waste of (?:space|air|oxygen|life))\b",
        r"\bi am (?:a |just a |such a )?waste of (?:space|air|oxygen|life)\b",
        r"\bhate (?:myself|being alive|being me|my existence)\b(?! for (?:\w+ing|eating|not|that|being late))",
    ],
}

_COMPILED = {name: [re.compile(pattern) for pattern in patterns] for name, patterns in SIGNS.items()}

# The second layer: broad risk vocabulary, for the many wordings the named signs above do not list. On messages
# the named signs had not seen they flagged only about half of the urgent ones, so when none of them matches,
# a message is still flagged when a risk word stands near a person ("I", "me", "my", "she", "my son"…),
# unless it is a known idiom or plainly denied. It flags far more than it should on purpose: a false alarm
# costs a coordinator a minute. Each hit is named by its words: possible risk wording: “tired of existing”.
RISK_NAME = "possible risk wording: “{}”"
_PERSON = re.compile(r"\b(?:i|me|my|myself|mine|we|us|our|he|him|his|himself|she|her|herself|they|them|their|"
                     r"themselves|you|your|yourself|son|daughter|child|kid|teenager|friend|partner)\b")
# "I do not see why I am still here" is not a denial: "not" governs the seeing, not the sign.
_UNSURE = re.compile(r"\bnot (?:see|know|think|understand|get|sure|feel like)\b")
PERSON_REACH = 8  # words either side of a risk word that a person must stand in
# Wordings that are a risk alone. Kept short and general: a word, or a word and what makes it about a life.
RISK_WORDS = [
    r"\bsuicid\w*", r"\bunaliv\w*", r"\bkill (?:me|myself|my self)\b", r"\boverdos\w*", r"\bnoose\b",
    r"\b(?:want|wanted|wanting|wish|going|ready|deserve|prefer|rather|better|plan|thinking) (?:to )?(?:just )?die\b"
    r"(?! than)",
    r"\bi (?:just |could |should |might |will |would )?die\b(?! (?:of|for|laughing|from))",
    r"\bi died\b", r"\blet me die\b", r"\bdying inside\b", r"\bdead inside\b",
    r"\b(?:be|been|being|am|was|were|better|rather|wish i was|wish i were) (?:\w+ )?dead\b(?! (?:tired|on my feet|end|"
    r"in the water|set|serious|easy|good|loud|boring|right|quiet|heavy))",
    r"\b(?:my|own|of) death\b", r"\bdeath (?:would|will|feels|seems|sounds|is the|calling|wish)\b",
    r"\b(?:think|thinking|thought|thoughts|dream|dreaming|imagine|imagining|images|obsessed) (?:\w+ )?(?:about|of) "
    r"(?:\w+ )?(?:death|dying|being dead|my funeral|not being|not existing|not waking|ending|ending it|the end)\b",
    r"\bend (?:it|it all|everything|things|my life|this life|my days|myself|the pain|my suffering)\b(?! with)",
    r"\b(?:take|took|taking|finish|finishing|leave|leaving|quit|quitting|escape|escaping) (?:my|this|his|her|their) "
    r"(?:own )?(?:life|world)\b",
    r"\b(?:leave|go away from|go from|gone from|exit|done with) this (?:world|life|earth)\b",
    r"\b(?:tired|sick|exhausted|weary|done|finished) (?:of|with) (?:living|existing|life|being alive|being here|"
    r"everything|it all|all of it|this life|my life|being me|the fight|fighting|trying|waking up|breathing|people|"
    r"myself)\b(?! (?:hacks|coaching|admin))",
    r"\b(?:reasons?|strength|will|desire|wish|want|wanting|need|point|nothing|worth|why|how|energy) to (?:live|"
    r"exist)\b",
    r"\bto (?:live|exist|be alive) (?:anymore|any longer|like this)\b",
    r"\b(?:existing|existence|being alive|stay alive|staying alive|keep living|go on living|keep breathing)\b",
    r"\b(?:not|never|nor|no) (?:to )?(?:wake|waking) up\b", r"\bnot (?:be|being) (?:here|around|alive)\b",
    r"\b(?:was|were|am|is) not (?:here|around|alive)\b",
    r"\b(?:sleep|asleep|rest|gone|go|away|stop|stopped|end|over|out) (?:for good|forever|permanently|for ever)\b",
    r"\bdisappear\w*", r"\bvanish\w*", r"\bburden\w*", r"\bwithout me\b(?! \w+ing)",
    r"\bbetter off\b(?! (?:with|using|going|doing|if (?:we|they|you))\b| without me \w+ing)",
    r"\bbetter place\b", r"\b(?:need|needs|want|wants|miss|misses|notice|care) me\b",
    r"\b(?:not|nobody|never|no longer) (?:\w+ )?(?:need|needs|want|wants|miss|misses|notice|care about) me\b",
    r"\b(?:no|any|the|what is the|whats the) point\b", r"\bpointless\b", r"\bmeaningless\b", r"\bno meaning\b",
    r"\bhope ?less\w*", r"\b(?:no|lost|lost all|losing|any|without) hope\b", r"\bno future\b",
    r"\bnothing (?:matters|left|to live|to look forward)\b(?! more| as much| to do)", r"\bwhy (?:bother|am i "
    r"here|should i|would i|go on)\b",
    r"\b(?:cannot|can no longer|could not|unable to|no strength to|no more strength to|not able to) (?:go on|carry on|"
    r"keep going|keep on|continue|take (?:it|this|any)|face|cope|live|survive|do (?:this|it|life)|make it|hold on|"
    r"fight|bear)\b(?! to | onto)(?! with (?!(?:life|it|this|anything|everything|myself|the pain|living)\b))",
    r"\b(?:give|giving|gave|given) up\b(?! (?:my|our|the|some|a|an|time|weekends|saturdays|sundays|"
    r"evenings)\b)(?! on (?!(?:life|living|myself|everything|me|it all|hope)\b))(?! (?:sugar|smoking|coffee|"
    r"caffeine|alcohol|drinking|meat|gluten|dairy|"
    r"social media|my seat|my job|on (?:the|that|this) (?:idea|plan|project|diet)))",
    r"\bgood ?byes?\b(?! to (?:my|our|the) (?:old )?(?:team|colleagues|job|office|house|flat|coworkers|co workers))",
    r"\bfarewell\b", r"\b(?:wrote|written|writing|write|left|leave|leaving) (?:a |the |some |my )?(?:last )?"
    r"(?:notes?|letters?)\b(?! (?:of|about|for work|to (?:the|my) (?:council|landlord|bank|boss|manager|gp|doctor)))",
    r"\bjust in case\b", r"\bmade (?:my )?peace\b", r"\bready to go\b", r"\b(?:its|it is) time\b" + _END,
    r"\bsorry (?:to|for) (?:everyone|everything|all|being)\b",
    r"\btrapped\b", r"\b(?:no|any|only|the only|a|find a) way out\b(?! of (?!(?:this|here|it|life|my life|the pain|"
    r"everything|this life|this world|the darkness|this hell)\b))", r"\bwant out\b", r"\bescape (?:from "
    r")?(?:it all|everything|this|life|the pain)\b",
    r"\b(?:make|making) it (?:all )?stop\b", r"\b(?:it|everything|it all|all of this|this all|all this|life|my "
    r"life) to be over\b", r"\ball over for me\b", r"\bcannot escape\b",
    r"\b(?:stop|stopped|not) (?:feeling|feel) (?:anything|everything)\b",
    r"\b(?:took|take|taking|taken) (?:extra|more|double|too many|a lot) (?:of )?(?:my )?(?:pills?|tablets?|meds|"
    r"medication|painkillers?|paracetamol|insulin)\b",
    r"\b(?:pills?|tablets?|meds|medication|paracetamol|painkillers?)\b(?= .*\b(?:took|enough|all of them|saved|"
    r"stockpil\w*|how many|kill|die|overdose|hoard\w*|collect\w*)\b)",
    r"\b(?:how many|enough) (?:of )?(?:my |the |these )?(?:pills?|tablets?|meds|painkillers?)\b",
    r"\b(?:rope|bridge|cliffs?|ledge|rooftop|roof|platform|train tracks|tracks|railway|motorway|overpass)\b",
    r"\b(?:jump|jumping|jumped|step|stepping|stepped|throw|throwing) (?:off|in front|from|out of|into|under)\b"
    r"(?! (?:a|the|my) (?:new|next)\b)",
    r"\bnot (?:turning|turn|brake|braking|steer|steering)\b", r"\b(?:crash|crashing|swerve|swerving) (?:the )?car\b",
    r"\b(?:cut|cutting|cuts|burn|burning|hurt|hurting|harm|harming|punish|punishing|hit|hitting) (?:myself|my "
    r"self|me)\b"
    r"(?! (?:shaving|cooking|while|by accident|accidentally|in the kitchen|on (?:the|a)))",
    r"\bcutting (?:again|myself|my)\b",
    r"\b(?:do|did|doing|done) (?:something|anything) (?:\w+ )?to (?:myself|me)\b", r"\bsomething to myself\b",
    r"\bi (?:\w+ ){0,3}?(?:do|did|doing) something (?:stupid|drastic|permanent|bad)\b", r"\b(?:waste of|taking "
    r"up) (?:\w+ ){0,2}?(?:space|air|oxygen|"
    r"time|money|life)\b(?! (?:on|at|in|with|for) )",
    r"\bworthless\b",
    r"\bsu[iy]?[cs]+[iy]?d(?:e|es|al|ality)?\b",  # misspelt: sucide, suiside, suicde, suisidal
    r"\blife (?:is not|is no longer|was never) (?:for me|worth)\b",
    r"\b(?:why|point|reason) (?:\w+ ){0,3}?(?:i am|am i|i) (?:still )?(?:here|alive|around|living|bothering|trying)\b",
    r"\blet (?:myself |it all |everything )?go\b(?! of)",
    r"\b(?:told|tell|telling) (?:\w+ ){0,3}?(?:i am|i will be) (?:moving|going) away\b",
    r"\b(?:will not|would not|am not going to) be (?:a )?(?:problem|bother|burden|nuisance|worry|trouble) "
    r"(?:\w+ ){0,3}?(?:soon|much longer|for long|anymore)\b",
    r"\b(?:problem|trouble|weight|nuisance|disappointment|mistake) (?:for|to|on) (?:everyone|everybody|my family|all|"
    r"them|the world|people|my kids|my children)\b",
    r"\bstop(?:ped)? being (?:a |such a )?(?:problem|burden|trouble|nuisance|bother|weight)\b",
    r"\b(?:count\w*|line\w* up|lined up|sort\w* out|stare\w* at|staring at|look\w* at) (?:all )?(?:of )?(?:my |the )?"
    r"(?:\w+ )?(?:pills?|tablets?|meds|painkillers?)\b",
    r"\b(?:not|never) (?:to )?(?:come|coming|came) (?:back|up|out)\b", r"\bsleep (?:for )?(?:a (?:very |really "
    r")?long time|forever)\b",
    r"\b(?:the trains?|train times|a train|in front of (?:a |the )?train)\b",
    r"\b(?:not|never) (?:\w+ )?belong (?:here|in this world|anywhere|on this earth|in this life)\b",
    r"\bdo not belong\b" + _END,
    r"\b(?:decided?|deciding|ready|time|going|want) to go\b(?! (?:to|back|for|on|out|with|ahead|through|into|home|"
    r"part|over|abroad|away for|travelling|traveling|running|swimming|\w+ing)\b)",
    r"\b(?:telling|tells|told|voices?|something) (?:me )?to (?:jump|die|end|kill|hurt|cut|do it)\b",
    r"\bjump\b(?! (?:at|into|in|on|start|ahead|the queue|rope|to conclusions|through|back))",
    r"\b(?:see|no|any|find) (?:any |the )?light\b",
    r"\bnever (?:have to )?(?:feel|wake|face|see|do) (?:\w+ ){0,2}?again\b",
    r"\b(?:relieved|relief|happier|easier|better|lighter|simpler) (?:for \w+ )?(?:if|when|once) i (?:just |simply )?"
    r"(?:stopped|went|left|was gone|were gone|died|disappeared|was not|were not|did not|stop)\b",
    r"\b(?:go|be|join|see) (?:to |with )?(?:\w+ ){0,2}?(?:in heaven|on the other side)\b",
    r"\b(?:my life|life|everything|all) (?:is|feels|seems) (?:\w+ )?(?:over|finished|done|ruined)\b",
    r"\bnothing (?:left )?for me\b",
    r"\b(?:think|thinking|thought|look|looking|looked|stare|staring|stared|picture|picturing|hold|holding|held) "
    r"(?:\w+ )?(?:about |at |of )?(?:the |my |those |these |all |all the |all my )?(?:\w+ )?(?:pills?|tablets?|meds|"
    r"medication|painkillers?|paracetamol|knife|knives|blades?|razors?|rope|gun)\b",
    r"\b(?:car park|multi storey|stairwell|top of the stairs|the river|the lake|the canal)\b"
    r"(?! (?:view|cruise|walk|side|path|boat)\b)",
    r"\b(?:gave|giving|given|give|rehomed|rehoming|rehome) (?:away )?(?:my|our) (?:\w+ )?(?:cats?|dogs?|pets?|bird|"
    r"rabbit|hamster|parrot)\b", r"\b(?:sleep|asleep) and (?:stay|never|not)\b",
    r"\b(?:switch|turn|shut|shutting|switching|turning) (?:it all|everything|myself|me|it|my life|life) (?:off|down)\b",
    r"\b(?:will not|would not|not going to|am not going to) be (?:\w+ ){0,3}?(?:much|any|for much|for any|very) "
    r"longer\b", r"\bnot (?:\w+ ){0,2}?(?:come|go|get) (?:back )?home\b",
    r"\b(?:not|never|no) (?:want to |going to |able to )?(?:see|make it to|reach|live to see) (?:my|the|next|another) "
    r"(?:\w+ )?(?:birthday|christmas|year|summer|spring|winter|week|weekend|anniversary|tomorrow)\b",
    r"\b(?:do not|cannot|no longer|not) (?:want to |able to )?continue\b" + _END,
    r"\b(?:saying|says|keeps saying|tells me|telling me|voices?|voice) (?:\w+ )?do it\b", r"\bdo it do it\b",
    r"\b(?:never|not|do not want to|no) wake\b(?! (?:me|him|her|them|the|my|us|up (?:at|early|before|in time)))",
    r"\bhad (?:more than )?enough (?:of )?(?:this life|life|living|everything|it all|all of it|myself|being alive|"
    r"existing|this world|being me)\b", r"\bhad (?:more than )?enough\b" + _END,
    r"\b(?:i am|i was|i am just|my life is) (?:a |one big |just a )?(?:mistake|accident|error)\b",
    r"\b(?:never|not) (?:have |should have )?been born\b", r"\bshould never have been\b",
    r"\bbetter (?:life|lives|off|mum|mom|dad|parent|mother|father) (?:with|without) (?:someone|somebody|anyone|me)\b"
    r"(?! \w+ing)",
    r"\bsomeone else (?:raising|looking after|caring for|bringing up)\b",
    r"\bno (?:coming|going|turning) back\b", r"\bso far gone\b",
    r"\b(?:not|never) care (?:anymore|about anything|about me|what happens|if i|whether i)\b",
    r"\bwhatever happens happens\b",
    r"\btell (?:my |them |him |her |everyone |\w+ ){1,2}?(?:i am sorry|i love|i loved|sorry|i tried|goodbye)\b",
    r"\b(?:not|no longer) (?:want|wish) to be (?:me|myself|alive|here|around|in this world|this person)\b",
    r"\b(?:angry|disappointed|upset|sad|furious|annoyed|gutted) (?:that |because |when )?i (?:woke|wake|am still|"
    r"was still|survived|keep waking)\b",
    r"\b(?:leaving|leave|left|going|gone|go away|away) for good\b",
    r"\b(?:already|have|i have) (?:decided|made (?:up )?my (?:mind|decision))\b" + _END,
    r"\bi have (?:already )?decided\b(?! (?:to|on|that|what|which|how|between|against)\b)",
    r"\bsomeone to know\b", r"\b(?:not|never) (?:\w+ ){0,3}?make it (?:through|to|past)\b",
    r"\b(?:cannot|do not|could not) see (?:myself|me|a way|any way|a future|the future|it getting|things getting)\b",
    r"\b(?:researching|looking up|looked up|googling|googled|searching|searched|reading about|read about) (?:how|ways|"
    r"methods|what|the|about)? ?(?:\w+ )?(?:overdose|dose|die|dying|end|death|hang|lethal|painless)\w*",
    r"\bhow (?:i would|i will|i could|to|people|someone) (?:do it|end|die|kill)\b",
    r"\b(?:life|everything|it|all|pain|living|existing|feeling|feel|feels|this) (?:\w+ )?(?:is |has become |"
    r"feels |so )?"
    r"unbearable\b", r"\b(?:cannot bear|too much pain|so much pain|in so much pain|the pain inside|pain inside)\b",
    r"\b(?:empty|numb|dark|darkness|nothing) (?:inside|all the time|forever)\b",
    r"\bdeserve (?:better than me|to suffer|to die|to be gone|a better)\b",
    r"\b(?:manage|cope|be fine|be ok|be okay|be alright|be happier|move on) (?:fine |just fine |better )?"
    r"(?:without me\b(?! \w+ing)|if i (?:was|were|am|had) (?:not|never|gone|dead)\b|if i (?:died|disappeared|left)\b|"
    r"when i am gone\b)",
]
# Idioms and ordinary uses that would hit a risk word, blanked out before the second layer looks.
IDIOMS = [
    r"\bdead (?:tired|on my feet|in the water|end|set|serious|easy|good|loud|boring|right|quiet|heavy|line)\b",
    r"\b(?:battery|phone|laptop|car|computer|plant|plants|screen|charger|line|bulb|engine) (?:is |was |has |just )?"
    r"(?:dead|died|dying)\b", r"\bkilling (?:it|them)\b", r"\b(?:is|are|was|were|it|this|that) killing me\b",
    r"\b(?:would|could|i would|i could) (?:kill|die) for\b", r"\bto die for\b", r"\bdying (?:to|for)\b",
    r"\b(?:die|died|dying|dead) (?:of|from|with) (?:embarrassment|laughter|laughing|shame|boredom|cringe|heat)\b",
    r"\b(?:died|die|dying) laughing\b", r"\b(?:bored|scared|worried|frozen|freezing) to death\b",
    r"\bnearly (?:killed|died)\b", r"\bdrowning in\b", r"\bdeath by\b", r"\bover the moon\b",
    r"\b(?:the |no )?point of (?:journaling|therapy|this course|it all\b(?! for))",
    r"\bjump(?:ed|ing)? at the chance\b", r"\bthrough the roof\b",
    r"\bany point (?:in|of) (?!(?:living|going on|anything|me|carrying on|being|life|it all|trying anymore)\b)\w+",
    r"\bfarewell (?:\w+ )?(?:for|to) (?:a|my|our|the) (?:colleague|coworker|boss|manager|team|teacher|"
    r"neighbour)", r"\b(?:kill|killing) myself laughing\b",
    r"\b(?:anxiety|insomnia|headaches?|migraines?|symptoms|acne|tinnitus|stress|adhd|procrastination|brain fog|"
    r"panic attacks?) to (?:go away|stop|end|disappear) (?:forever|for good|permanently)\b",
    r"\b(?:disappear|vanish) (?:to|for|on|into) (?:a|the|an) (?:\w+ )?(?:weekend|week|holiday|mountains|beach|"
    r"cabin|trip|while|few days|month|vacation|retreat)\b",
    r"\bhopeless (?:at|with) (?!(?:life|everything|myself|living)\b)", r"\b(?:die|dye|dying) (?:my|her|his|"
    r"their) (?:hair|beard)\b", r"\bgive (?:it|you|them) (?:a go|up to)\b",
]
_RISK = re.compile("|".join(f"(?:{pattern})" for pattern in RISK_WORDS))
_IDIOM = re.compile("|".join(f"(?:{pattern})" for pattern in IDIOMS))


def _risk_wordings(normal):
    """The second layer: risk words near a person, not in an idiom and not plainly denied.

    A message that names nobody at all ("so easy to just let go") is about its writer.
    """
    text = _IDIOM.sub(lambda match: "~" * len(match.group(0)), normal)
    found = []
    for match in _RISK.finditer(text):
        before = text[:match.start()].split()[-PERSON_REACH:]
        after = text[match.end():].split()[:PERSON_REACH]
        near = " ".join(before + [match.group(0)] + after)
        if not _PERSON.search(near) and _PERSON.search(text):
            continue  # a person is named, but not near: "the project is dead", "the film's ending"
        if _denied(text, match.start(), match.end()) and not _UNSURE.search(" ".join(before)):
            continue
        wording = match.group(0).strip()
        if wording not in found:
            found.append(wording)
    return [RISK_NAME.format(wording) for wording in found[:3]]


def normalise(text):
    """Lower case, one kind of apostrophe, contractions written out, "|" between clauses, single spaces."""
    text = unicodedata.normalize("NFKC", text or "").lower().translate(APOSTROPHES)
    text = re.sub(r"(?<=[a-z])[-‐‑_/](?=[a-z])", " ", text)  # self-harm, self‑harm
    text = re.sub(r"'(?!\w)|(?<!\w)'", " ", text)  # a quote mark, not an apostrophe
    text = re.sub(r"[^\w'\s]+", " | ", text)  # punctuation, ellipses and dashes end a clause
    text = " ".join(text.split())
    text = _SPELLING.sub(lambda match: SPELLINGS[match.group(0)], text)
    text = re.sub(r"\b(\w+)n't\b", r"\1 not", text)
    text = re.sub(r"\bself ?harm\w*", "self harm", text)
    text = re.sub(r"'s?\b", "", text)  # a possessive or a stray apostrophe
    text = re.sub(r"(?:\| *)+", "| ", text)
    return " ".join(text.split())


def _denied(text, start, end):
    """Whether a plain denial stands just before the sign, with nothing that hedges it."""
    before = text[:start].split()[-WINDOW:]
    for index in range(len(before) - 1, -1, -1):
        if before[index] in CLAUSE_BREAKS:
            before = before[index + 1:]
            break
    if not NEGATIONS.intersection(before):
        return False
    after = text[end:].split("|")[0].split()[:3]
    unsure = "not know" in " ".join(before)  # "I do not know if I want to live"; "I know I am not" is a denial
    return not (unsure or HEDGES.intersection(before + after))  # "no longer suicidal" is hedged: it was there


def find_warning_signs(text):
    """The names of the warning signs in `text`, in the order of SIGNS; empty when there are none.

    The site's own extra phrases (DJANGO_STRATEGY_CALL_CRISIS_PHRASES) count too, each under its own name.
    """
    normal = normalise(text)
    found = []
    for name, patterns in _COMPILED.items():
        if any(not _denied(normal, match.start(), match.end()) for pattern in patterns
               for match in pattern.finditer(normal)):
            found.append(name)
    if not found:
        found = _risk_wordings(normal)
    padded = f" {normal} "
    for phrase in getattr(settings, "STRATEGY_CALL_CRISIS_PHRASES", []):
        wording = normalise(phrase)
        if wording and f" {wording} " in padded:
            found.append(f"“{phrase.strip()}”")
    return found


def warning_signs(text):
    """What flags `text` urgent: the named signs above, or when they find none, the crisis model's score.

    A model that cannot load or fails is itself a reason to look first: it is logged and named.
    """
    found = find_warning_signs(text)
    if found:
        return found
    try:
        return crisis_model.find_signs(text)
    except Exception as error:
        log.exception("The crisis model failed; the request is marked urgent to be safe.")
        return [MODEL_FAILED.format(error=type(error).__name__)]


def is_urgent(text):
    return bool(warning_signs(text))
