"""What a spec learns about the run besides the rows: the sheet's period and title, the area the file
came from, and a place for notices the report shows ("converted year-to-date to month")."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ImportContext:
    period: Any = None  # readers.Period from the sheet's title, or None
    area: Any = None  # the area the job came from (areas.Area), or None
    title: str = ""
    notices: list[str] = field(default_factory=list)

    def notice(self, text) -> None:
        """A line for the report (shown on the job's page and in the API); said once however often."""
        text = str(text)
        if text not in self.notices:
            self.notices.append(text)


def start(spec, by, *, commit: bool, context: ImportContext):
    """`spec.start`, with the context when the spec takes one (specs written before it do not)."""
    try:
        parameters = inspect.signature(spec.start).parameters
    except (TypeError, ValueError):
        parameters = {}
    takes = "context" in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
    )
    if takes:
        return spec.start(by, commit=commit, context=context)
    return spec.start(by, commit=commit)
