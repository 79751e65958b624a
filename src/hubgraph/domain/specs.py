"""HubSpot's published OpenAPI specs, shipped inside the package (``domain/data/specs/``).

The coverage table (``GET /_hubgraph/compat``, ``scripts/compat-table``) and the contract
tests read them, so they work in every install and every clone. ``HUBGRAPH_SPECS_DIR``
names another folder of specs (e.g. newer downloads of HubSpot's) to use instead.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

SPECS_DIR_VARIABLE = "HUBGRAPH_SPECS_DIR"


def packaged_specs_dir() -> Path:
    # An installed package is a folder on disk (pip never installs hubgraph zipped).
    return Path(str(files("hubgraph.domain").joinpath("data/specs")))


def specs_dir(override: str | None = None) -> Path:
    """``override`` (the value of HUBGRAPH_SPECS_DIR) when set, else the packaged specs."""
    return Path(override) if override else packaged_specs_dir()


def spec_files(directory: Path) -> list[Path]:
    """The specs in ``directory``, by name; none when it is not a folder."""
    return sorted(directory.glob("*.json")) if directory.is_dir() else []


def missing_specs_reason(directory: Path, names: tuple[str, ...]) -> str | None:
    """Why ``names`` cannot be read from ``directory``, said so a user can fix it; else None."""
    missing = [n for n in names if not (directory / n).is_file()]
    if not missing:
        return None
    if directory == packaged_specs_dir():
        return (
            f"HubSpot's specs {', '.join(missing)} are missing from the package ({directory}): "
            "reinstall hubgraph (`scripts/install dev`, or `pip install .`) to restore them"
        )
    return (
        f"{SPECS_DIR_VARIABLE}={directory} holds no {', '.join(missing)}: point it at a folder "
        "of HubSpot's specs, or unset it to use the ones shipped in the package"
    )
