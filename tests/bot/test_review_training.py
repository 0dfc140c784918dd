"""Labels given in Slack train the next fit: the runtime's offline classifier reads them (the same training path
as CLI labels), and the reclassify job relabels the units classified before them."""

from __future__ import annotations

from pathlib import Path

from groundswell.bot.simulate import view_state
from groundswell.jobs.classify import reclassify_stale
from groundswell.messaging.ids import ACTION_REVIEW_CONFIRM, ACTION_REVIEW_THEME
from groundswell.storage.db import session_scope
from groundswell.storage.models import Classification

from groundswell.runtime import Runtime
from groundswell.settings import Settings
from tests.bot.conftest import make_settings, open_workspace
from tests.bot.review_data import REVIEWER, review_roles, seed_review
from tests.core.classify.toy import HashingEmbedder
from tests.fakes.slack_api import SpecCheckedSlack

NONSENSE = "zzq wibble frobnicator"


def test_slack_labels_are_read_by_the_next_fit_and_reclassification(slack_api: SpecCheckedSlack, tmp_path: Path):
    runtime = Runtime(Settings(_env_file=None, data_dir=tmp_path))
    runtime.__dict__["embedder"] = HashingEmbedder()
    seed_review(runtime.engine, {f"u-{i}": NONSENSE for i in range(1, 5)})
    before = runtime.fit_unit_classifier()
    assert before is not None and before.classify([NONSENSE])[0].subtheme_key != "export.xlsx"

    settings = make_settings(slack_api, data_dir=tmp_path, **review_roles(slack_review_page_size=3))
    with open_workspace(slack_api, runtime.engine, tmp_path, settings=settings) as ws:
        ws.send(ws.sim.home_opened(user=REVIEWER))
        view = ws.fake.calls_to("views.publish")[-1].args["view"]
        for uid in ("u-1", "u-2", "u-3"):
            element, block_id = ws.button(view["blocks"], f"{ACTION_REVIEW_CONFIRM}:{uid}")
            state = view_state(view, {f"{ACTION_REVIEW_THEME}:{uid}": "export.xlsx"})
            ws.send(ws.sim.block_action(element, user=REVIEWER, channel="", view=view, block_id=block_id, state=state))

    after = runtime.fit_unit_classifier()
    assert after is not None and after.classify([NONSENSE])[0].subtheme_key == "export.xlsx"
    assert reclassify_stale(engine=runtime.engine, classifier=after) >= 1
    with session_scope(runtime.engine) as session:
        unreviewed = session.get(Classification, ("u-4", 1))
        reviewed = session.get(Classification, ("u-1", 1))
    assert unreviewed is not None and unreviewed.subtheme_key == "export.xlsx" and unreviewed.classifier != "human"
    assert reviewed is not None and reviewed.classifier == "human"
