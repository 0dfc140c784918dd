"""How an intent, a sentiment and a severity wrap a theme's core statement.

``{core}`` is a ``says`` line, ``{ask}`` an ``asks`` line (already slot-filled), ``{topic}`` the theme's name.
Every frame's text must express its intent on its own: a question frame asks, a complaint frame complains about
the handling rather than describing a defect, an "other" frame has nothing to act on.
"""

from __future__ import annotations

import re

# intent -> frames; a frame uses either {core} or {ask}
FRAMES: dict[str, tuple[str, ...]] = {
    "bug_report": (
        "{core}.",
        "{core}. Can you take a look?",
        "Bug: {core}.",
        "Not sure if it's just us, but {core}.",
        "Reporting an issue: {core}.",
        "Heads up, {core}.",
        "{core}. Screenshots attached.",
        "So {core}. Tried another browser, same thing.",
        "{core}. Cleared cache, no luck.",
        "Looks like {core}.",
        "We noticed {core}.",
        "{core}. Happens on every account we tried.",
    ),
    # a complaint is dissatisfaction with how the product or company treats the customer, not a defect report:
    # it names the theme ({topic}) and says what is wrong with the handling, price or experience
    "complaint": (
        "Honestly, we've raised {topic} three times and nobody follows up. This is really frustrating.",
        "{topic} again, at the prices we pay. Not acceptable.",
        "Again?! Still no answer from your team about {topic}.",
        "Love how our ticket about {topic} got closed without a reply. Really great experience, thanks.",
        "Another week, another excuse about {topic}. You keep promising and never deliver.",
        "I'm so tired of chasing your support about {topic}.",
        "{topic} has been a mess for months, and nobody seems to care.",
        "Seriously, how is {topic} still a thing after all these releases?",
        "Wow. Your agent closed our {topic} ticket without fixing anything. Just wow.",
        "The way you handled {topic} is disappointing, this has been going on way too long.",
        "Fantastic, {topic} again. Exactly what we needed this quarter.",
    ),
    "churn_risk": (
        "{core}. If this isn't fixed before our renewal we'll have to look at {competitor}.",
        "{core}. We're seriously evaluating {competitor} now.",
        "{core}, and my leadership is asking whether we should keep Brightloop at all.",
        "This is the last straw: {core}. We'll likely cancel at renewal.",
        "{core}. Our renewal is coming up and this is going to be a hard conversation.",
        "To be blunt, {core}. We're already trialing {competitor}.",
        "{core}. I can't defend this tool internally anymore.",
    ),
    "question": (
        "{ask}?",
        "Quick question: {ask}?",
        "Hey, {ask}?",
        "Does anyone know, {ask}?",
        "Wondering, {ask}?",
        "Hi! {ask}?",
        "Sorry if this is obvious, but {ask}?",
    ),
    "feature_request": (
        "{ask}.",
        "Feature request: {ask}.",
        "{ask}? That would make a big difference for us.",
        "Would love this: {ask}.",
        "+1 to this: {ask}.",
        "Suggestion: {ask}.",
        "Our team keeps asking, {ask}?",
        "Small wish: {ask}.",
        "{ask}? We'd use it daily.",
    ),
    "praise": (
        "{core}!",
        "Just wanted to say {core}.",
        "{core}. Keep it up!",
        "10/10, {core}.",
        "{core}. Thank you!",
        "Honestly {core}.",
        "{core} 🙌",
        "Big fan. {core}.",
    ),
    # "other": follow-ups, hand-overs and closing the loop on a theme ({topic}), with nothing to act on
    "other": (
        "FYI I forwarded the notes on {topic} to {colleague}.",
        "Thanks, that answers it for {topic}, nothing more needed from us.",
        "Just closing the loop on {topic}, you can mark this as done.",
        "Passing along from {colleague}: they'll be our contact for {topic} going forward.",
        "Noting for the record that we went over {topic} on our {weekday} call.",
        "Sounds good, let's pick up {topic} on {weekday}.",
    ),
}

# An ``asks`` line that is itself a request ("please add ...", "could you support ..."); the others are questions.
REQUEST_ASK = re.compile(
    r"^(?:please|could you|can you|would you|add|let|allow|support|give|make|we need|i'?d|it would|bring|offer|"
    r"show|provide|any plans|(?:can|could) the|can we get|could we|would it be possible|would love|"
    r".* on the roadmap)\b",
    re.IGNORECASE,
)
# Questions for a theme whose ``asks`` are all requests ({topic} = the theme's name or an alias).
TOPIC_QUESTIONS: tuple[str, ...] = (
    "is {topic} available on our plan",
    "where do I find the settings for {topic}",
    "how does {topic} work for admins",
    "does {topic} need anything set up on our side",
)
# feature_request frames that say "this is a request" themselves, so they may wrap a question-shaped ask
LABELLED_REQUEST_FRAMES: tuple[str, ...] = (
    "Feature request: {ask}.",
    "Would love this: {ask}.",
    "+1 to this: {ask}.",
    "Suggestion: {ask}.",
    "Small wish: {ask}.",
)

SEVERITY_TAILS: dict[str, tuple[str, ...]] = {
    "critical": (
        "This is blocking {users} right now.",
        "Production is down for us.",
        "P1 please, payroll runs tonight.",
        "We have a board meeting tomorrow and can't get the numbers.",
        "Our whole operation is stuck.",
    ),
    "high": (
        "This is impacting our whole team.",
        "Needs attention this week please.",
        "It's hurting us daily.",
        "Customers are noticing.",
    ),
    "medium": ("Would appreciate a fix soon.", "Annoying but we can work around it for now."),
    "low": ("No rush.", "Minor thing but worth knowing.", "Low priority on our side."),
}

SENTIMENT_TAILS: dict[str, tuple[str, ...]] = {
    "positive": ("Love the product otherwise!", "You folks are great, just flagging.", "Otherwise really happy."),
    "negative": ("Really disappointing.", "Not a great look.", "Very frustrated here."),
    "neutral": ("Thanks.", "Let me know."),
}

MIX_CONNECTORS: tuple[str, ...] = (
    "Also:",
    "Separate thing:",
    "One more thing,",
    "Unrelated, but worth flagging:",
    "While I have you:",
    "PS:",
    "Oh and",
    "On another note,",
)

SLANG: tuple[str, ...] = ("tbh", "ngl", "smh", "lol", "fwiw", "imo", "rn", "pls", "fr")

# Theme-neutral context sentences, added before or after a signal for lexical variety.
CONTEXT: tuple[str, ...] = (
    "We're a team of {users}.",
    "We use Brightloop mostly for {workflow} workflows.",
    "This came up in our {weekday} standup.",
    "{colleague} flagged it first.",
    "Noticed it {when}.",
    "Been a customer since {month} last year.",
    "Not sure who owns this on your side.",
    "Context: we rolled out to {colleague} in {month}.",
    "Happy to jump on a call.",
    "Our admin asked me to write in.",
    "Writing on behalf of {colleague}.",
    "For what it's worth, we love the product.",
    "Asking for {colleague}.",
    "We're mid-migration from {competitor}.",
    "Workspace is the main production one.",
)
PRAISE_CONTEXT: tuple[str, ...] = (
    "We rolled it out to {users} in {month}.",
    "Been using it since {month}.",
    "{colleague} agree, for the record.",
    "Coming from {competitor}, this is a breath of fresh air.",
    "Seriously impressed.",
    "Renewing without a second thought.",
    "Telling everyone I know about it.",
    "Best tool purchase we made this year.",
    "The team actually asked for more licenses.",
    "Five stars from our ops crew.",
)
