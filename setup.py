"""Installs every layer folder as ``groundswell.<layer>``; the folders stay at the top level (groundswell/__init__.py).

The rest of the project's metadata is in pyproject.toml; this file only computes the package list, which
pyproject.toml cannot express for folders that are renamed on install.
"""

from setuptools import find_packages, setup

LAYERS = ("core", "storage", "connectors", "embeddings", "llm", "messaging", "graph", "jobs", "bot", "surfaces")
LAYERS += ("api", "cli", "demo")

packages = ["groundswell"]
package_dir = {"groundswell": "groundswell"}
for layer in LAYERS:
    package_dir[f"groundswell.{layer}"] = layer
    packages += [f"groundswell.{name}" for name in find_packages(include=[layer, f"{layer}.*"])]

setup(packages=packages, package_dir=package_dir)
