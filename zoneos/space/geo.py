"""Coordinates on the map: WGS-84 (GPS, international maps) and GCJ-02 (the datum Chinese maps publish,
WGS-84 shifted by the public obfuscation formula, a few hundred metres), converted either way; GeoJSON
geometries checked before they are stored; a geometry's centre for placing points on it.

Shapes are stored as entered, with their datum (`crs`); `convert` draws them in another. Outside China
GCJ-02 is WGS-84 (the formula applies only inside the country's box).
"""

from __future__ import annotations

import json
import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WGS84 = "wgs84"
GCJ02 = "gcj02"
MAX_BYTES = 2 * 1024 * 1024  # a geometry's GeoJSON text
MAX_VERTICES = 20_000  # positions in one geometry
GEOMETRY_TYPES = ("Point", "Polygon", "MultiPolygon")

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as the formula has it
_EE = 0.00669342162296594323


def in_china(lng: float, lat: float) -> bool:
    """The rough box the formula shifts (the usual public check: the mainland's bounding box)."""
    return 73.66 < lng < 135.05 and 3.86 < lat < 53.55


def _shift_lat(x: float, y: float) -> float:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _shift_lng(x: float, y: float) -> float:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def _delta(lng: float, lat: float) -> tuple[float, float]:
    dlat = _shift_lat(lng - 105.0, lat - 35.0)
    dlng = _shift_lng(lng - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return dlng, dlat


def wgs84_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    if not in_china(lng, lat):
        return lng, lat
    dlng, dlat = _delta(lng, lat)
    return lng + dlng, lat + dlat


def gcj02_to_wgs84(lng: float, lat: float) -> tuple[float, float]:
    """The inverse, by iteration: to well under a centimetre after a few rounds."""
    if not in_china(lng, lat):
        return lng, lat
    wlng, wlat = lng, lat
    for _round in range(10):
        glng, glat = wgs84_to_gcj02(wlng, wlat)
        dlng, dlat = glng - lng, glat - lat
        wlng, wlat = wlng - dlng, wlat - dlat
        if abs(dlng) < 1e-9 and abs(dlat) < 1e-9:
            break
    return wlng, wlat


def convert_point(lng: float, lat: float, source: str, target: str) -> tuple[float, float]:
    if source == target:
        return lng, lat
    return wgs84_to_gcj02(lng, lat) if target == GCJ02 else gcj02_to_wgs84(lng, lat)


def _map_positions(coords, fn):
    if coords and isinstance(coords[0], (int, float)):
        lng, lat = fn(coords[0], coords[1])
        return [round(lng, 7), round(lat, 7)]
    return [_map_positions(c, fn) for c in coords]


def convert(geometry: dict, source: str, target: str) -> dict:
    """The geometry with every position moved from one datum to the other."""
    if source == target:
        return geometry
    fn = lambda lng, lat: convert_point(lng, lat, source, target)  # noqa: E731
    return {"type": geometry["type"], "coordinates": _map_positions(geometry["coordinates"], fn)}


# Checking ----------------------------------------------------------------------------------------
def _positions(coords, depth: int):
    """The positions of a coordinates array `depth` levels deep (0: a position), or a ValueError."""
    if not isinstance(coords, list):
        raise ValueError
    if depth == 0:
        if len(coords) not in (2, 3) or not all(
            isinstance(c, (int, float)) and not isinstance(c, bool) for c in coords
        ):
            raise ValueError
        yield coords
        return
    for inner in coords:
        yield from _positions(inner, depth - 1)


DEPTH = {"Point": 0, "Polygon": 2, "MultiPolygon": 3}


def check_geometry(value, field: str = "geometry") -> dict:
    """A GeoJSON Point, Polygon or MultiPolygon (a Feature's geometry is taken), as a dict, or a
    ValidationError naming `field`: too large, the wrong type, a ring not closed or under four positions,
    a longitude outside -180..180 or a latitude outside -90..90."""

    def refuse(message):
        return ValidationError({field: [message]})

    if isinstance(value, (str, bytes)):
        if len(value) > MAX_BYTES:
            raise refuse(_("The shape is larger than 2 MB."))
        try:
            value = json.loads(value)
        except ValueError:
            raise refuse(_("Give the shape as GeoJSON.")) from None
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or value.get("type") not in GEOMETRY_TYPES:
        raise refuse(_("Give a GeoJSON Point, Polygon or MultiPolygon."))
    if len(json.dumps(value)) > MAX_BYTES:
        raise refuse(_("The shape is larger than 2 MB."))
    kind, coords = value["type"], value.get("coordinates")
    try:
        positions = list(_positions(coords, DEPTH[kind]))
    except (ValueError, RecursionError):
        raise refuse(_("The shape's coordinates are not a %(type)s's.") % {"type": kind}) from None
    if not positions:
        raise refuse(_("The shape has no coordinates."))
    if len(positions) > MAX_VERTICES:
        raise refuse(_("The shape has more than %(n)s points: simplify it.") % {"n": f"{MAX_VERTICES:,}"})
    for lng, lat, *_rest in positions:
        if not (-180 <= lng <= 180 and -90 <= lat <= 90):
            raise refuse(
                _("Coordinates are longitude, latitude: %(lng)s, %(lat)s is out of range.")
                % {"lng": lng, "lat": lat}
            )
    rings = [] if kind == "Point" else coords if kind == "Polygon" else [r for p in coords for r in p]
    for ring in rings:
        if len(ring) < 4 or ring[0][:2] != ring[-1][:2]:
            raise refuse(_("Each ring of a polygon closes on its first point and has at least four."))
    return {"type": kind, "coordinates": coords}


def centre(geometry: dict) -> tuple[float, float]:
    """Where to place a point on the geometry: the point itself, else the centroid of the (largest)
    polygon's outer ring (its vertices' mean when the ring has no area)."""
    if geometry["type"] == "Point":
        return tuple(geometry["coordinates"][:2])
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    best, best_area = None, -1.0
    for polygon in polygons:
        ring = polygon[0]
        area = cx = cy = 0.0
        for (x0, y0, *_a), (x1, y1, *_b) in zip(ring, ring[1:], strict=False):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if abs(area) < 1e-18:
            pts = ring[:-1] or ring
            point = (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
        else:
            point = (cx / (3 * area), cy / (3 * area))
        if abs(area) > best_area:
            best, best_area = point, abs(area)
    return best
