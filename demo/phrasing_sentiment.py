"""Phrases that make a unit's truth sentiment visible in its text.

An intent frame already expresses a sentiment (a complaint reads negative, praise positive, a question neutral);
when the sampled sentiment differs, the unit gets a lead or a tail from ``MARKERS`` so a reader can tell.
A neutral bug report opens calmly (``CALM_LEADS``) and never gets a frustrated severity tail.
"""

from __future__ import annotations

__all__ = ["CALM_LEADS", "FACTUAL_SEVERITY_TAILS", "FRAME_SENTIMENT", "MARKERS", "POSITIVE_CONTEXT"]

# The sentiment an intent's frames express on their own (intents not listed read neutral).
FRAME_SENTIMENT: dict[str, str] = {
    "bug_report": "negative",
    "complaint": "negative",
    "churn_risk": "negative",
    "praise": "positive",
}

# sentiment -> (leads, tails); a lead ends with a separator, a tail is a whole sentence.
MARKERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "positive": (
        (
            "We really love Brightloop, so just one thing:",
            "Huge fans of the product here!",
            "First off, great work on the last release!",
            "Loving the tool so far!",
            "You all have been amazing to work with.",
            "The app has been fantastic for us.",
            "Really enjoying Brightloop, thank you!",
        ),
        (
            "Love the product otherwise!",
            "You folks are great, thanks so much!",
            "Otherwise really happy with it.",
            "Keep up the great work!",
            "Honestly the best tool we use, thank you.",
            "Really appreciate all the recent improvements!",
            "Thanks, we're very happy customers.",
            "Great product, this would make it even better!",
        ),
    ),
    "negative": (
        (
            "Really frustrated right now.",
            "Honestly getting fed up with this.",
            "Pretty disappointed, to be honest.",
            "Ugh, this is so annoying.",
            "Not happy about this at all.",
            "This has been a terrible week with the app.",
            "I'm annoyed.",
        ),
        (
            "Really disappointing.",
            "Not a great look.",
            "Very frustrated here.",
            "This is getting really annoying.",
            "Honestly pretty upset about it.",
            "It's painful without it.",
            "Not happy with how this works at all.",
            "Terrible experience so far.",
            "We're losing patience.",
        ),
    ),
    "neutral": (
        ("For the record:", "Just noting this:", "FYI:", "For your tracker:"),
        ("Thanks.", "Let me know.", "Just flagging it.", "For your information."),
    ),
}

# Openers for a neutral bug report: a plain, unemotional report.
CALM_LEADS: tuple[str, ...] = (
    "No big deal, just flagging:",
    "Minor thing, no impact on us:",
    "Not a problem for us really, just noting that",
    "Purely for your tracker, no action needed on our side:",
    "Just an observation, it doesn't bother us:",
    "Low-key report, we're fine either way:",
)

# Severity tails without frustration words, for units that are not negative.
FACTUAL_SEVERITY_TAILS: dict[str, tuple[str, ...]] = {
    "critical": ("Flagging it as P1 on our side.", "It affects {users} today."),
    "high": ("It affects our whole team.", "Needs attention this week please."),
    "medium": ("Would appreciate a fix at some point.", "We have a workaround for now."),
    "low": ("No rush.", "Minor thing but worth knowing.", "Low priority on our side."),
}

# Context sentences that praise the product: only beside positive units.
POSITIVE_CONTEXT: tuple[str, ...] = ("For what it's worth, we love the product.",)
