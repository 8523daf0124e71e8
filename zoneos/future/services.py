"""Every change to future industries, boards and their proofs (scenarios: `scenarios`).

Each function is atomic, checks that `by` may make the change, validates with the field named, and
writes with its history attributed to `by`. A board belongs to a zone, once per industry; a proof
links one of the board's items (`ten_ones.TEN_ONES`) to a record of a kind the item accepts, among the
records its kind offers for the zone to `by` (`zoneos.core.evidence`), or carries a document through
the one upload check.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import in_scope, require, require_placement
from zoneos.areas.models import AreaKind
from zoneos.audit.context import acting
from zoneos.chains.services import clean_terms, industry_prefix
from zoneos.core import evidence
from zoneos.core.errors import Conflict
from zoneos.core.files import check_upload
from zoneos.core.ids import as_id
from zoneos.core.roles import CHANGE, VIEW
from zoneos.core.services import apply_changes
from zoneos.core.services import clean as _clean

from .models import Board, FutureIndustry, Proof
from .ten_ones import BY_KEY

INDUSTRY_FIELDS = ("code", "name", "name_en", "area", "description", "industry_codes", "keywords", "position")
BOARD_FIELDS = ("area", "industry", "notes")


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def clean_wanted(record) -> None:
    """A record's industry codes and keywords (what it matches in the registry), as chains clean them."""
    record.industry_codes = clean_terms(record.industry_codes, "industry_codes", industry_prefix)
    record.keywords = clean_terms(record.keywords, "keywords")


# Future industries ---------------------------------------------------------------------------------
def _check_industry(industry: FutureIndustry, by) -> None:
    if industry.area_id is None:
        if not by.is_superuser:
            raise PermissionDenied(_("Only superusers keep the shared list of future industries."))
    else:
        require_placement(FutureIndustry, industry.area, by)
    _clean(industry, exclude=["area"])
    clean_wanted(industry)
    if FutureIndustry.objects.filter(code=industry.code).exclude(pk=industry.pk).exists():
        raise _error("code", _("A future industry has this code."))


@transaction.atomic
def create_industry(*, by, **fields) -> FutureIndustry:
    apply_changes(industry := FutureIndustry(), fields, INDUSTRY_FIELDS)
    _check_industry(industry, by)
    with acting(by):
        industry.save()
    return industry


@transaction.atomic
def update_industry(industry: FutureIndustry, *, by, **changes) -> FutureIndustry:
    industry = FutureIndustry.objects.select_for_update().get(pk=industry.pk)
    require(industry, by, CHANGE)
    apply_changes(industry, changes, INDUSTRY_FIELDS)
    _check_industry(industry, by)
    with acting(by):
        industry.save()
    return industry


@transaction.atomic
def delete_industry(industry: FutureIndustry, *, by) -> None:
    require(industry, by, CHANGE)
    if industry.boards.exists() or industry.scenarios.exists():
        raise Conflict(_("Boards or scenarios use this industry; it stays."))
    with acting(by):
        industry.delete()


# Boards --------------------------------------------------------------------------------------------
def _check_board(board: Board, by) -> None:
    if board.area_id is None:
        raise _error("area", _("Choose the zone."))
    if board.area.kind != AreaKind.ZONE:
        raise _error("area", _("A board belongs to a zone."))
    require_placement(Board, board.area, by)
    if board.industry_id is None:
        raise _error("industry", _("Choose the future industry."))
    if not in_scope(board.industry, by, VIEW):
        raise _error("industry", _("Choose a future industry you can see."))
    industry_area = board.industry.area
    if industry_area is not None and not board.area.path.startswith(industry_area.path):
        raise _error("industry", _("This industry is another area's own."))
    _clean(board, exclude=["area", "industry"])
    if Board.objects.filter(area=board.area, industry=board.industry).exclude(pk=board.pk).exists():
        raise _error("industry", _("The zone has a board for this industry."))


@transaction.atomic
def create_board(*, by, **fields) -> Board:
    apply_changes(board := Board(), fields, BOARD_FIELDS)
    _check_board(board, by)
    with acting(by):
        board.save()
    return board


@transaction.atomic
def update_board(board: Board, *, by, **changes) -> Board:
    board = Board.objects.select_for_update().select_related("area", "industry").get(pk=board.pk)
    require(board, by, CHANGE)
    apply_changes(board, changes, BOARD_FIELDS)
    _check_board(board, by)
    with acting(by):
        board.save()
    return board


@transaction.atomic
def delete_board(board: Board, *, by) -> None:
    require(board, by, CHANGE)
    with acting(by):
        for proof in board.proofs.all():
            proof.delete()
        board.delete()


# Proofs --------------------------------------------------------------------------------------------
@transaction.atomic
def add_proof(
    board: Board, *, by, item: str, kind: str, record=None, document=None, title: str = "", note: str = ""
) -> Proof:
    """Link `record` (an id, or the record) of `kind` to the board's `item`, or keep `document`.

    400 names `item` (not one of the ten), `kind` (not one the item accepts, or one no app keeps yet),
    `record` (missing, or not among those the kind offers `by` for the zone; or proving it already),
    `document` (through the upload check) or `title` (a document needs one)."""
    board = Board.objects.select_for_update().select_related("area").get(pk=board.pk)
    require(board, by, CHANGE)
    one = BY_KEY.get(item or "")
    if one is None:
        raise _error("item", _("Choose one of the ten items."))
    if kind not in one.kinds:
        raise _error("kind", _("This item is not proved by this kind of record."))
    declared = evidence.get(kind)
    if declared is None:
        raise _error("kind", _("No records of this kind are kept yet."))
    title, note = (title or "").strip(), (note or "").strip()
    proof = Proof(board=board, item=item, kind=kind, note=note, added_by=by)
    if declared.is_document:
        check_upload(document, "document")
        if not title:
            raise _error("title", _("Give the document's title."))
        proof.title, proof.document = title, document
    else:
        if record in (None, ""):
            raise _error("record", _("Choose the record that proves the item."))
        record_id = as_id(getattr(record, "pk", record))
        if record_id is None:
            raise _error("record", _("Choose the record that proves the item."))
        found = declared.candidates(board.area, by).filter(pk=record_id).first()
        if found is None:
            raise _error("record", _("Choose a record of the zone that you can see."))
        if Proof.objects.filter(board=board, item=item, kind=kind, record_id=found.pk).exists():
            raise _error("record", _("This record already proves the item."))
        proof.record_id, proof.title = found.pk, declared.describe(found)[:200]
    _clean(proof, exclude=["board", "added_by", "document"])
    with acting(by):
        proof.save()
    return proof


@transaction.atomic
def remove_proof(proof: Proof, *, by) -> None:
    require(proof, by, CHANGE)
    with acting(by):
        proof.delete()
