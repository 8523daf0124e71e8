"""Import wizard pages: upload, dry-run report with a live progress bar, commit, re-run, and templates."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View

from zoneos.accounts.scoping import scope, visible_areas
from zoneos.core.errors import Conflict
from zoneos.core.roles import VIEW

from . import changes, engine, export, registry, services
from . import mapping as columns_plan
from .models import ImportJob


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("The file holds"), choices=registry.choices)
    area = forms.ModelChoiceField(
        label=gettext_lazy("From area"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("— (all my areas)"),
        help_text=gettext_lazy(
            "The park or zone that sent the sheet: its mapping is remembered for the next one."
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = visible_areas(user).order_by("path")
        if not self.is_bound and "area" not in self.initial:
            default = services.default_area(user)
            self.initial["area"] = default.pk if default else None


def template_response(kind: str, language: str):
    spec = engine.spec_for(kind)
    english = language.startswith("en")
    headers = engine.template_headers(spec, language)
    notes = [(_("Column"), _("What to enter"))]
    for column, header in zip(spec.columns, headers, strict=True):
        required = _("required") if column.required else _("optional")
        accepted = " / ".join(dict.fromkeys([column.label_zh, column.label_en, *column.aliases]))
        notes.append(
            (
                header,
                _("%(required)s. Accepted headers: %(headers)s")
                % {"required": required, "headers": accepted},
            )
        )
    notes.append(
        (
            "",
            _(
                "Money columns are in yuan; write (万元) or (亿元) after a header "
                "to enter them in those units."
            ),
        )
    )
    notes.append(("", str(spec.match_note)))
    declared = registry.get(kind)
    return export.template(
        headers,
        notes,
        declared.file_name_en if english else declared.file_name_zh,
        notes_title=str(_("Notes")),
    )


def _jobs(request):
    return scope(ImportJob.objects.select_related("created_by"), request.user, VIEW)


class ImportListView(LoginRequiredMixin, View):
    def get(self, request, form=None):
        return render(
            request,
            "tabular/import_list.html",
            {
                "form": form or UploadForm(initial={"kind": request.GET.get("kind")}, user=request.user),
                "jobs": _jobs(request)[:20],
                "kinds": registry.choices(),
            },
        )

    def post(self, request):
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.get(request, form)
        try:
            job = services.start_import(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.get(request, form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.get(request, form)
        return redirect(job.get_absolute_url())


def _counts(job) -> dict:
    """The rows done and the rows in all: while a job runs, the file's estimate (lines under the header,
    blank lines and notes included), never passed; once read, the rows it held."""
    if job.running:
        total = job.total_rows
        done = engine.progress(job)
        return {"progress": min(done, total) if total else done, "total": total}
    return {"progress": job.processed_rows, "total": job.processed_rows}


class ImportDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        job = _jobs(request).filter(pk=pk).first()
        if job is None:
            raise Http404
        context = {"job": job, **_counts(job)}
        context.update(report_context(job))
        if request.htmx:
            return render(request, "tabular/_import_status.html", context)
        return render(request, "tabular/import_detail.html", context)


class _JobActionView(LoginRequiredMixin, View):
    """POST: one action of the service on a job the user may see; a refusal is shown on the job's page."""

    def act(self, job, by):
        raise NotImplementedError

    def done(self, request, job) -> None:
        """What to say after the action succeeded."""

    def post(self, request, pk):
        job = _jobs(request).filter(pk=pk).first()
        if job is None:
            raise Http404
        try:
            job = self.act(job, request.user)
        except (Conflict, PermissionDenied) as exc:
            messages.error(request, str(exc.detail if isinstance(exc, Conflict) else exc))
        else:
            self.done(request, job)
        return redirect(job.get_absolute_url())


