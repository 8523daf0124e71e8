"""The two GeoReport v2 formats: one Python structure written as JSON or as XML.

The XML follows the Spark convention the specification maps JSON from: a dict is an element with one
child per key, a list is an element whose children are named by the singular of its tag (`services`
holds `service` elements), None is an empty element and booleans are `true`/`false`.
"""

from __future__ import annotations

import json
from xml.etree import ElementTree

from django.http import HttpResponse

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# The element of each list's members.
ITEM = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def respond(fmt: str, root: str, data, status: int = 200) -> HttpResponse:
    """`data` under the root element `root` (XML), or as it is (JSON)."""
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False)
    else:
        body = XML_DECLARATION + ElementTree.tostring(element(root, data), encoding="unicode")
    return HttpResponse(body.encode(), status=status, content_type=CONTENT_TYPES[fmt])


def errors(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    """The specification's error list: one `{code, description}` per problem, code = HTTP status."""
    return respond(fmt, "errors", [{"code": status, "description": d} for d in descriptions], status)


def element(tag: str, value) -> ElementTree.Element:
    node = ElementTree.Element(tag)
    if isinstance(value, dict):
        for key, child in value.items():
            node.append(element(key, child))
    elif isinstance(value, list | tuple):
        for child in value:
            node.append(element(ITEM[tag], child))
    elif isinstance(value, bool):
        node.text = "true" if value else "false"
    elif value is not None:
        node.text = str(value)
    return node
