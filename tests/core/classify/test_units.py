import pytest
from groundswell.core.classify.units import UnitClassifier, training_examples
from groundswell.core.taxonomy import Taxonomy, ThemeDef

from tests.core.classify.toy import HashingEmbedder

THEMES = (
    ThemeDef("export", "Data export", description="Getting data out"),
    ThemeDef(
        "export.csv", "CSV export timeouts", "export", "CSV exports time out or stall", ("csv export", "download stuck")
    ),
    ThemeDef("export.xlsx", "Excel formatting", "export", "xlsx exports mangle dates and numbers", ("excel dates",)),
    ThemeDef("auth", "Authentication", description="Signing in"),
    ThemeDef("auth.sso", "SSO login failures", "auth", "single sign-on SAML login loops", ("okta login", "saml error")),
    ThemeDef("auth.mfa", "Two-factor codes", "auth", "verification codes never arrive", ("2fa code", "authenticator")),
    ThemeDef("old", "Retired theme", description="gone", status="retired"),
)


def test_training_examples_are_leaves_with_their_own_words():
    texts, labels = training_examples(Taxonomy(1, THEMES))
    assert set(labels) == {"export.csv", "export.xlsx", "auth.sso", "auth.mfa"}
    assert ("okta login", "auth.sso") in set(zip(texts, labels, strict=True))


def test_units_get_parent_theme_leaf_subtheme_signals_and_review_flags():
    classifier = UnitClassifier(Taxonomy(1, THEMES), HashingEmbedder())
    texts = ["the csv export download is stuck again", "saml error on okta login", ""]
    results = classifier.classify(texts)
    assert len(results) == 3
    for result, theme in zip(results, classifier.themes.predict(texts), strict=True):
        assert result.sentiment in {"negative", "neutral", "positive"}
        assert set(result.confidence) == {"theme", "sentiment", "intent", "severity"}
        low = result.confidence["theme"] < classifier.review_below
        assert result.needs_review == (low or classifier.near_floor(theme))
        if result.subtheme_key is not None:
            assert result.theme_key == classifier.taxonomy.get(result.subtheme_key).parent_key


def test_a_taxonomy_with_one_leaf_is_refused_clearly():
    with pytest.raises(ValueError, match="fewer than two leaf themes"):
        UnitClassifier(Taxonomy(3, THEMES[:2]), HashingEmbedder())


def test_reviewed_examples_join_the_training_set_when_their_key_is_a_live_leaf():
    reviewed = [
        ("invoices show the wrong currency", "auth.mfa"),
        ("stale", "old"),
        ("parent", "auth"),
        ("  ", "auth.sso"),
    ]
    texts, labels = training_examples(Taxonomy(1, THEMES), reviewed)
    pairs = set(zip(texts, labels, strict=True))
    assert ("invoices show the wrong currency", "auth.mfa") in pairs
    assert not {"old", "auth"} & set(labels) and len(texts) == len(training_examples(Taxonomy(1, THEMES))[0]) + 1


def test_a_reviewed_example_changes_what_the_classifier_learns():
    text = "zzq wibble frobnicator"
    plain = UnitClassifier(Taxonomy(1, THEMES), HashingEmbedder())
    taught = UnitClassifier(Taxonomy(1, THEMES), HashingEmbedder(), reviewed=[(text, "export.xlsx")] * 3)
    assert taught.classify([text])[0].subtheme_key == "export.xlsx"
    assert plain.classify([text])[0].subtheme_key != "export.xlsx"


def test_reviewed_other_labels_are_kept_as_unknown_examples():
    texts, labels = training_examples(Taxonomy(1, THEMES), [("the football match is at eight", "other")])
    assert ("the football match is at eight", "other") in set(zip(texts, labels, strict=True))


def test_a_few_reviewed_other_units_teach_other_for_near_identical_texts():
    sports = [f"the football match tonight at eight, team {t} plays" for t in ("red", "blue", "green", "gold")]
    plain = UnitClassifier(Taxonomy(1, THEMES), HashingEmbedder())
    taught = UnitClassifier(Taxonomy(1, THEMES), HashingEmbedder(), reviewed=[(t, "other") for t in sports])
    probe = "the football match tonight at eight, team black plays"
    before, after = plain.classify([probe])[0], taught.classify([probe])[0]
    assert after.theme_key is None  # other
    assert before.theme_key is not None or after.confidence["theme"] > before.confidence["theme"]
    assert taught.classify(["saml error on okta login again"])[0].subtheme_key == "auth.sso"  # knowns still known


def test_choose_picks_among_candidates_and_sends_ties_to_review():
    classifier = UnitClassifier(Taxonomy(1, THEMES), HashingEmbedder())
    sso, mfa, tie = classifier.choose(
        ["saml error on okta login", "the 2fa code from my authenticator never arrives", "zzq"],
        [("auth.sso", "auth.mfa")] * 3,
    )
    assert (sso.theme_key, sso.subtheme_key, sso.needs_review) == ("auth", "auth.sso", False)
    assert (mfa.subtheme_key, mfa.needs_review) == ("auth.mfa", False)
    assert dict(sso.scores).keys() == {"auth.sso", "auth.mfa"} and sum(dict(sso.scores).values()) == pytest.approx(1)
    assert sso.confidence == max(dict(sso.scores).values())
    assert tie.needs_review and tie.confidence is not None and tie.confidence < 0.6  # a near tie: review
    # a parent candidate stands for its leaves; no candidates = free classification
    (parent,) = classifier.choose(["csv export download stuck"], [("export",)])
    assert parent.subtheme_key in set(parent.candidates) == {"export.csv", "export.xlsx"}
    (free,) = classifier.choose(["saml error on okta login"], [()])
    assert free.subtheme_key == "auth.sso" and free.candidates == ()
    (gone,) = classifier.choose(["anything"], [("old",)])
    assert gone.leaf is None and gone.needs_review


ODD = [
    "",
    "   ",
    "ok",
    "🙂🔥🚀👎🏽👨‍👩‍👧",
    "def f(x):\n    return {k: v for k, v in x.items()}  # TODO",
    "Die Anmeldung über SSO funktioniert seit gestern nicht mehr",
    "ログインできません",
    "SELECT * FROM users; DROP TABLE invoices; --",
    "word " * 20_000,
]


def test_odd_units_get_a_label_or_other_with_low_confidence_never_a_crash():
    classifier = UnitClassifier(Taxonomy(1, THEMES), HashingEmbedder())
    results = classifier.classify(ODD)
    assert len(results) == len(ODD)
    for text, result in zip(ODD, results, strict=True):
        assert result.theme_key is None or result.confidence["theme"] < 0.9, text[:40]
        assert result.sentiment in {"negative", "neutral", "positive"} and result.intent and result.severity
        assert all(0.0 <= v <= 1.0 for v in result.confidence.values())
    assert len(classifier.choose(ODD, [("auth.sso", "auth.mfa")] * len(ODD))) == len(ODD)
