"""Which of HubSpot's operations (from its OpenAPI specs) hubgraph serves.

The specs ship inside the package (``domain/data/specs``), so every install can answer;
``HUBGRAPH_SPECS_DIR`` names another folder instead, and if that folder holds no specs
the coverage says so (``specsFound: false``) instead of failing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from hubgraph.domain.specs import spec_files, specs_dir

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
OWN_PREFIX = "/_hubgraph"
_PARAMETER = re.compile(r"\{[^}]*\}")


@dataclass(frozen=True, slots=True)
class SpecOperation:
    spec: str
    method: str
    path: str
    operation_id: str | None
    summary: str | None


@dataclass(slots=True)
class Coverage:
    specs_dir: Path | None
    served: list[SpecOperation] = field(default_factory=list)
    missing: list[SpecOperation] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)
    """Our HubSpot-shaped routes that no spec lists (e.g. the SDK's older schema paths)."""

    def as_json(self) -> dict[str, object]:
        def operation(o: SpecOperation, served: bool) -> dict[str, object]:
            return {
                "spec": o.spec,
                "method": o.method,
                "path": o.path,
                "operationId": o.operation_id,
                "served": served,
            }

        operations = [operation(o, True) for o in self.served]
        operations += [operation(o, False) for o in self.missing]
        operations.sort(key=lambda o: (str(o["spec"]), str(o["path"]), str(o["method"])))
        return {
            "specsFound": self.specs_dir is not None,
            "served": len(self.served),
            "total": len(self.served) + len(self.missing),
            "operations": operations,
            "extraRoutes": [{"method": m, "path": p} for m, p in self.extra],
        }


def find_specs_dir(configured: str | None = None) -> Path | None:
    """``configured`` (HUBGRAPH_SPECS_DIR), else the packaged specs; None if it holds none."""
    directory = specs_dir(configured)
    return directory if spec_files(directory) else None


def load_operations(specs_dir: Path) -> list[SpecOperation]:
    found = []
    for spec_file in spec_files(specs_dir):
        spec = json.loads(spec_file.read_text())
        for path, item in spec.get("paths", {}).items():
            for method in HTTP_METHODS:
                if method in item:
                    op = item[method]
                    found.append(
                        SpecOperation(
                            spec_file.stem,
                            method.upper(),
                            path,
                            op.get("operationId"),
                            op.get("summary"),
                        )
                    )
    return found


def _shape(path: str) -> str:
    return _PARAMETER.sub("{}", path.rstrip("/"))


def coverage(routes: Iterable[tuple[str, str]], specs_dir: Path | None) -> Coverage:
    """``routes`` are the app's (method, path template) pairs."""
    ours = {(m.upper(), _shape(p)) for m, p in routes if not p.startswith(OWN_PREFIX)}
    ours = {(m, p) for m, p in ours if m.lower() in HTTP_METHODS}
    result = Coverage(specs_dir)
    operations = load_operations(specs_dir) if specs_dir is not None else []
    for op in operations:
        (result.served if (op.method, _shape(op.path)) in ours else result.missing).append(op)
    if specs_dir is not None:
        in_specs = {(op.method, _shape(op.path)) for op in operations}
        result.extra = sorted((m, p) for m, p in ours if (m, p) not in in_specs)
    return result


def markdown_table(result: Coverage) -> str:
    """The table ``docs/compat.md`` carries, one row per spec operation."""
    if result.specs_dir is None:
        return "_No HubSpot specs in `HUBGRAPH_SPECS_DIR`; no table generated._\n"
    rows = [(o, "yes") for o in result.served] + [(o, "—") for o in result.missing]
    rows.sort(key=lambda r: (r[0].spec, r[0].path, r[0].method))
    total = len(rows)
    lines = [
        f"{len(result.served)} of {total} operations in HubSpot's specs are served.",
        "",
        "| Spec | Method | Path | Served |",
        "|---|---|---|---|",
    ]
    lines += [f"| {o.spec} | {o.method} | `{o.path}` | {served} |" for o, served in rows]
    if result.extra:
        lines += ["", "Served, but in no spec (aliases HubSpot's SDKs still call):", ""]
        lines += [f"- {m} `{p}`" for m, p in result.extra]
    return "\n".join(lines) + "\n"
