"""The user guide's table of an appeal's steps is written for people, but it is checked against the one
table the platform runs (`APPEAL_WORKFLOW`): the same steps, with the same inputs."""

import re
from pathlib import Path

from zoneos.appeals.services import APPEAL_WORKFLOW

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "user-guide.md"


def guide_steps() -> dict[str, set[str]]:
    """step -> the inputs the guide names for it, read from the first column of the steps table."""
    text = GUIDE.read_text(encoding="utf-8")
    table = text[text.index("| step | from | to | who |") :].split("\n\n", 1)[0]
    steps: dict[str, set[str]] = {}
    for row in table.splitlines()[2:]:
        first = row.split("|")[1]
        for part in first.split(" / "):
            names = re.findall(r"`([a-z_]+)`", part)
            inputs = re.findall(r"`\{([^}]*)\}`", part)
            for name in names:
                steps[name] = {i.strip() for i in inputs[0].split(",")} if inputs else set()
    return steps


def test_the_guide_lists_every_step_of_the_table_and_no_other():
    assert set(guide_steps()) == set(APPEAL_WORKFLOW.steps)


def test_the_guide_names_each_steps_inputs_as_the_table_declares_them():
    for name, inputs in guide_steps().items():
        declared = {i.name for i in APPEAL_WORKFLOW[name].inputs}
        if inputs:  # the guide may leave out an optional note
            assert inputs <= declared, f"{name}: the guide says {inputs}, the table {declared}"
