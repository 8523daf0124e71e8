"""Pages of the service desk: the queue and submitting (`queue`), an appeal's page and its steps
(`appeal`), the dashboard and its export (`dashboard`), symposia and the chief service officer's
workbench (`symposia`). Reads go through scope(); every change is a call to `services`."""

from .appeal import AttachmentView, DetailView, StepView
from .dashboard import DashboardView, ExportView
from .queue import QueueView, SubmitView
from .symposia import SymposiumDetailView, SymposiumListView, WorkbenchView

__all__ = [
    "AttachmentView",
    "DashboardView",
    "DetailView",
    "ExportView",
    "QueueView",
    "StepView",
    "SubmitView",
    "SymposiumDetailView",
    "SymposiumListView",
    "WorkbenchView",
]
