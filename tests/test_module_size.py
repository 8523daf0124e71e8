"""No module of ZoneOS grows past 600 lines: a module that does is doing several things, and the next
change to one of them is a change to all (split it into a package, as appeals/services is)."""

from pathlib import Path

LIMIT = 600
ROOT = Path(__file__).resolve().parents[1] / "zoneos"


def test_no_module_is_over_600_lines():
    sizes = {
        str(path.relative_to(ROOT.parent)): len(path.read_text(encoding="utf-8").splitlines())
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts
    }
    assert len(sizes) > 100  # the walk found the code
    over = {name: lines for name, lines in sizes.items() if lines > LIMIT}
    assert not over, f"modules over {LIMIT} lines: {over}"
