"""Staff screens: upload a file → map its columns → dry run → import, with a progress page that refreshes
itself (no JavaScript) while the work runs in the background."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import logging
import threading
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db import close_old_connections, connections
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView, View

from vigil.accounts.models import User
from vigil.core.dates import Calendar
from vigil.core.models import Confidentiality
from vigil.core.text import validate_plain_text
from vigil.core.visibility import clearance, level_at_most
from vigil.exchange.exports import spreadsheet_safe
from vigil.exchange.fields import fields_for, guess_fields
from vigil.exchange.mapped import error_text
from vigil.exchange.models import ImportBatch, ImportMapping, ImportRow, OnDuplicate, RowOutcome, Target
from vigil.exchange.readers import FileRefused, open_table, refuse_too_large
from vigil.exchange.services import (
    MappingSpec,
    batch_counts,
    batch_dry_run,
    batch_import,
    batch_open,
    batch_rows_with_messages,
    mapping_save,
)
from vigil.staff.access import acting_user, can_review
from vigil.staff.display import point_in_time
from vigil.staff.views import AdminPageMixin

logger = logging.getLogger(__name__)
_SESSION_KEY = "exchange_upload"
# A running import that has not reported for this long has stopped (the server restarted): offer to resume.
STALLED_AFTER = dt.timedelta(seconds=90)
_RUNNING = (ImportBatch.State.SCANNING, ImportBatch.State.REHEARSING, ImportBatch.State.IMPORTING)


def _upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def store_upload(upload: UploadedFile) -> Path:  # type: ignore[type-arg]
    """Keep the uploaded file (in chunks, never whole in memory) under its SHA-256."""
    digest = hashlib.sha256()
    folder = _upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f"upload-{timezone.now():%Y%m%d%H%M%S%f}.part"
    with partial.open("wb") as handle:
        for chunk in upload.chunks():
            digest.update(chunk)
            handle.write(chunk)
    suffix = Path(upload.name or "").suffix.lower()[:8]
    final = folder / f"{digest.hexdigest()}{suffix}"
    partial.replace(final)
    return final


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (CSV, XLSX or JSON)"))
    mapping = forms.ModelChoiceField(
        label=gettext_lazy("Saved mapping"),
        queryset=ImportMapping.objects.all(),
        required=False,
        help_text=gettext_lazy("Leave empty to map the columns now."),
    )
    target = forms.ChoiceField(
        label=gettext_lazy("Each row is"), choices=Target.choices, initial=Target.PEOPLE
    )


class MayImportMixin:
    """Uploading, mapping and running an import are for those who may add people (whom an import adds):
    a viewer could upload files and save mappings, though never import."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm("people.add_person"):
            raise PermissionDenied(_("Importing is for documenters, reviewers and administrators."))
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        return response


