import json

from groundswell.cli.main import app
from typer.testing import CliRunner

DIALOGUES = [
    {
        "id": "d1",
        "turns": [
            {"speaker": "customer", "text": "I can't log in to my account since yesterday."},
            {"speaker": "agent", "text": "Thanks for reaching out! Could you confirm the email on the account?"},
            {"speaker": "system_action", "text": "Account has been pulled up for Jo."},
        ],
    },
    {
        "id": "d2",
        "turns": [
            {"speaker": "agent", "text": "Hi, how can I help you today?"},
            {"speaker": "customer", "text": "My invoice shows the wrong amount, I was charged twice."},
            {"speaker": "customer", "text": ""},
        ],
    },
]


def _dataset(tmp_path):
    path = tmp_path / "dialogues.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in DIALOGUES) + "\n\n", encoding="utf-8")
    return path


def test_eval_speakers_json_prints_one_object_with_stable_keys(tmp_path):
    result = CliRunner().invoke(app, ["eval", "speakers", "--dataset", str(_dataset(tmp_path)), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"accuracy", "per_role", "turns", "dialogues", "seconds"} <= set(data)
    assert (data["turns"], data["dialogues"]) == (5, 2)
    assert data["accuracy"] == 1.0
    assert data["per_role"]["customer"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 2}
    assert data["per_role"]["agent"]["support"] == 3
    assert set(data["variants"]) == {"independent_turns", "speaker_keys"}


def test_eval_speakers_text_output_and_missing_file(tmp_path):
    result = CliRunner().invoke(app, ["eval", "speakers", "--dataset", str(_dataset(tmp_path))])
    assert result.exit_code == 0 and "independent_turns: accuracy 1.000" in result.stdout
    missing = CliRunner().invoke(app, ["eval", "speakers", "--dataset", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code != 0
