import pytest
from groundswell.core.query import QueryPlan
from groundswell.graph.planner import plan_question

from tests.graph.conftest import AS_OF, VOCAB, ConceptEmbedder


def plan(question: str, **kw) -> QueryPlan:
    return plan_question(question, vocabulary=VOCAB, as_of=AS_OF, **kw)


@pytest.mark.parametrize(
    ("question", "key"),
    [
        ("how many signals about SSO login failures last week?", "auth.sso"),
        ("how many sso login failure complaints last week?", "auth.sso"),  # singular
        ("how many saml login signals last week?", "auth.sso"),  # alias
        ("how many signals about Checkout last week?", "checkout"),  # parent name: the whole subtree
        ("how many signals about pritner drivers last week?", "labels.drivers"),  # typo
        ("HOW MANY SIGNALS ABOUT COUPON CODES LAST WEEK", "checkout.coupons"),  # casing
        ("how many signals about email notifications last week?", "notify.email"),  # leaf beats parent
    ],
)
def test_themes_by_name_alias_parent_with_typos(question: str, key: str) -> None:
    assert plan(question).filters.themes == [key]


@pytest.mark.parametrize(
    ("phrase", "segment"),
    [
        ("enterprise", "Enterprise"),
        ("ent", "Enterprise"),
        ("mid-market", "Mid-Market"),
        ("midmarket", "Mid-Market"),
        ("MM", "Mid-Market"),
        ("SMB", "SMB"),
        ("small business", "SMB"),
    ],
)
def test_segments_with_their_usual_names(phrase: str, segment: str) -> None:
    assert plan(f"top 5 themes for {phrase} customers last 30 days").filters.segments == [segment]


@pytest.mark.parametrize(
    ("phrase", "source"),
    [
        ("google play reviews", "googleplay"),
        ("Play Store", "googleplay"),
        ("Gong calls", "gong"),
        ("Zendesk tickets", "zendesk"),
        ("Discourse", "discourse"),
        ("the community forum", "discourse"),
        ("intercom", "intercom"),
    ],
)
def test_sources_by_natural_names(phrase: str, source: str) -> None:
    assert plan(f"how many signals from {phrase} in the last 30 days?").filters.sources == [source]


def test_a_plan_needs_the_word_plan_and_a_segment_wins_otherwise() -> None:
    on_plan = plan("how many signals from customers on the Pro plan last week?")
    assert on_plan.filters.plans == ["Pro"] and on_plan.filters.segments == []
    assert plan("how many signals from enterprise last week").filters.segments == ["Enterprise"]


@pytest.mark.parametrize(
    ("question", "field", "value"),
    [
        ("how many churn-risk signals last week", "intents", "churn_risk"),
        ("how many bug reports last week", "intents", "bug_report"),
        ("top feature requests last week", "intents", "feature_request"),
        ("top feature asks last week", "intents", "feature_request"),
        ("what are customers praising? top 3 last week", "intents", "praise"),
        ("what do customers love? top 3 last week", "intents", "praise"),
        ("how many complaints last week", "intents", "complaint"),
        ("how many questions last week", "intents", "question"),
        ("how many negative signals last week", "sentiments", "negative"),
        ("how many frustrated customers last week", "sentiments", "negative"),
        ("which customers are complaining? last week", "sentiments", "negative"),
        ("how many critical-severity signals last week", "severities", "critical"),
    ],
)
def test_intents_sentiment_and_severity(question: str, field: str, value: str) -> None:
    assert getattr(plan(question).filters, field) == [value]


def test_complaining_about_asks_for_topics_not_a_filter() -> None:
    p = plan("What are enterprise customers complaining about most? Top 5, last 30 days")
    assert (p.kind, p.k, p.filters.segments, p.filters.sentiments, p.filters.intents) == (
        "ranking", 5, ["Enterprise"], [], []
    )  # fmt: skip


def test_accounts_by_name_and_renewals() -> None:
    p = plan("what does Northwind Traders say about coupon codes?")
    assert (p.kind, p.filters.accounts, p.filters.themes) == ("account", ["001A"], ["checkout.coupons"])
    assert plan("what does Globex say lately?").filters.accounts == ["001B"]  # legal suffix optional
    assert plan("how many signals from accounts renewing within 90 days").filters.renewing_within_days == 90


def test_a_longer_theme_name_beats_a_source_inside_it() -> None:
    sfdc = VOCAB.themes[5].model_copy(update={"key": "sync.sfdc", "name": "Salesforce sync errors", "aliases": []})
    vocab = VOCAB.model_copy(update={"sources": [*VOCAB.sources, "salesforce"], "themes": [*VOCAB.themes, sfdc]})
    p = plan_question("quotes about salesforce sync errors", vocabulary=vocab, as_of=AS_OF)
    assert p.filters.themes == ["sync.sfdc"] and p.filters.sources == []
    assert plan_question("how many salesforce signals?", vocabulary=vocab, as_of=AS_OF).filters.sources == [
        "salesforce"
    ]


def test_paraphrases_need_the_embedder() -> None:
    question = "how many problems with single sign-on last week?"
    without = plan(question)
    assert without.kind == "clarify" and "SSO login failures" in (without.clarification or "")
    with_embedder = plan(question, embedder=ConceptEmbedder())
    assert with_embedder.kind == "count" and with_embedder.filters.themes == ["auth.sso"]
    assert any("embedding" in note for note in with_embedder.notes)