class UploadView(MayImportMixin, AdminPageMixin, FormView):  # type: ignore[type-arg]
    template_name = "exchange/upload.html"
    form_class = UploadForm
    title = gettext_lazy("Import a file")

    def form_valid(self, form: UploadForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        try:
            refuse_too_large(upload.name or "", upload.size or 0)
        except FileRefused as refusal:  # before it is copied into the imports folder
            form.add_error("file", " ".join(error_text(refusal)))
            return self.form_invalid(form)
        path = store_upload(upload)
        try:
            open_table(path, file_name=upload.name)
        except FileRefused as refusal:
            if not ImportBatch.objects.filter(file_path=str(path)).exists():
                path.unlink(missing_ok=True)  # a refused file is not kept
            form.add_error("file", " ".join(error_text(refusal)))
            return self.form_invalid(form)
        mapping = form.cleaned_data["mapping"]
        self.request.session[_SESSION_KEY] = {
            "path": str(path),
            "name": upload.name,
            "target": form.cleaned_data["target"],
            "mapping": mapping.pk if mapping else None,
        }
        return HttpResponseRedirect(reverse("exchange:mapping"))


class MappingForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Save the mapping as"), max_length=200)
    calendar = forms.ChoiceField(
        label=gettext_lazy("Numeric dates are"),
        choices=[("", gettext_lazy("Jalali below year 1700, else Gregorian")), *Calendar.choices],
        required=False,
    )
    external_namespace = forms.SlugField(
        label=gettext_lazy("Identifier namespace"),
        required=False,
        help_text=gettext_lazy(
            "Names the file's own IDs, so that a later version of the file updates its people instead of "
            "adding them again. Left empty, the mapping's name is used when a column holds the IDs."
        ),
    )
    on_duplicate = forms.ChoiceField(label=gettext_lazy("Possible duplicates"), choices=OnDuplicate.choices)
    # What the file itself is, cited for every row, and the level of the sources its links name: the
    # mapping file's ``defaults`` (docs/import-export.md), here for those who import from the screens.
    dataset_title = forms.CharField(
        label=gettext_lazy("The list as a source: its title"),
        max_length=500,
        required=False,
        validators=[validate_plain_text],
        help_text=gettext_lazy("Cited for every row, e.g. “HRANA list of detainees, 9 January 2026”."),
    )
    dataset_url = forms.URLField(label=gettext_lazy("The list's address"), max_length=1000, required=False)
    source_confidentiality = forms.ChoiceField(
        label=gettext_lazy("Level of the sources the rows link to"),
        choices=Confidentiality.choices,
        required=False,
        help_text=gettext_lazy("Public sources are listed with the records they support on the public site."),
    )

    def __init__(
        self, *args: Any, columns: list[str], target: str, may_publish: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not may_publish:  # making a source public is a reviewer's act
            self.fields["source_confidentiality"].choices = [  # type: ignore[attr-defined]
                (code, label) for code, label in Confidentiality.choices if code != Confidentiality.PUBLIC
            ]
        choices = [("", _("— not imported —"))] + [
            (code, f"{field.label} ({code})") for code, field in fields_for(target).items()
        ]
        self.columns = columns
        for position, column in enumerate(columns):
            self.fields[f"column_{position}"] = forms.ChoiceField(
                label=column, choices=choices, required=False
            )

    def column_fields(self) -> list[Any]:
        return [self[f"column_{position}"] for position in range(len(self.columns))]


def _defaults(saved: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """The mapping's defaults with what the screen sets (the others, from a mapping file, kept)."""
    defaults = {key: value for key, value in saved.items() if not key.startswith("dataset_")}
    if data["dataset_title"] or data["dataset_url"]:
        kept = {key: value for key, value in saved.items() if key.startswith("dataset_")}
        defaults |= kept | {"dataset_title": data["dataset_title"], "dataset_url": data["dataset_url"]}
    defaults["source_confidentiality"] = data["source_confidentiality"] or Confidentiality.INTERNAL
    return defaults


class MappingView(MayImportMixin, AdminPageMixin, FormView):  # type: ignore[type-arg]
    template_name = "exchange/mapping.html"
    title = gettext_lazy("Map the columns")

    upload: dict[str, Any]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.upload = request.session.get(_SESSION_KEY) or {}
        if not self.upload:
            return HttpResponseRedirect(reverse("exchange:upload"))
        mapping_id = self.upload.get("mapping")
        self.saved = ImportMapping.objects.filter(pk=mapping_id).first() if mapping_id else None
        self.target = self.saved.target if self.saved else self.upload["target"]
        self.table = open_table(Path(self.upload["path"]), file_name=self.upload["name"])
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class: Any = None) -> MappingForm:
        return MappingForm(
            **self.get_form_kwargs(),
            columns=[c for c in self.table.header if c],
            target=self.target,
            may_publish=can_review(self.request),
        )

    def get_initial(self) -> dict[str, Any]:
        saved = self.saved
        initial: dict[str, Any] = {
            "name": saved.name if saved else Path(self.upload["name"]).stem,
            "calendar": saved.calendar if saved else "",
            "external_namespace": saved.external_namespace if saved else "",
            "on_duplicate": saved.on_duplicate if saved else OnDuplicate.CREATE,
        }
        defaults = saved.defaults if saved else {}
        initial["dataset_title"] = defaults.get("dataset_title", "")
        initial["dataset_url"] = defaults.get("dataset_url", "")
        initial["source_confidentiality"] = defaults.get("source_confidentiality", Confidentiality.INTERNAL)
        columns = [c for c in self.table.header if c]
        for position, (column, guess) in enumerate(
            zip(columns, guess_fields(columns, self.target), strict=True)
        ):
            initial[f"column_{position}"] = (saved.columns.get(column, "") if saved else "") or guess
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(upload=self.upload, table=self.table, target=Target(self.target).label)
        return context

    def form_valid(self, form: MappingForm) -> HttpResponse:
        actor = acting_user(self.request)
        columns = {
            column: form.cleaned_data[f"column_{position}"] for position, column in enumerate(form.columns)
        }
        spec = MappingSpec(
            name=form.cleaned_data["name"],
            target=self.target,
            columns={column: field for column, field in columns.items() if field},
            values=self.saved.values if self.saved else {},
            calendar=form.cleaned_data["calendar"],
            defaults=_defaults(self.saved.defaults if self.saved else {}, form.cleaned_data),
            external_namespace=form.cleaned_data["external_namespace"],
            on_duplicate=form.cleaned_data["on_duplicate"],
        )
        try:
            mapping = mapping_save(actor=actor, spec=spec, reason=_("Mapped in the staff screen"))
        except ValidationError as error:
            form.add_error(None, " ".join(error_text(error)))
            return self.form_invalid(form)
        known = set(ImportBatch.objects.filter(mapping=mapping).values_list("pk", flat=True))
        batch = batch_open(
            mapping=mapping, path=Path(self.upload["path"]), actor=actor, file_name=self.upload["name"]
        )
        if batch.pk in known:  # the same file with the same mapping: its import, not a new one
            messages.info(
                self.request,
                _(
                    "This file was given before with the same mapping (%(file)s, %(when)s, by %(who)s): here is "
                    "that import. A file is imported once; a changed version of it is a new import."
                )
                % {
                    "file": batch.file_name,
                    "when": point_in_time(batch.created_at),
                    "who": batch.created_by or _("the system"),
                },
            )
        del self.request.session[_SESSION_KEY]
        return HttpResponseRedirect(reverse("exchange:batch", args=[batch.pk]))


def _batch_shown(request: HttpRequest, pk: int) -> ImportBatch:
    """The batch whose rows ``request``'s reader asks for. Its messages name the people its rows were
    found to duplicate, among those its importer may see: readers cleared for less than the importer (a
    viewer without access to restricted records, after an administrator's import) are refused."""
    batch = get_object_or_404(ImportBatch.objects.select_related("mapping", "created_by"), pk=pk)
    importer = Confidentiality.RESTRICTED if batch.created_by is None else clearance(batch.created_by)
    if not level_at_most(importer, clearance(request.user)):
        raise PermissionDenied(
            _(
                "This import's messages may name records you are not cleared to see; ask the person who ran it."
            )
        )
    return batch


def batch_is_stalled(batch: ImportBatch) -> bool:
    beat = batch.heartbeat_at or batch.created_at
    return batch.state in _RUNNING and timezone.now() - beat > STALLED_AFTER


class BatchView(AdminPageMixin, TemplateView):
    template_name = "exchange/batch.html"
    title = gettext_lazy("Import")
    shown_rows = 300  # rows with messages a page lists; the others are on the next pages and in the CSV

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        batch = _batch_shown(self.request, self.kwargs["pk"])
        dry_run = _shows_dry_run(batch)
        with_messages = batch_rows_with_messages(batch, dry_run=dry_run)
        outcome = _outcome_asked(self.request)
        rows = with_messages.filter(outcome=outcome) if outcome else with_messages
        page = Paginator(rows, self.shown_rows).get_page(self.request.GET.get("page"))
        by_outcome = dict(with_messages.values_list("outcome").annotate(rows=Count("id")).order_by())
        done = ImportRow.objects.filter(batch=batch, dry_run=dry_run).count()
        running = batch.state in _RUNNING and not batch_is_stalled(batch)
        context.update(
            batch=batch,
            dry_run=dry_run,
            counts=batch_counts(batch, dry_run=dry_run),
            issues=page.object_list,
            page=page,
            outcome=outcome,
            outcomes=[
                (code, label, by_outcome[code]) for code, label in RowOutcome.choices if by_outcome.get(code)
            ],
            with_messages=sum(by_outcome.values()),
            done=done,
            percent=int(100 * done / batch.total_rows) if batch.total_rows else 0,
            running=running,
            stalled=batch_is_stalled(batch),
            notices=[notice for notice in batch.notice.splitlines() if notice],
            title=_("Import of %(file)s") % {"file": batch.file_name},
        )
        return context


class BatchRowsView(View):
    """The rows with messages of an import (or its dry run) as CSV: row, outcome, message, one line each;
    ``?outcome=rejected`` for one outcome."""

    admin_site: Any = None  # given by ``admin_wrapped``, as to the pages

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _batch_shown(request, pk)
        dry_run = _shows_dry_run(batch)
        rows = batch_rows_with_messages(batch, dry_run=dry_run)
        if outcome := _outcome_asked(request):
            rows = rows.filter(outcome=outcome)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        name = Path(batch.file_name).stem or "import"
        response["Content-Disposition"] = f'attachment; filename="{slugify(name) or "import"}-rows.csv"'
        response.write("\ufeff")  # Excel reads the file as UTF-8
        writer = csv.writer(response)
        writer.writerow([_("Row"), _("Outcome"), _("Message")])
        for row in rows.iterator():
            for message in row.messages:
                writer.writerow([row.number, row.get_outcome_display(), spreadsheet_safe(message)])
        return response


def _shows_dry_run(batch: ImportBatch) -> bool:
    """Whether the batch's page shows its dry run (nothing imported yet) rather than its import."""
    return batch.state in (ImportBatch.State.REHEARSING, ImportBatch.State.CHECKED) and batch.rows_done == 0


def _outcome_asked(request: HttpRequest) -> str:
    outcome = request.GET.get("outcome", "")
    return outcome if outcome in RowOutcome.values else ""


def _run_batch(batch_id: int, actor_id: int, dry_run: bool, language: str) -> None:
    """The background work: one batch, its own database connection, closed at the end. Its messages are
    written in ``language``, the importer's (a new thread starts in the site's default)."""
    close_old_connections()
    try:
        batch = ImportBatch.objects.get(pk=batch_id)
        actor = User.objects.get(pk=actor_id)
        with translation.override(language):
            (batch_dry_run if dry_run else batch_import)(batch, actor=actor)
    except (FileRefused, ValidationError, PermissionDenied):
        pass  # recorded on the batch and its rows
    except Exception as error:  # the page must say the run died, not spin forever
        logger.exception("Import %s failed", batch_id)
        ImportBatch.objects.filter(pk=batch_id).update(error=str(error), heartbeat_at=None)
    finally:
        connections.close_all()


def start_batch(batch: ImportBatch, *, actor: User, dry_run: bool) -> None:
    """Run the batch in a background thread (or at once when ``VIGIL_IMPORT_BACKGROUND`` is off, as in
    the tests). Progress lives in the database, so any app server can show it."""
    ImportBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now())
    if getattr(settings, "VIGIL_IMPORT_BACKGROUND", True):
        args = (batch.pk, actor.pk, dry_run, translation.get_language())
        threading.Thread(target=_run_batch, args=args, daemon=True).start()
    else:
        with contextlib.suppress(FileRefused, ValidationError):  # recorded on the batch and its rows
            (batch_dry_run if dry_run else batch_import)(batch, actor=actor)


class BatchActionView(MayImportMixin, AdminPageMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        batch = get_object_or_404(ImportBatch, pk=kwargs["pk"])
        action = request.POST.get("action")
        if batch.state in _RUNNING and not batch_is_stalled(batch):
            messages.warning(request, _("This import is already running."))
        elif action in ("dry_run", "import"):
            start_batch(batch, actor=acting_user(request), dry_run=action == "dry_run")
        return HttpResponseRedirect(reverse("exchange:batch", args=[batch.pk]))


class BatchListView(AdminPageMixin, ListView):  # type: ignore[type-arg]
    template_name = "exchange/batches.html"
    title = gettext_lazy("Imports")
    paginate_by = 50
    queryset = ImportBatch.objects.select_related("mapping", "created_by")


def admin_wrapped(view: Any) -> Any:
    return admin.site.admin_view(view.as_view(admin_site=admin.site))
