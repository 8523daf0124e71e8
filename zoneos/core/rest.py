"""DRF settings hooks: pagination and the error shape. Kept apart from zoneos.core.api because DRF
imports them while its own generic views are still loading."""

import datetime
import math
import operator

from django.conf import settings
from django.core.exceptions import (
    FieldDoesNotExist,
    ObjectDoesNotExist,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.db.models.manager import BaseManager
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, fields, pagination, parsers, relations, serializers
from rest_framework.settings import ISO_8601
from rest_framework.views import exception_handler as drf_exception_handler

from zoneos.core.errors import Conflict
from zoneos.core.text import BadText, clean_data, clean_file_name, clean_querydict


def body_too_big_message() -> str:
    return _("The request body is larger than the %(limit)s the server accepts.") % {
        "limit": megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    }


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def _non_finite(value, path: str):
    """The first number in a parsed body that overflowed to infinity (`1e400`), as a field path."""
    if isinstance(value, float) and not math.isfinite(value):
        return path or "non_field_errors"
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _non_finite(item, f"{path}.{key}" if path else str(key))
        if found:
            return found
    return None


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, made safe for hostile bodies:

    - a body nested too deep for Python's parser (`[[[[…` a hundred thousand times) is a 400 like any
      other unreadable body: `json` raises RecursionError for it, not ValueError, which DRF would have
      answered with a 500;
    - a body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused before it is read (DRF reads the stream
      itself, past Django's own check of `request.body`);
    - a number too large for a float (`1e400`, which Python reads as infinity) is a 400 naming its
      field instead of reaching a field as `inf` (a text field would store "inf");
    - every string is cleaned (zoneos.core.text): NFC, invisible and bidirectional characters
      removed, a control character a 400 naming its field."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        if request is not None and settings.DATA_UPLOAD_MAX_MEMORY_SIZE is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                raise exceptions.ParseError(body_too_big_message())
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("The JSON body is nested too deeply to read.")) from None
        try:
            field = _non_finite(data, "")
        except RecursionError:
            raise exceptions.ParseError(_("The JSON body is nested too deeply to read.")) from None
        if field:
            raise field_error(field, _("The number is too large."))
        try:
            return clean_data(data)
        except BadText as exc:
            raise field_error(exc.field, exc.message) from None
        except RecursionError:
            raise exceptions.ParseError(_("The JSON body is nested too deeply to read.")) from None


def field_error(path: str, message: str) -> exceptions.ValidationError:
    """A 400 under the top-level field, as DRF names fields; a nested place is named in the message
    ("items.0.name: …")."""
    field = path.split(".", 1)[0]
    return exceptions.ValidationError({field: [message if field == path else f"{path}: {message}"]})


def _clean_form(data):
    try:
        return clean_querydict(data)
    except BadText as exc:
        raise field_error(exc.field, exc.message) from None


class FormParser(parsers.FormParser):
    """DRF's form parser, its fields cleaned as in JSONParser."""

    def parse(self, stream, media_type=None, parser_context=None):
        return _clean_form(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser, its fields cleaned as in JSONParser and its files' names too."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        for _field, uploads in parsed.files.lists():
            for upload in uploads:
                upload.name = clean_file_name(upload.name)
        return parsers.DataAndFiles(_clean_form(parsed.data), parsed.files)


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                field: [str(m) for e in errors for m in e.messages]
                for field, errors in exc.error_dict.items()
            }
            detail = {("non_field_errors" if k == "__all__" else k): v for k, v in detail.items()}
        else:
            detail = {"non_field_errors": [str(m) for m in exc.messages]}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        names = sorted(
            {str(obj._meta.verbose_name_plural) for obj in exc.protected_objects}
            if isinstance(exc, ProtectedError)
            else {str(obj._meta.verbose_name_plural) for obj in exc.restricted_objects}
        )
        exc = Conflict(_("This record is still used by: %(names)s.") % {"names": ", ".join(names)})
    elif isinstance(exc, RequestDataTooBig):
        exc = exceptions.ParseError(body_too_big_message())
    elif isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        exc = exceptions.ParseError(_("The request has too many fields or files."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, exceptions.PermissionDenied):
        _record_refusal(exc, context)
    return drf_exception_handler(exc, context)


def _record_refusal(exc, context) -> None:
    """A 403 of the API in the security log (pages' refusals: zoneos.security.middleware)."""
    from zoneos.security.events import record  # DRF loads this module before the apps are ready
    from zoneos.security.models import EventKind

    request = context.get("request")
    record(
        EventKind.PERMISSION_REFUSED,
        request,
        detail={"method": getattr(request, "method", ""), "message": str(exc.detail)[:500]},
    )


# Reading lists fast ------------------------------------------------------------------------------------
# DRF serialises a list row by row and field by field through generic machinery: for each field a
# generator step, `get_attribute` with its callable checks, and for a date-time the current time zone
# looked up again. On a page of 50 appeals with their events that is half the request's CPU. A list
# serializer whose `Meta.list_serializer_class` is `ReadListSerializer` reads the same fields, in the
# same order, through the same field objects, with each field's way of reading compiled once per
# response: the output is the same to the byte (tests/test_fast_read.py compares it with DRF's own).
# A field of a kind not known here, or a serializer that overrides how it reads, goes DRF's own way.


def _dotted(field, attrs):
    """A getter for a field's dotted source over model instances: plain getattr, and DRF's own
    `get_attribute` (defaults, nulls, skipping, callables) whenever the plain walk meets anything else.
    A related manager is callable but never called by DRF, so it is taken as it is."""

    def get(instance):
        value = instance
        try:
            for attr in attrs:
                value = getattr(value, attr)
        except (AttributeError, KeyError, ObjectDoesNotExist):
            return field.get_attribute(instance)
        if callable(value) and not isinstance(value, BaseManager):
            return field.get_attribute(instance)
        return value

    return get


def _datetime(field):
    """DRF's DateTimeField.to_representation for an aware date-time in ISO 8601, the time zone looked
    up once per response instead of once per value."""
    from rest_framework.settings import api_settings

    output = getattr(field, "format", api_settings.DATETIME_FORMAT)
    zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
    if zone is None or not isinstance(output, str) or output.lower() != ISO_8601:
        return field.to_representation
    slow = field.to_representation

    def convert(value):
        if type(value) is not datetime.datetime or value.utcoffset() is None:
            return slow(value)
        try:
            text = value.astimezone(zone).isoformat()
        except OverflowError:
            return slow(value)
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return convert


def _step(field, model):
    """(get, convert) of one readable field, exactly as DRF reads it; None: DRF's own way."""
    kind = type(field)
    attrs = field.source_attrs
    if isinstance(field, serializers.BaseSerializer):
        if kind.get_attribute is not fields.Field.get_attribute or not attrs:
            return None
        if isinstance(field, serializers.ListSerializer):
            child = _row_reader(field.child)
            if child is None or kind.to_representation not in _LIST_READERS:
                return None
            return _dotted(field, attrs), lambda data: [
                child(item) for item in (data.all() if isinstance(data, BaseManager) else data)
            ]
        inner = _row_reader(field)
        return (_dotted(field, attrs), inner) if inner else None
    if kind is serializers.SerializerMethodField:
        return (lambda instance: instance), getattr(field.parent, field.method_name)
    if isinstance(field, relations.PrimaryKeyRelatedField):
        if (
            kind.get_attribute is not relations.RelatedField.get_attribute
            or kind.to_representation is not relations.PrimaryKeyRelatedField.to_representation
            or kind.use_pk_only_optimization is not relations.PrimaryKeyRelatedField.use_pk_only_optimization
            or field.pk_field is not None
            or len(attrs) != 1
        ):
            return None
        try:
            attname = model._meta.get_field(attrs[0]).attname
        except FieldDoesNotExist:
            return None
        # DRF reads `serializable_value(name)`, the id on the row itself, and answers None for None.
        return operator.attrgetter(attname), _identity
    if kind.get_attribute is not fields.Field.get_attribute:
        return None
    get = (lambda instance: instance) if not attrs else _dotted(field, attrs)
    if kind.to_representation is fields.CharField.to_representation:
        return get, str
    if kind.to_representation is fields.IntegerField.to_representation:
        return get, int
    if kind.to_representation is fields.DateTimeField.to_representation:
        return get, _datetime(field)
    return get, field.to_representation


def _identity(value):
    return value


def _row_reader(serializer):
    """A function reading one model instance as `serializer.to_representation` does, or None when the
    serializer reads in a way of its own."""
    kind = type(serializer)
    meta = getattr(serializer, "Meta", None)
    model = getattr(meta, "model", None)
    if kind.to_representation is not serializers.Serializer.to_representation or model is None:
        return None
    steps = []
    for field in serializer._readable_fields:
        step = _step(field, model)
        if step is None:
            steps.append((field.field_name, field.get_attribute, _slow(field)))
        else:
            steps.append((field.field_name, *step))
    slow = serializer.to_representation

    def read(instance):
        if type(instance) is not model:
            return slow(instance)
        row = {}
        for name, get, convert in steps:
            try:
                value = get(instance)
            except fields.SkipField:
                continue
            if value is None:
                row[name] = None
            elif isinstance(value, relations.PKOnlyObject):
                row[name] = None if value.pk is None else convert(value)
            else:
                row[name] = convert(value)
        return row

    return read


def _slow(field):
    return field.to_representation


class ReadListSerializer(serializers.ListSerializer):
    """A list serializer that reads its rows through `_row_reader` (see above)."""

    def to_representation(self, data):
        read = _row_reader(self.child)
        if read is None:
            return super().to_representation(data)
        iterable = data.all() if isinstance(data, BaseManager) else data
        return [read(item) for item in iterable]


_LIST_READERS = {serializers.ListSerializer.to_representation, ReadListSerializer.to_representation}


@extend_schema_field(OpenApiTypes.URI)
class DownloadURL(serializers.Field):
    """A file's download URL, absolute: the record's `get_absolute_url`, a view that finds the record
    in the caller's scope before it answers (zoneos.core.files), never the file's media URL."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        request = self.context.get("request")
        url = value.get_absolute_url()
        return request.build_absolute_uri(url) if request else url
