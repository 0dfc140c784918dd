"""Groundswell: customer feedback from every source, answered in Slack with exact numbers and citations.

Every layer is imported under this one name (``groundswell.core``, ``groundswell.storage`` ...), so the project
never claims generic top-level names such as ``core`` or ``api`` in a user's environment. The layer folders
themselves stay at the repository's top level, as the design card lays them out; an installed wheel carries them
inside ``groundswell/`` (``[tool.setuptools] package-dir`` in pyproject.toml). In a source checkout this
package's search path also covers the checkout's root, so ``groundswell.core`` is ``<checkout>/core`` whether
or not the checkout is the one installed in the virtual environment.
"""

from __future__ import annotations

from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent
if (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "core" / "__init__.py").is_file():
    __path__.append(str(_CHECKOUT))
