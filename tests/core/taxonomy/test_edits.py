"""Every edit yields the next version and a migration map; diff sees what changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from groundswell.core.taxonomy import (
    Migration,
    Proposal,
    TaxonomyError,
    ThemeDef,
    accept,
    compose,
    diff,
    load_taxonomy,
    merge,
    move,
    rename,
    retire,
    split,
)

TAX = load_taxonomy(Path(__file__).parent / "fixtures" / "tree.yaml")


def test_accept_adds_a_theme_under_the_suggested_or_chosen_parent() -> None:
    proposal = Proposal(
        "Webhook retries", "retries flood us", ("webhook", "retry"), ("webhooks retry forever",), "auth"
    )
    new, mig = accept(TAX, proposal)
    theme = new.get("auth.webhook_retries")
    assert new.version == 2 and mig.from_version == 1 and mig.to_version == 2 and mig.edit == "accept"
    assert theme.parent_key == "auth" and theme.owner_team == "Identity team" and theme.aliases == ("webhook", "retry")
    assert mig.mapping == {} and mig.targets("auth.sso") == ("auth.sso",)
    chosen, _ = accept(new, proposal, parent_key="export", name="Webhook retries")
    assert "export.webhook_retries" in chosen and "auth.webhook_retries_2" not in chosen
    again, _ = accept(new, proposal)
    assert "auth.webhook_retries_2" in again  # keys are never reused
    assert diff(TAX, new).added == ["auth.webhook_retries"]


def test_rename_keeps_the_key_and_remembers_the_old_name() -> None:
    new, mig = rename(TAX, "auth.sso", "Single sign-on")
    assert new.get("auth.sso").name == "Single sign-on" and "SSO login failures" in new.get("auth.sso").aliases
    assert mig.mapping == {} and mig.params["old_name"] == "SSO login failures"
    d = diff(TAX, new)
    assert d.renamed == [("auth.sso", "SSO login failures", "Single sign-on")] and not d.changed and not d.merged


def test_merge_retires_sources_and_maps_them_into_the_target() -> None:
    new, mig = merge(TAX, ["auth.mfa"], into="auth.sso")
    assert new.get("auth.mfa").status == "retired" and "Two-factor codes" in new.get("auth.sso").aliases
    assert mig.mapping == {"auth.mfa": ("auth.sso",)} and mig.targets("auth.mfa") == ("auth.sso",)
    assert diff(TAX, new).merged == [("auth.mfa", "auth.sso")] and not diff(TAX, new).changed
    parents, _ = merge(TAX, ["export"], into="auth")
    assert parents.get("export.csv").parent_key == "auth"  # children follow their merged parent
    with pytest.raises(TaxonomyError, match="own descendant"):
        merge(TAX, ["auth"], into="auth.sso")
    with pytest.raises(TaxonomyError, match="nothing to merge"):
        merge(TAX, ["auth.sso"], into="auth.sso")


def test_split_replaces_a_leaf_and_carries_example_hints() -> None:
    parts = [
        ThemeDef("export.csv_timeout", "CSV timeouts", examples=("export spins then times out",)),
        ThemeDef("export.csv_format", "CSV formatting", examples=("commas break the columns",)),
    ]
    new, mig = split(TAX, "export.csv", parts)
    assert new.get("export.csv").status == "retired"
    assert {t.parent_key for t in new.themes if t.key.startswith("export.csv_")} == {"export"}
    assert mig.targets("export.csv") == ("export.csv_timeout", "export.csv_format")
    assert mig.hints["export.csv_format"] == ("commas break the columns",)
    assert set(diff(TAX, new).added) == {"export.csv_timeout", "export.csv_format"}
    assert diff(TAX, new).retired == ["export.csv"]
    with pytest.raises(TaxonomyError, match="sub-themes"):
        split(TAX, "auth", parts)
    with pytest.raises(TaxonomyError, match="never reused"):
        split(TAX, "export.csv", [ThemeDef("auth.sso", "x"), ThemeDef("y", "y")])


def test_move_changes_the_parent_and_refuses_cycles() -> None:
    new, mig = move(TAX, "auth.mfa", "export")
    assert new.get("auth.mfa").parent_key == "export" and mig.mapping == {}
    assert diff(TAX, new).moved == [("auth.mfa", "auth", "export")]
    root, _ = move(TAX, "auth.mfa", None)
    assert root.depth("auth.mfa") == 0
    with pytest.raises(TaxonomyError, match="under itself"):
        move(TAX, "auth", "auth.sso")


def test_retire_sends_units_to_the_parent_and_keeps_the_key() -> None:
    new, mig = retire(TAX, "auth.mfa")
    assert new.get("auth.mfa").status == "retired" and mig.targets("auth.mfa") == ("auth",)
    assert diff(TAX, new).retired == ["auth.mfa"]
    with pytest.raises(TaxonomyError, match="active sub-themes"):
        retire(TAX, "auth")
    with pytest.raises(TaxonomyError, match="retired"):
        rename(new, "auth.mfa", "again")


def test_compose_chains_migrations_and_round_trips_as_dict() -> None:
    v2, m1 = merge(TAX, ["auth.mfa"], into="auth.sso")
    v3, m2 = split(v2, "auth.sso", [ThemeDef("auth.saml", "SAML"), ThemeDef("auth.oidc", "OIDC")])
    chained = compose([m1, m2])
    assert (chained.from_version, chained.to_version) == (1, 3) and v3.version == 3
    assert chained.targets("auth.mfa") == ("auth.saml", "auth.oidc")
    assert chained.targets("export.csv") == ("export.csv",)
    assert Migration.from_dict(chained.as_dict()).mapping == chained.mapping
    with pytest.raises(TaxonomyError, match="skip"):
        compose([m2, m1])


def test_diff_of_identical_versions_is_empty() -> None:
    assert diff(TAX, TAX).empty


def test_remap_follows_merges_and_flags_splits_for_review() -> None:
    from groundswell.core.taxonomy import remap_classification

    v2, m1 = merge(TAX, ["auth.mfa"], into="auth.sso")
    assert remap_classification("auth", "auth.mfa", m1, v2) == remap_classification("auth", "auth.sso", m1, v2)
    assert remap_classification("auth", "auth.mfa", m1, v2).subtheme_key == "auth.sso"
    moved, m_move = move(TAX, "auth.mfa", "export")
    assert remap_classification("auth", "auth.mfa", m_move, moved).theme_key == "export"
    v3, m2 = split(v2, "auth.sso", [ThemeDef("auth.saml", "SAML"), ThemeDef("auth.oidc", "OIDC")])
    flagged = remap_classification("auth", "auth.sso", m2, v3)
    assert flagged.needs_review and flagged.candidates == ("auth.saml", "auth.oidc") and flagged.theme_key is None
    assert remap_classification("export", None, m2, v3).theme_key == "export"
    assert remap_classification(None, None, m2, v3).theme_key is None
