"""What the rows written in Python by template tags share (the appeal queue's, the registry's and the
pipeline's lists, the key-project summary's tables): a record's address, reversed once per rendering."""

from django.urls import reverse

STAND_IN = "2147483647"


def record_url(context, view_name: str, pk) -> str:
    """The address of record `pk` under `view_name` (a pattern with the id as its one argument). It is
    reversed once per rendering, the script prefix and the pattern being the same for every row, with a
    stand-in id that each row replaces by its own."""
    cache = context.render_context
    key = ("record_url", view_name)
    url = cache.get(key)
    if url is None:
        url = cache[key] = reverse(view_name, args=[int(STAND_IN)])
    return url.replace(STAND_IN, str(pk))
