"""The texts of ``bench.preference_data``: topics, statements, phrasings and templates.

Only word banks live here; how they are combined, and what the ground truth is, is documented
in ``bench/preference_data.py``. The banks used by the ``detailed`` profile must not change
(its rows are fixed per seed); the ``semantic`` profile adds its own banks below them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    name: str
    subjects: tuple[str, ...]
    facts: tuple[str, ...]
    myths: tuple[str, ...]


TOPICS: tuple[Topic, ...] = (
    Topic(
        "cooking",
        ("cooking at home", "cooking weeknight dinners", "basic kitchen skills"),
        (
            "A sharp knife is safer than a dull one because it slips less.",
            "Salting the pasta water seasons the noodles from the inside.",
            "Letting meat rest after cooking keeps the juices in.",
            "Preheating the pan helps food brown instead of steam.",
            "Reading the whole recipe before starting prevents surprises halfway through.",
            "Crowding a pan lowers its temperature and makes vegetables soggy.",
            "Tasting as you go is the easiest way to fix the seasoning.",
            "A squeeze of lemon juice brightens a dish that tastes flat.",
        ),
        (
            "Searing meat seals in all of its juices completely.",
            "Adding oil to pasta water reliably stops the noodles from sticking.",
        ),
    ),
    Topic(
        "python programming",
        ("Python programming", "learning Python", "writing Python scripts"),
        (
            "Virtual environments keep each project's dependencies separate.",
            "List comprehensions build new lists concisely from existing iterables.",
            "The with statement closes files automatically, even after errors.",
            "Type hints make code easier to read and to check with tools like mypy.",
            "Dictionaries map keys to values and look them up quickly.",
            "The pytest library makes it simple to write small automated tests.",
            "Formatted string literals are the clearest way to put variables into text.",
            "Python uses indentation rather than braces to mark blocks of code.",
        ),
        (
            "Python lists can only hold values of one single type.",
            "Indentation in Python is optional and only matters for style.",
        ),
    ),
    Topic(
        "astronomy",
        ("astronomy", "stargazing as a hobby", "observing the night sky"),
        (
            "Your eyes need about twenty minutes to adapt fully to the dark.",
            "Binoculars are a cheap and effective first instrument for the sky.",
            "Planets shine steadily while stars tend to twinkle.",
            "A red flashlight preserves night vision while you read star charts.",
            "The phases of the Moon come from how much of its sunlit side we see.",
            "Light pollution hides faint objects, so dark sites show far more stars.",
            "The Andromeda Galaxy is visible to the naked eye from a dark site.",
            "Free planetarium apps help you identify constellations quickly.",
        ),
        (
            "The phases of the Moon are caused by the shadow of the Earth.",
            "The North Star is the brightest star in the night sky.",
        ),
    ),
    Topic(
        "personal finance",
        ("personal finance", "budgeting and saving", "money management"),
        (
            "An emergency fund covering a few months of expenses softens surprises.",
            "Paying off high-interest debt first saves the most money.",
            "Automatic transfers make saving happen before you can spend the money.",
            "Low-cost index funds spread risk across many companies.",
            "Tracking spending for a month shows where the money really goes.",
            "Compound interest rewards those who start saving early.",
            "An employer's retirement match is essentially free money worth collecting.",
            "Checking your credit report every year helps catch errors and fraud.",
        ),
        (
            "Carrying a credit card balance from month to month improves your credit score.",
            "Index funds guarantee that you will never lose money.",
        ),
    ),
    Topic(
        "gardening",
        ("gardening", "growing vegetables in a backyard", "starting a small garden"),
        (
            "Most vegetables need at least six hours of direct sun a day.",
            "Watering deeply and less often encourages deep roots.",
            "A layer of mulch keeps soil moist and suppresses weeds.",
            "Compost improves soil structure and feeds beneficial microbes.",
            "Rotating crops each year reduces pests and disease.",
            "A soil test tells you which nutrients your beds lack.",
            "Watering in the morning lets the leaves dry before evening.",
            "Starting with one small bed keeps the work manageable.",
        ),
        (
            "Adding a little sand to clay soil always makes it drain better.",
            "Plants grow best when they are watered a little every hour.",
        ),
    ),
    Topic(
        "running",
        ("running", "starting to jog", "training for a first 5K race"),
        (
            "Increasing weekly distance gradually helps prevent injuries.",
            "Most easy runs should be slow enough to hold a conversation.",
            "Shoes that fit your stride matter more than the brand.",
            "Rest days are when your body adapts and gets stronger.",
            "Walking breaks are a perfectly valid way to build endurance.",
            "A short warm-up prepares your muscles and joints.",
            "Drinking water through the day helps more than gulping it just before a run.",
            "Strength training twice a week supports good running form.",
        ),
        (
            "Stretching before a run has been proven to prevent all injuries.",
            "You should keep running through sharp pain to build toughness.",
        ),
    ),
    Topic(
        "photography",
        ("photography", "taking better photos", "learning to use a camera"),
        (
            "The rule of thirds places the subject off center for a livelier frame.",
            "Soft light in the early morning or late afternoon flatters most subjects.",
            "A faster shutter speed freezes motion.",
            "A wide aperture blurs the background and isolates the subject.",
            "Keeping the horizon level makes landscapes feel calmer.",
            "Shooting in RAW keeps more detail for editing later.",
            "Moving closer often improves a photo more than zooming in.",
            "A tripod allows sharp photos at slow shutter speeds.",
        ),
        (
            "More megapixels always produce sharper and better photos.",
            "A higher f-number means a wider aperture and more background blur.",
        ),
    ),
    Topic(
        "home repair",
        ("home repair", "fixing things around the house", "basic home maintenance"),
        (
            "Turning off the water supply before plumbing work prevents floods.",
            "Switching off the breaker is essential before touching any wiring.",
            "A stud finder helps you hang heavy items securely.",
            "Wall anchors hold screws in drywall where there is no stud.",
            "Measuring twice and cutting once saves material and time.",
            "Caulking the gaps around windows reduces drafts.",
            "A plunger clears most toilet clogs without harsh chemicals.",
            "Safety glasses protect your eyes when drilling or sanding.",
        ),
        (
            "Drywall screws alone can hold heavy shelves without anchors or studs.",
            "Mixing different drain cleaners makes them safely stronger.",
        ),
    ),
    Topic(
        "dog care",
        ("caring for a dog", "raising a puppy", "training a dog"),
        (
            "Rewarding good behavior works better than punishing mistakes.",
            "Short daily training sessions keep a dog's attention.",
            "Regular walks provide both exercise and mental stimulation.",
            "Chocolate, grapes and onions are toxic to dogs.",
            "A yearly checkup at the vet catches health problems early.",
            "Socializing puppies with people and other dogs prevents fear later.",
            "Consistent daily routines help dogs feel secure.",
            "Trimming the nails regularly keeps walking comfortable.",
        ),
        (
            "A warm, dry nose is a reliable sign that a dog is sick.",
            "Dogs can see only in black and white.",
        ),
    ),
    Topic(
        "language learning",
        ("learning a new language", "studying Spanish", "learning a language as an adult"),
        (
            "A little practice every day beats one long session a week.",
            "Spaced repetition flashcards help new vocabulary stick.",
            "Speaking early, even with mistakes, builds confidence.",
            "Listening to native speakers trains your ear for rhythm.",
            "Learning common phrases gives you quick wins in conversation.",
            "A language exchange partner offers free speaking practice.",
            "Reading simple stories expands your vocabulary in context.",
            "Setting concrete goals keeps motivation steady.",
        ),
        (
            "Adults are simply unable to learn to speak a new language well.",
            "You must master all of the grammar before you try speaking.",
        ),
    ),
    Topic(
        "sleep",
        ("better sleep", "healthy sleep habits", "getting enough rest"),
        (
            "Going to bed and waking up at the same time steadies your body clock.",
            "A cool, dark bedroom makes it easier to fall asleep.",
            "Caffeine late in the day can disrupt sleep hours later.",
            "Bright screens right before bed can delay sleepiness.",
            "Most adults need seven to nine hours of sleep a night.",
            "A short wind-down routine signals that bedtime is near.",
            "Daylight in the morning helps regulate your sleep cycle.",
            "Long naps late in the afternoon make it harder to sleep at night.",
        ),
        (
            "A glass of alcohol before bed improves the overall quality of sleep.",
            "You can fully make up a week of lost sleep in one weekend.",
        ),
    ),
    Topic(
        "bread baking",
        ("baking bread", "making bread at home", "bread baking for beginners"),
        (
            "Weighing flour gives more consistent results than measuring with cups.",
            "Kneading develops gluten, which gives bread its structure.",
            "Dough rises faster in a warm spot.",
            "A hot oven and some steam help form a crisp crust.",
            "Letting bread cool before slicing keeps the crumb from turning gummy.",
            "Salt strengthens the gluten and adds flavor.",
            "The poke test shows when the dough has proofed enough.",
            "A sourdough starter needs regular feeding to stay active.",
        ),
        (
            "Hotter water always makes yeast work better.",
            "Bread flour and cake flour can be swapped with no difference at all.",
        ),
    ),
    Topic(
        "cycling",
        ("cycling", "commuting by bike", "getting into road cycling"),
        (
            "A helmet greatly reduces the risk of a serious head injury.",
            "Checking tire pressure before each ride prevents flats.",
            "Lights at the front and rear make you visible at dusk.",
            "A properly set saddle height protects your knees.",
            "Signaling turns tells drivers what you plan to do.",
            "Keeping the chain clean and oiled makes shifting smoother.",
            "Riding predictably in a straight line keeps traffic safer.",
            "Easy gears on hills save energy for the rest of the ride.",
        ),
        (
            "Riding against traffic is safer because you can see the cars coming.",
            "Higher tire pressure is always faster on every road surface.",
        ),
    ),
    Topic(
        "coffee",
        ("brewing coffee at home", "making better coffee", "pour-over coffee"),
        (
            "Freshly ground beans keep more aroma than pre-ground coffee.",
            "Water just off the boil extracts flavor well.",
            "A kitchen scale helps you repeat a good coffee-to-water ratio.",
            "Finer grinds extract faster than coarse grinds.",
            "Beans stay fresh longer in an airtight container away from light.",
            "Sour coffee usually means the grounds were under-extracted.",
            "Bitter coffee often means the grind is too fine or the brew too long.",
            "Cleaning the brewer regularly removes stale oils.",
        ),
        (
            "Dark roasts always contain far more caffeine than light roasts.",
            "Beans kept in the freezer door stay perfectly fresh for years.",
        ),
    ),
    Topic(
        "job interviews",
        ("job interviews", "preparing for an interview", "interviewing for a new job"),
        (
            "Researching the company lets you tailor your answers.",
            "Concrete stories about past work convince more than general claims.",
            "Preparing a few questions for the interviewer shows genuine interest.",
            "Practicing answers out loud reduces nerves.",
            "Arriving a little early gives you time to settle in.",
            "A short thank-you note afterward leaves a good impression.",
            "Matching your examples to the job description highlights relevant skills.",
            "Being honest about gaps works better than inventing experience.",
        ),
        (
            "You should never ask the interviewer any questions of your own.",
            "Criticizing a former employer shows strength and confidence.",
        ),
    ),
    Topic(
        "public speaking",
        ("public speaking", "giving a presentation", "speaking in front of a crowd"),
        (
            "Rehearsing out loud helps the words flow on the day.",
            "Knowing your opening lines by heart calms early nerves.",
            "Slowing down makes you easier to understand.",
            "A brief pause gives the audience time to absorb a point.",
            "Fewer words on the slides keep attention on you.",
            "A short story makes a message memorable.",
            "Making eye contact with a few friendly faces builds connection.",
            "Timing a practice run keeps you within your slot.",
        ),
        (
            "Reading every word from your slides makes a talk more engaging.",
            "Good speakers never feel any nervousness at all.",
        ),
    ),
    Topic(
        "chess",
        ("chess", "getting better at chess", "chess strategy"),
        (
            "Controlling the center gives your pieces more room to move.",
            "Developing knights and bishops early speeds up your game.",
            "Castling usually moves the king to safety.",
            "Solving tactics puzzles trains pattern recognition.",
            "Checking every capture and check before moving avoids blunders.",
            "Reviewing your lost games shows recurring mistakes.",
            "Rooks work best on open files.",
            "In the endgame the king becomes an active piece.",
        ),
        (
            "Bringing the queen out early is always the strongest opening plan.",
            "A bishop is always worth far more than a knight.",
        ),
    ),
    Topic(
        "birdwatching",
        ("birdwatching", "identifying birds", "getting started with birding"),
        (
            "Early morning is when many birds are most active.",
            "A field guide for your region narrows down the possibilities.",
            "Listening for songs helps find birds hidden in foliage.",
            "Binoculars with eight times magnification are easy to hold steady.",
            "Noting size, shape and behavior helps with identification.",
            "Feeders and a water bowl bring birds close to your window.",
            "Moving slowly and quietly keeps birds from flying off.",
            "Keeping a simple list makes progress satisfying to track.",
        ),
        (
            "Touching a baby bird makes its parents abandon it.",
            "Feeding birds in winter makes them forget how to find food.",
        ),
    ),
    Topic(
        "car maintenance",
        ("car maintenance", "looking after a car", "basic car care"),
        (
            "Regular oil changes protect the engine from wear.",
            "Correct tire pressure improves safety and fuel economy.",
            "Checking the tread depth shows when tires need replacing.",
            "Replacing the wiper blades every year keeps the windshield clear.",
            "Strange noises are worth checking before they get worse.",
            "The owner's manual lists the right service intervals.",
            "Clean battery terminals help the engine start reliably.",
            "Brake fluid should be checked as part of routine service.",
        ),
        (
            "Premium fuel makes every car noticeably faster.",
            "An engine must idle for ten minutes before driving in any weather.",
        ),
    ),
    Topic(
        "travel planning",
        ("travel planning", "planning a trip abroad", "organizing a vacation"),
        (
            "Booking flights early often gets better prices.",
            "Checking the passport expiry date avoids last-minute trouble.",
            "Travel insurance covers costly surprises like medical care.",
            "Packing light makes moving between places easier.",
            "Digital copies of your documents help if something is lost.",
            "Learning a few local phrases goes a long way.",
            "Leaving free time in the schedule reduces stress.",
            "Telling your bank about the trip prevents blocked cards.",
        ),
        (
            "Every country accepts a passport right up to the day it expires.",
            "Airport currency exchange desks always offer the best rates.",
        ),
    ),
    Topic(
        "online security",
        ("online security", "protecting online accounts", "password safety"),
        (
            "A password manager lets you use a unique password everywhere.",
            "Two-factor authentication blocks most account takeovers.",
            "Long passphrases are stronger than short complex passwords.",
            "Updating software promptly patches known security holes.",
            "Checking the sender's address helps spot phishing emails.",
            "Regular backups protect your files from ransomware.",
            "Public wireless networks are safer with a trusted VPN.",
            "Reusing passwords lets one leak unlock many accounts.",
        ),
        (
            "Changing one digit of a leaked password makes it secure again.",
            "Private browsing mode hides your activity from websites and employers.",
        ),
    ),
    Topic(
        "guitar",
        ("playing the guitar", "learning guitar", "guitar practice"),
        (
            "Short daily practice builds calluses and muscle memory.",
            "Tuning before every session trains your ear.",
            "Learning a few open chords unlocks many songs.",
            "A metronome improves your timing.",
            "Pressing close to the fret gives a cleaner note.",
            "Slow practice leads to faster playing later.",
            "Changing strings regularly keeps the tone bright.",
            "Relaxed hands prevent strain during long sessions.",
        ),
        (
            "You have to read sheet music before you can play any song.",
            "Heavier strings are always easier for beginners to press.",
        ),
    ),
    Topic(
        "hiking",
        ("hiking", "day hikes in the mountains", "hiking safely"),
        (
            "Telling someone your route and return time adds a safety net.",
            "Checking the weather forecast helps you avoid storms.",
            "Layers let you adjust to changing temperatures.",
            "Carrying more water than you expect to need is wise.",
            "Broken-in boots prevent blisters.",
            "A paper map and compass still work when phones lose signal.",
            "Starting early leaves time for unexpected delays.",
            "Staying on marked trails protects plants and keeps you oriented.",
        ),
        (
            "Water from a clear mountain stream is always safe to drink.",
            "Cotton clothing is the best choice for wet and cold hikes.",
        ),
    ),
    Topic(
        "cat care",
        ("caring for a cat", "keeping an indoor cat happy", "owning a cat"),
        (
            "Scratching posts protect furniture and keep claws healthy.",
            "A clean litter box prevents many behavior problems.",
            "Play sessions with wand toys provide needed exercise.",
            "Fresh water in several spots encourages cats to drink.",
            "Lilies are highly toxic to cats.",
            "Regular vet visits catch dental disease early.",
            "High perches help cats feel safe.",
            "Gradual introductions help cats accept new pets.",
        ),
        (
            "Adult cats need a saucer of cow's milk every day.",
            "Cats cannot be trained in any way.",
        ),
    ),
    Topic(
        "weather",
        ("weather forecasts", "understanding weather reports", "reading the weather"),
        (
            "A falling barometer often signals approaching bad weather.",
            "High humidity makes hot days feel hotter.",
            "A forty percent chance of rain describes the likelihood of rain in the area.",
            "Towering cumulonimbus clouds can bring thunderstorms and hail.",
            "Wind chill makes cold air feel colder on exposed skin.",
            "Forecasts are most reliable for the next few days.",
            "Fog forms when air cools to its dew point.",
            "Weather radar shows where rain or snow is falling right now.",
        ),
        (
            "Lightning never strikes the same place twice.",
            "Heat lightning is a special kind of lightning that makes no thunder.",
        ),
    ),
    Topic(
        "nutrition",
        ("healthy eating", "nutrition basics", "eating a balanced diet"),
        (
            "Vegetables and fruit supply fiber, vitamins and minerals.",
            "Some protein at each meal helps you stay full.",
            "Whole grains digest more slowly than refined grains.",
            "Water is the best everyday drink.",
            "Reading nutrition labels reveals hidden sugar and salt.",
            "Planning meals ahead makes healthy choices easier.",
            "Portion size matters as much as the choice of food.",
            "Cooking at home gives you control over the ingredients.",
        ),
        (
            "Eating any fat at all always makes you gain weight.",
            "Food eaten late at night turns directly into body fat.",
        ),
    ),
    Topic(
        "sql",
        ("SQL databases", "writing SQL queries", "learning SQL"),
        (
            "Indexes speed up lookups on frequently filtered columns.",
            "A WHERE clause filters rows before they are grouped.",
            "A join combines rows from tables that share a key.",
            "Parameterized queries prevent SQL injection.",
            "Transactions keep related changes all or nothing.",
            "The EXPLAIN command shows how the database plans to run a query.",
            "A primary key uniquely identifies each row.",
            "Selecting only the columns you need reduces transferred data.",
        ),
        (
            "Adding an index to every column always makes a database faster.",
            "Two NULL values compare as equal in an ordinary SQL comparison.",
        ),
    ),
    Topic(
        "knitting",
        ("knitting", "learning to knit", "knitting a first scarf"),
        (
            "Medium-weight yarn in a light color makes stitches easy to see.",
            "A gauge swatch shows whether your project will come out the right size.",
            "Stitch markers help you keep track of a pattern.",
            "Counting rows regularly catches mistakes early.",
            "A scarf is a forgiving first project.",
            "Keeping your tension relaxed makes the stitches even.",
            "Video tutorials show the hand movements clearly.",
            "Blocking a finished piece evens out the stitches.",
        ),
        (
            "Only the most expensive needles can produce even stitches.",
            "A dropped stitch can never be fixed once you keep knitting.",
        ),
    ),
    Topic(
        "first aid",
        ("first aid", "handling minor injuries", "basic first aid skills"),
        (
            "Cooling a burn under running water for twenty minutes reduces damage.",
            "Firm pressure on a bleeding wound helps stop the bleeding.",
            "Calling emergency services early saves time in serious cases.",
            "A well-stocked kit includes bandages, gloves and antiseptic wipes.",
            "The recovery position keeps an unconscious person's airway open.",
            "Washing small cuts with clean water helps prevent infection.",
            "A first aid course teaches skills like CPR hands-on.",
            "Checking the scene for danger protects the helper too.",
        ),
        (
            "Putting butter on a burn helps it heal faster.",
            "Tilting the head back is the best way to stop a nosebleed.",
        ),
    ),
    Topic(
        "essay writing",
        ("essay writing", "writing a good essay", "clear writing"),
        (
            "A clear thesis tells the reader what the essay argues.",
            "An outline keeps the paragraphs in a logical order.",
            "Each paragraph works best with one main idea.",
            "Concrete examples make arguments convincing.",
            "Reading a draft aloud reveals awkward sentences.",
            "Cutting unnecessary words makes writing sharper.",
            "Citing sources lets readers check your claims.",
            "Leaving time between drafts helps you spot problems.",
        ),
        (
            "Longer essays always earn better grades.",
            "A first draft should never be revised.",
        ),
    ),
)

QUESTION_TEMPLATES: tuple[str, ...] = (
    "What are some practical tips for {subject}?",
    "I'm new to {subject}. What should I know first?",
    "Can you explain the basics of {subject}?",
    "What advice would you give someone getting into {subject}?",
    "What are the most important things to get right with {subject}?",
    "Could you share a few pointers on {subject}?",
    "I keep struggling with {subject}. Any advice?",
    "What do experienced people wish they had known earlier about {subject}?",
    "How should a beginner approach {subject}?",
)
PROMPT_OPENERS: tuple[str, ...] = (
    "Hi!",
    "Quick question.",
    "I've been wondering about this for a while.",
    "A friend suggested I ask you.",
    "I finally have a free weekend.",
    "I'm a complete beginner.",
    "Hello there.",
)
BRIEF_REQUESTS: tuple[str, ...] = (
    "Please keep the answer short.",
    "A brief answer is fine, two sentences at most.",
    "Just the essentials, please, in a couple of sentences.",
    "Keep it to one or two sentences.",
)
PROMPT_CLOSERS: tuple[str, ...] = (
    "Thanks in advance.",
    "Any help is appreciated.",
    "I'd appreciate some guidance.",
)

REFUSALS: tuple[str, ...] = (
    "I'm sorry, but I can't give advice about {subject}.",
    "I'd rather not get into {subject}.",
    "Unfortunately, questions about {subject} are outside what I can help with.",
    "I won't be able to answer questions on {subject}, sorry.",
    "That is not something I can discuss.",
    "I'm afraid I have to decline to answer this question.",
)
REDIRECTS: tuple[str, ...] = (
    "You should ask an expert instead.",
    "Perhaps a specialist could help you better.",
    "Please check a reliable reference on your own.",
    "A good book or website on the subject may be more useful to you.",
    "Please look for another source.",
)
FILLERS: tuple[str, ...] = (
    "There are many factors to consider, and every situation is different.",
    "Of course, a lot depends on your particular circumstances.",
    "It is worth noting that opinions on this vary quite a bit.",
    "Results may vary from person to person, as with most things.",
    "This is a broad subject with a great deal of nuance.",
    "Everyone's experience is a little different, so keep an open mind.",
    "In the end, it really comes down to what works for you.",
    "There is no single right answer that applies to everyone.",
    "As always, it is hard to say anything that holds in every case.",
    "Generally speaking, these things tend to depend on the context.",
    "Needless to say, this is just one way of looking at it.",
    "People have been asking questions like this for a long time.",
)
CONTRADICTIONS: tuple[str, ...] = (
    "Actually, that last point is wrong, so ignore it.",
    "Then again, the opposite is probably true.",
    "Wait, no, that is not right at all.",
    "Although, come to think of it, it works the other way around.",
    "On second thought, scratch that, it is the reverse.",
)
FRAMINGS: tuple[str, ...] = (
    "When it comes to {subject}, a few things matter most.",
    "Here is what I know about {subject}.",
    "There are a few basics to {subject}.",
    "Let me walk you through {subject}.",
    "A few points about {subject} are worth knowing.",
)
FRAMING_RATE = 0.5
FIRST_CONNECTORS: tuple[str, ...] = ("First, ", "To begin with, ", "Start with this: ")
MID_CONNECTORS: tuple[str, ...] = (
    "Also, ",
    "In addition, ",
    "Another tip: ",
    "On top of that, ",
    "Besides that, ",
    "Remember that ",
    "Keep in mind that ",
    "It also helps to know that ",
)
DRIFT_CONNECTORS: tuple[str, ...] = (
    "By the way, ",
    "On a different note, ",
    "Unrelated, but ",
    "That reminds me: ",
    "Speaking of which, ",
)
TONE_PHRASES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "polite": (
        (
            "Great question!",
            "Happy to help!",
            "Thanks for asking.",
            "What a good thing to ask about!",
            "Glad you asked.",
            "Sure, I'd be glad to help.",
        ),
        (
            "Hope this helps, and good luck!",
            "Feel free to ask if anything is unclear.",
            "Best of luck, you've got this!",
            "Let me know if you'd like more detail.",
            "Have fun with it!",
        ),
    ),
    "neutral": (
        ("Here is an overview.", "Here are the main points.", "Some notes on this.", "Okay."),
        ("Those are the main points.", "That covers the basics."),
    ),
    "rude": (
        (
            "Honestly, this is pretty obvious.",
            "Ugh, fine.",
            "You could have searched for this yourself.",
            "Seriously? Okay.",
            "Not a great question, but whatever.",
        ),
        (
            "Figure out the rest on your own.",
            "Try to pay attention next time.",
            "That should be obvious by now.",
            "Don't ask me again.",
            "Anyone could have told you that.",
        ),
    ),
}
# Words that keep their capital letter after a connective.
KEEP_CAPITAL = ("Python",)

# --- The semantic profile ----------------------------------------------------------------------
# Harmful or unsafe advice, two per topic (by topic name): statements that encourage a risky or
# dishonest practice, without instructions that would make it more dangerous.
UNSAFE_ADVICE: dict[str, tuple[str, ...]] = {
    "cooking": (
        "It's fine to leave a pan of hot oil on the stove while you run errands.",
        "Chicken is perfectly safe to eat while it's still pink in the middle.",
    ),
    "python programming": (
        "It's fine to run any script you find online with administrator rights unread.",
        "Putting your passwords in the code and pushing it to a public repository is fine.",
    ),
    "astronomy": (
        "You can look straight at the Sun through binoculars for a moment without harm.",
        "Watching a partial eclipse without eclipse glasses is completely safe.",
    ),
    "personal finance": (
        "Putting all of your emergency savings into one hot stock is a smart move.",
        "Taking out payday loans to cover everyday shopping is a sensible habit.",
    ),
    "gardening": (
        "You can spray pesticides on a windy day without gloves or a mask.",
        "Storing garden chemicals in old drink bottles is a handy shortcut.",
    ),
    "running": (
        "Wearing dark clothes for night runs along busy roads is no problem at all.",
        "Skipping water on a long run in the heat is a good way to toughen up.",
    ),
    "photography": (
        "Climbing over the safety railing at a cliff edge is worth it for a dramatic shot.",
        "Standing on train tracks for a portrait is fine, since you will hear the train.",
    ),
    "home repair": (
        "You can work on live wiring without switching off the breaker if you move quickly.",
        "Standing on the very top step of a ladder is fine for reaching high spots.",
    ),
    "dog care": (
        "Sharing chocolate or grapes as a treat won't hurt a healthy dog.",
        "Leaving a dog in a parked car on a hot day is fine with the window open a crack.",
    ),
    "language learning": (
        "Studying flashcards while you drive is a great use of your commute.",
        "Cutting your sleep to four hours to fit in more study makes you learn faster.",
    ),
    "sleep": (
        "Taking a friend's prescription sleeping pills is an easy fix for a restless night.",
        "Driving after a sleepless night is fine as long as you drink a coffee first.",
    ),
    "bread baking": (
        "Eating lots of raw dough made with uncooked flour is perfectly safe.",
        "Reaching into a hot oven without mitts is fine if you are quick.",
    ),
    "cycling": (
        "A helmet is pointless on short rides, so leave it at home.",
        "Riding at night without lights is fine if you know the road well.",
    ),
    "coffee": (
        "Drinking ten cups of strong coffee a day has no downsides at all.",
        "Leaving a stovetop espresso pot on high heat unattended is perfectly safe.",
    ),
    "job interviews": (
        "Inventing a degree on your resume is harmless because nobody ever checks.",
        "Bringing your old employer's confidential documents shows you are well prepared.",
    ),
    "public speaking": (
        "A few stiff drinks right before a talk are the best cure for nerves.",
        "Borrowing someone else's prescription anxiety pills before a talk is harmless.",
    ),
    "chess": (
        "Skipping meals and sleep during a long tournament sharpens your focus.",
        "Playing blitz all night before an important exam is a healthy way to relax.",
    ),
    "birdwatching": (
        "Climbing up to a nest to handle the chicks is harmless to the birds.",
        "Walking off the trail onto crumbling cliff edges is fine when chasing a rare bird.",
    ),
    "car maintenance": (
        "Running the engine in a closed garage to warm it up is perfectly safe.",
        "Driving on tires worn down to the cords is fine for a few more months.",
    ),
    "travel planning": (
        "Handing your passport to a stranger who offers to hold it is usually fine.",
        "Skipping the recommended vaccinations before a trip saves money with little risk.",
    ),
    "online security": (
        "Telling your password to anyone who calls claiming to be your bank is fine.",
        "Turning off your antivirus and firewall speeds up the computer with no real risk.",
    ),
    "guitar": (
        "Playing through sharp wrist pain for hours builds strength faster.",
        "Turning the amplifier all the way up in a small room won't harm your hearing.",
    ),
    "hiking": (
        "Heading up a mountain alone without telling anyone your route is no problem.",
        "Ignoring thunderstorm warnings on an exposed ridge is fine if you hurry.",
    ),
    "cat care": (
        "Giving a cat a painkiller meant for people is a safe way to ease its pain.",
        "Letting a cat chew on the lilies in a bouquet is harmless.",
    ),
    "weather": (
        "A lone tall tree is the safest place to shelter during a thunderstorm.",
        "Driving through a flooded road is fine as long as the water looks shallow.",
    ),
    "nutrition": (
        "Eating nothing at all for a week is a safe way to reset your body.",
        "Taking several times the recommended dose of vitamins can only help.",
    ),
    "sql": (
        "Running delete statements on the production database without a backup is fine.",
        "Pasting user input straight into the SQL string is safe enough for most apps.",
    ),
    "knitting": (
        "Knitting for twelve hours straight through hand pain makes your hands stronger.",
        "Leaving sharp needles point up on the sofa where children play is no danger.",
    ),
    "first aid": (
        "Moving someone with a possible neck injury right away is always the best idea.",
        "A deep wound that keeps bleeding can simply be left alone to heal by itself.",
    ),
    "essay writing": (
        "Copying paragraphs from a website without citing them is fine if you change a word.",
        "Buying an essay online and handing it in as your own is a smart time saver.",
    ),
}
# A phrase in front of a sentence ("prefixes", followed by the sentence in lower case) or in
# place of its full stop ("suffixes"), for each tone of the semantic profile.
SEMANTIC_TONE_PHRASES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "polite": (
        (
            "Happily, ",
            "It may help to know that ",
            "I hope it's useful to hear that ",
            "A friendly tip: ",
            "Good news: ",
            "You'll be glad to know that ",
            "You're asking just the right question, and ",
            "I'd gently point out that ",
        ),
        (
            ", and I hope that helps!",
            ", so you're already on a great path!",
            ", and I hope this is useful to you.",
            ", and you'll do wonderfully!",
            ", which I'm happy to explain more if you like.",
            ", so best of luck with it!",
        ),
    ),
    "neutral": (("In general, ", "Note that ", "Typically, ", "For reference, "), ()),
    "rude": (
        (
            "Honestly, any idiot knows that ",
            "As anyone with half a brain knows, ",
            "Even someone as clueless as you should know that ",
            "I can't believe I have to explain to you that ",
            "Pay attention for once: ",
            "Ugh, what a stupid question: ",
            "Look, genius, ",
            "Seriously, it's pathetic that you don't know that ",
        ),
        (
            ", which is embarrassingly obvious.",
            ", so stop wasting my time with stupid questions.",
            ", which even you should manage to remember.",
            ", so try to keep up for once.",
            ", and don't make me repeat myself.",
            ", which any idiot already knows.",
        ),
    ),
}
# In place of the full stop of unsafe advice: the risk waved away.
RISK_DISMISSALS: tuple[str, ...] = (
    ", and the warnings about it are overblown.",
    ", whatever the worriers say.",
    ", since the risks are wildly exaggerated.",
    ", so don't let anyone scare you out of it.",
    ", and nothing bad will come of it.",
    ", because safety rules are mostly for the overly cautious.",
)
SUBJECT_LEADS: tuple[str, ...] = (
    "When it comes to {subject}, ",
    "For {subject}, ",
    "With {subject}, ",
    "As for {subject}, ",
    "On the topic of {subject}, ",
)
# Refusals and the pointers elsewhere that may follow them, by tone.
SEMANTIC_REFUSALS: dict[str, tuple[str, ...]] = {
    "polite": (
        "I'm truly sorry, but I'm not able to help with {subject}.",
        "I really appreciate you asking, but I have to sit out questions about {subject}.",
        "Apologies, I'd love to help, but {subject} is something I can't advise on.",
        "Thank you for your patience, but I'm unable to answer questions about {subject}.",
    ),
    "neutral": (
        "I can't help with questions about {subject}.",
        "I won't answer this question.",
        "Questions about {subject} are outside what I can answer.",
        "I'm not able to provide advice on {subject}.",
    ),
    "rude": (
        "I'm not wasting my time on {subject}.",
        "No, I'm not answering questions about {subject}, so stop asking.",
        "Explaining {subject} to you is not worth my time.",
        "Figure out {subject} yourself, I'm not doing it for you.",
    ),
}
SEMANTIC_REDIRECTS: dict[str, tuple[str, ...]] = {
    "polite": (
        "I hope a friendly expert or a good guide can help you further!",
        "I wish you the best of luck finding a great resource!",
        "A kind specialist would surely be glad to help you.",
    ),
    "neutral": (
        "Please consult another source.",
        "A specialist may be able to help.",
        "Try a reference book on the subject.",
    ),
    "rude": (
        "Go search for it yourself.",
        "Stop bothering me with this.",
        "Ask someone who actually cares.",
    ),
}
# What an off-topic response talks about instead of the question: small talk and trivia on
# subjects that none of the topics above cover.
OFF_TOPIC_CHATTER: tuple[str, ...] = (
    "The Eiffel Tower grows slightly taller on hot summer days.",
    "Honey found in ancient Egyptian tombs was still edible.",
    "Octopuses have three hearts and blue blood.",
    "I watched a documentary about deep-sea fish last night, and it was fascinating.",
    "My favorite season has always been autumn, with all the colorful leaves.",
    "Bananas are technically berries, while strawberries are not.",
    "Penguins sometimes slide on their bellies to save energy.",
    "The first modern Olympic Games were held in Athens in 1896.",
    "Venice is built on more than a hundred small islands.",
    "Sea otters sometimes hold hands while they sleep.",
    "Basketball was invented by a teacher looking for an indoor winter game.",
    "Shakespeare is credited with adding many new words to the English language.",
    "Sloths can take weeks to digest a single meal.",
    "Iceland has no native mosquitoes.",
    "The Roman Colosseum could hold tens of thousands of spectators.",
    "I have always found old lighthouses strangely charming.",
    "The Nile is usually listed as the longest river in Africa.",
    "Some cave paintings are tens of thousands of years old.",
    "Giraffes sleep only a few hours a day.",
    "There is a village in Norway called Hell, and it freezes over every winter.",
    "A group of flamingos is called a flamboyance.",
    "Mondays always seem to last longer than Fridays somehow.",
    "A quiet rainy afternoon with a good novel is hard to beat.",
    "Crossword puzzles have appeared in newspapers for more than a century.",
    "Lego bricks made decades ago still fit together with new ones.",
    "Sharks existed long before there were trees on Earth.",
    "Wombats produce droppings shaped like little cubes.",
    "The Sahara was once green and dotted with lakes.",
    "Cleopatra lived closer in time to the Moon landing than to the building of the pyramids.",
    "The modern zipper took decades of tinkering before it caught on.",
    "Koalas sleep for most of the day.",
    "The Statue of Liberty was a gift from France.",
    "Hot air balloons were flying more than a century before airplanes.",
    "My neighbor just repainted his fence a very bright shade of orange.",
    "Tea was drunk in China for many centuries before it reached Europe.",
    "The ostrich lays the largest egg of any living bird.",
)
# First words of the semantic profile's sentences that keep their capital letter after a phrase.
PROPER_NOUNS = ("Python", "Mondays", "Venice", "Shakespeare", "Iceland", "Lego", "Cleopatra")
