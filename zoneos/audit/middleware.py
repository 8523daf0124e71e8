from .context import acting_lazily


class ActorMiddleware:
    """Make the request's user the author of changes made while serving it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_lazily(lambda: getattr(request, "user", None)):
            return self.get_response(request)
