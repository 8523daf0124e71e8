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

from zoneos.accounts.scoping import scope
from zoneos.core.errors import Conflict
from zoneos.core.roles import VIEW

from . import engine, export, registry, services
from .models import ImportJob


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("The file holds"), choices=registry.choices)
    file = forms.FileField(
        label=gettext_lazy("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


def template_response(kind: str, language: str):
    spec = engine.spec_for(kind)
    english = language.startswith("en")
    headers = engine.template_headers(spec, language)
    notes = [(_("Column"), _("What to enter"))]
    for column, header in zip(spec.columns, headers, strict=True):
        required = _("required") if column.required else _("optional")
        accepted = " / ".join(dict.fromkeys([column.label_zh, column.label_en, *column.aliases]))
        notes.append((header, f"{required}. {_('Accepted headers')}: {accepted}"))
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
    return export.template(headers, notes, declared.file_name_en if english else declared.file_name_zh)


def _jobs(request):
    return scope(ImportJob.objects.select_related("created_by"), request.user, VIEW)


class ImportListView(LoginRequiredMixin, View):
    def get(self, request, form=None):
        return render(
            request,
            "tabular/import_list.html",
            {
                "form": form or UploadForm(initial={"kind": request.GET.get("kind")}),
                "jobs": _jobs(request)[:20],
                "kinds": registry.choices(),
            },
        )

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
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


class ImportDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        job = _jobs(request).filter(pk=pk).first()
        if job is None:
            raise Http404
        context = {"job": job, "progress": engine.progress(job) if job.running else job.processed_rows}
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


class TemplateDownloadView(LoginRequiredMixin, View):
    def get(self, request):
        kind = request.GET.get("kind", "")
        if not registry.is_kind(kind):
            raise Http404
        return template_response(kind, get_language() or "zh-hans")
