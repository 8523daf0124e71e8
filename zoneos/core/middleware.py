"""Language choice: the user's explicit choice (cookie), else Simplified Chinese.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a staff member on an
English-language browser would land in English; ZoneOS is a Chinese platform that speaks English on
request, so the browser's preference is deliberately ignored on pages. API clients have no cookie to
set, so under /api/ a supported language named in Accept-Language is honoured.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in SUPPORTED:
            language = self.api_language(request) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language") if self.is_api(request) else ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response

    @staticmethod
    def is_api(request) -> bool:
        return request.path.startswith("/api/")

    def api_language(self, request) -> str | None:
        if not self.is_api(request):
            return None
        for tag, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
            try:
                return translation.get_supported_language_variant(tag)
            except LookupError:
                continue
        return None


# Content-Security-Policy (docs/security.md). Scripts only from our own files: no inline <script>, no
# on*= attributes, no eval. Styles may be inline: ECharts writes style attributes into its tooltips and
# Bootstrap positions menus with them; scripts are what an injected tag would use to act.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# The API documentation page (drf-spectacular's Swagger UI) starts its bundle with an inline script;
# only that page gets it, and only there.
CSP_RELAXED = {
    "/api/docs/": CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
}


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        header = (
            "Content-Security-Policy-Report-Only" if settings.CSP_REPORT_ONLY else "Content-Security-Policy"
        )
        if header not in response.headers:
            policy = next((p for prefix, p in CSP_RELAXED.items() if request.path.startswith(prefix)), CSP)
            response.headers[header] = policy
        return response


class RequestSizeMiddleware:
    """Refuse a request whose declared body is larger than ZONEOS_MAX_REQUEST_BYTES before any of it is
    read: Django spools uploaded files to disk without a limit of its own, so a 10 GB upload would fill
    the disk before the import's own size check could refuse it. Answered like every other 400:
    JSON under /api/ and /open311/, a page elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.ZONEOS_MAX_REQUEST_BYTES:
            from zoneos.core.refusals import request_too_big

            return request_too_big(request, settings.ZONEOS_MAX_REQUEST_BYTES)
        return self.get_response(request)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class TextInputMiddleware:
    """Page forms and Open311 posts: every field's text cleaned before any view sees it (NFC, invisible
    and bidirectional characters removed, zoneos.core.text), and a control character refused with a
    400 naming the field. The API (/api/) cleans its own bodies in its parsers, with DRF's error shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in ("POST", "PUT", "PATCH")
            and not request.path.startswith("/api/")
            and request.content_type in FORM_TYPES
        ):
            from zoneos.core.refusals import bad_text
            from zoneos.core.text import BadText, clean_file_name, clean_querydict

            try:
                request.POST = clean_querydict(request.POST)
            except BadText as exc:
                return bad_text(request, exc.field, exc.message)
            for _field, uploads in request.FILES.lists():
                for upload in uploads:
                    upload.name = clean_file_name(upload.name)
        return self.get_response(request)