class ImportCommitView(_JobActionView):
    def act(self, job, by):
        return services.commit_import(job, by=by)

    def done(self, request, job) -> None:
        if job.status == "committed":
            messages.success(
                request,
                _("Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                % {"created": job.created, "updated": job.updated, "unchanged": job.unchanged},
            )


class ImportRerunView(_JobActionView):
    def act(self, job, by):
        return services.rerun_import(job, by=by)


def report_context(job: ImportJob) -> dict:
    """The job's report as the page shows it: each source column with its field's name and unit, the
    choices for the mapping form, and the first changes grouped by record."""
    report = job.report or {}
    if not report or not registry.is_kind(job.kind):
        return {}
    spec = engine.spec_for(job.kind)
    fields = {c.name: c for c in spec.columns}
    sources = []
    for entry in report.get("columns", []):
        column = fields.get(entry["field"])
        sources.append(
            {
                **entry,
                "field_label": columns_plan.label_of(column) if column else "",
                "detected_label": columns_plan.label_of(fields[entry["detected"]])
                if entry.get("detected") in fields
                else "",
                "unit_label": columns_plan.UNIT_SHORT.get(entry["unit"], ""),
                "source_label": columns_plan.SOURCES.get(entry["unit_source"], ""),
                "looks_message": columns_plan.LOOKS.get(entry["looks"], ""),
            }
        )
    groups: dict = {}
    for change in report.get("changes", []):
        key = (change["row"], change["record"])
        column = fields.get(change["field"])
        groups.setdefault(key, []).append(
            {
                **change,
                "label": columns_plan.label_of(column) if column else change["field"],
                "warning_label": changes.WARNINGS.get(change["warning"], ""),
            }
        )
    filled = [
        {**f, "label": columns_plan.label_of(fields[f["field"]]) if f["field"] in fields else f["field"]}
        for f in report.get("filled", [])
    ]
    return {
        "report": report,
        "sources": sources,
        "filled": filled,
        "field_choices": [(c.name, columns_plan.label_of(c), c.money) for c in spec.columns],
        "unit_choices": list(columns_plan.UNITS.items()),
        "change_groups": [{"row": r, "record": rec, "changes": items} for (r, rec), items in groups.items()],
        "other_sheets": [s for s in report.get("sheets", []) if s != report.get("sheet")],
    }


def changes_columns() -> list[export.ExportColumn]:
    return [
        export.ExportColumn(_("Row"), lambda c: c["row"]),
        export.ExportColumn(_("Record"), lambda c: c["record"]),
        export.ExportColumn(_("Field"), lambda c: c["label"]),
        export.ExportColumn(_("Old value"), lambda c: c["old"]),
        export.ExportColumn(_("New value"), lambda c: c["new"]),
        export.ExportColumn(_("Warning"), lambda c: str(changes.WARNINGS.get(c["warning"], ""))),
    ]


def changes_response(job: ImportJob, fmt: str, request):
    """Every change the job's dry run recorded, as a csv or xlsx file (logged as an export)."""
    fields = {c.name: c for c in engine.spec_for(job.kind).columns} if registry.is_kind(job.kind) else {}

    def rows():
        for change in changes.read(job):
            column = fields.get(change["field"])
            yield {**change, "label": columns_plan.label_of(column) if column else change["field"]}

    return export.response(rows(), changes_columns(), f"import-{job.pk}-changes", fmt, request=request)


class ImportChangesView(LoginRequiredMixin, View):
    def get(self, request, pk):
        job = _jobs(request).filter(pk=pk).first()
        if job is None:
            raise Http404
        return changes_response(job, "csv" if request.GET.get("as") == "csv" else "xlsx", request)


class ImportMappingView(_JobActionView):
    """The mapping form: per source column its field, unit and "blank clears"; or another sheet."""

    def act(self, job, by):
        data = self.request.POST
        sheet = data.get("sheet") or None
        if sheet and sheet != (job.report or {}).get("sheet"):
            return services.set_mapping(job, by=by, sheet=sheet)
        columns = []
        for entry in (job.report or {}).get("columns", []):
            index = entry["index"]
            if f"field-{index}" not in data:
                continue
            columns.append(
                {
                    "index": index,
                    "field": data.get(f"field-{index}", ""),
                    "unit": data.get(f"unit-{index}", ""),
                    "clears": bool(data.get(f"clears-{index}")),
                }
            )
        try:
            return services.set_mapping(job, by=by, columns=columns)
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                for error in errors:
                    messages.error(self.request, error)
            return job


class TemplateDownloadView(LoginRequiredMixin, View):
    def get(self, request):
        kind = request.GET.get("kind", "")
        if not registry.is_kind(kind):
            raise Http404
        return template_response(kind, get_language() or "zh-hans")
