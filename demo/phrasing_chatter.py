"""Non-signal text: greetings, sign-offs, agent/bot/rep lines, internal notes, small talk.

None of this is customer feedback; it must never appear in truth units.
"""

from __future__ import annotations

GREETINGS: tuple[str, ...] = (
    "Hi team,",
    "Hello,",
    "Hey there,",
    "Hi Brightloop support,",
    "Good morning,",
    "Hi all,",
    "Hey,",
    "Hello team,",
)
SIGNOFFS: tuple[str, ...] = (
    "Thanks,\n{first}",
    "Cheers,\n{first}",
    "Best regards,\n{full}\n{title} | {company}",
    "Thanks in advance!\n{first}",
    "Regards,\n{full}",
    "Thx,\n{first}",
    "--\n{full}\n{company}",
)
CHAT_SIGNOFFS: tuple[str, ...] = ("thanks!", "thx", "Thanks, {first}", "cheers", "")
FOLLOWUPS: tuple[str, ...] = (
    "Thanks, that worked!",
    "Great, thank you!",
    "Any update on this?",
    "Attaching a screenshot now.",
    "Ok, will try that and get back to you.",
    "Perfect, you can close this.",
    "Thank you so much!",
    "Got it, thanks.",
    "Sounds good.",
    "Just checking in on this one.",
)
AGENT_REPLIES: tuple[str, ...] = (
    "Hi {first}, thanks for reaching out! I'm looking into this now and will get back to you shortly.",
    "Hi {first},\n\nThanks for the details. I've passed this to our {team} and will update you as soon as I hear back."
    "\n\nBest,\n{agent}\nBrightloop Support",
    "Hello {first}, sorry for the trouble! Could you send us your workspace ID and a screenshot?"
    "\n\n{agent} | Brightloop",
    "Hi {first}, thanks for your patience. Our engineers have identified the cause and a fix is rolling out.\n\n"
    "Kind regards,\n{agent}",
    "Thanks {first}! I've logged this as a feature request with the product team."
    "\n\n{agent}\nCustomer Support, Brightloop",
    "Hi {first}, happy to help. Here's the article that walks through it: https://help.brightloop.io/articles/{n}",
)
PRAISE_REPLIES: tuple[str, ...] = (
    "Thanks so much, {first}! I'll share this with the whole team, it made our day.\n\n{agent}",
    "Hi {first}, that's lovely to hear. Passing it along to the team!\n\nCheers,\n{agent}\nBrightloop Support",
)
INTERNAL_NOTES: tuple[str, ...] = (
    "Escalated to {team}, see BL-{n}.",
    "Customer is on {plan}. Handle with care, renewal soon.",
    "Repro'd on staging, linked to JIRA BL-{n}.",
    "Known issue, macro applied.",
    "Asked CSM to follow up.",
    "Duplicate of an earlier ticket from the same org, merging.",
    "Needs eng input, pinged #support-eng.",
)
BOT_LINES: tuple[str, ...] = (
    "Hi there 👋 I'm Fin, Brightloop's AI assistant. How can I help?",
    "I found a few articles that might help: https://help.brightloop.io/articles/{n}",
    "A human teammate will be with you shortly. We typically reply in a few minutes.",
    "Was that helpful? Reply 'yes' or 'talk to a person'.",
)
ADMIN_CHAT: tuple[str, ...] = (
    "Hi {first}! Thanks for the message, checking this for you now.",
    "Thanks {first}, I've shared this with our {team}. I'll update you here.",
    "Got it! Could you tell me which workspace this is in?",
    "Sorry about that {first}, we're on it.",
    "Thanks for the feedback, I've passed it to the product team 🙏",
)
REP_LINES: tuple[str, ...] = (
    "Thanks everyone for joining today.",
    "Let me share my screen.",
    "Can everyone see my screen?",
    "Great, let's look at the agenda.",
    "I'll follow up with a recap email.",
    "How's the rollout going on your side?",
    "Any other topics before we wrap up?",
    "That's really helpful context, thank you.",
    "Let me loop in our product team on that.",
    "I'll take that back to engineering.",
)
CUSTOMER_SMALLTALK: tuple[str, ...] = (
    "Yeah, sounds good.",
    "Sorry, I was on mute.",
    "Can you hear me now?",
    "We're good on our side.",
    "Yep, I can see it.",
    "Thanks for setting this up.",
    "Great, talk soon.",
    "Morning everyone.",
)
STAFF_POSTS: tuple[str, ...] = (
    "Thanks for the report! We've logged this with the team.",
    "Hi @{user}, this is on our roadmap. No ETA yet but I'll update this thread.",
    "Could you DM me your workspace id so we can take a look?",
    "Good news: a fix for this shipped today. Let us know if you still see it.",
    "Thanks for the suggestion! Adding it to our feature request tracker.",
)
COMMUNITY_CHATTER: tuple[str, ...] = (
    "Thanks, that worked for me!",
    "Following this thread.",
    "Any news here?",
    "Bumping this.",
    "Same question.",
)
SURVEY_EMPTY: tuple[str, ...] = ("n/a", "-", "nothing to add", "no comment", "ok", "NA")
REVIEW_DEV_REPLIES: tuple[str, ...] = (
    "Hi, sorry for the trouble! Please contact support@brightloop.io so we can help.",
    "Thanks for the review! We're glad Brightloop helps your team.",
    "Thanks for reporting this. A fix is included in the next update.",
)
