"""The repository cites only itself: no tracked file refers to a file outside it.

Flags a sibling folder (`../shared`), an absolute path under /work (where a checkout happens to
live on one machine), and an `api.md` other than the project's own guide, docs/api.md.
Run by `make lint`: `python -m tools.self_contained` prints each finding and exits 1 if there is one.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This file and its test name the patterns they look for; they are the only files allowed to.
EXEMPT = {"tools/self_contained.py", "tests/test_self_contained.py"}
_API_GUIDE = "docs/api.md"
RULES = [
    ("a folder beside the repository", re.compile(r"\.\./+shared\b")),
    ("an absolute path of one machine", re.compile(r"(?<![\w./~-])/work(?:/|\b)")),
    # Any path ending in api.md (bare, or in another folder): only the guide itself may be cited.
    ("an api.md other than docs/api.md", re.compile(r"(?<![\w.-])/?(?:[\w.-]+/)*api\.md\b")),
]


def tracked_files(root: Path = ROOT) -> list[str]:
    """The files git tracks, as paths relative to ``root``."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True)
    return [name for name in listed.stdout.decode("utf-8", "surrogateescape").split("\0") if name]


def findings_in(text: str) -> list[tuple[int, str, str]]:
    """(line number, what, the text found) for every outside reference in ``text``."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for what, pattern in RULES:
            for match in pattern.finditer(line):
                cited = match.group(0)
                if what.startswith("an api.md") and (cited == _API_GUIDE or cited.endswith("/" + _API_GUIDE)):
                    continue
                found.append((number, what, cited))
    return found


def outside_references(root: Path = ROOT) -> list[str]:
    """One line per finding in every tracked text file: ``path:line: what (text)``."""
    report = []
    for name in tracked_files(root):
        path = root / name
        if name in EXEMPT or not path.is_file():
            continue
        data = path.read_bytes()
        if b"\0" in data:  # images and other binaries
            continue
        text = data.decode("utf-8", "replace")
        report += [f"{name}:{number}: {what} ({cited})" for number, what, cited in findings_in(text)]
    return report


def main() -> int:
    report = outside_references()
    for line in report:
        print(line)
    if report:
        print(f"{len(report)} reference(s) to files outside the repository: cite docs/api.md or the OpenAPI document")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
