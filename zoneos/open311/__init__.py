"""Open311 GeoReport v2: the enterprise service desk for clients that speak that standard (views.py)."""
