"""Print the shell commands of README.md's "## Quick start" first code block, one a line.

CI runs them, so what the README promises a new user is what CI proves.
"""

from __future__ import annotations

import sys
from pathlib import Path


def quickstart_commands(readme: str) -> list[str]:
    lines = readme.splitlines()
    try:
        start = lines.index("## Quick start")
    except ValueError:
        raise SystemExit("README.md has no '## Quick start' section") from None
    block: list[str] | None = None
    for line in lines[start + 1 :]:
        if block is None and line.startswith("```"):
            block = []
        elif block is not None and line.startswith("```"):
            break
        elif block is not None and line.strip() and not line.lstrip().startswith("#"):
            block.append(line.strip())
    if not block or len(block) != 2:
        raise SystemExit("the Quick start's first code block must hold exactly two commands")
    return block


if __name__ == "__main__":
    for command in quickstart_commands(Path(sys.argv[1]).read_text(encoding="utf-8")):
        print(command)
