"""How a message reaches each kind of channel: the payloads the group robots accept, their signatures,
the answers that mean failure, and the two transports (HTTP POST of JSON through urllib, and e-mail
through Django's `send_mail`).

The robots answer HTTP 200 even when they refuse a message: WeCom and DingTalk put a non-zero `errcode`
in the body, Feishu a non-zero `code`. Those count as failures here, like a timeout or an HTTP error.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail

from .models import ChannelKind

DEFAULT_TIMEOUT = 5.0  # seconds; settings.NOTIFICATIONS_HTTP_TIMEOUT overrides it
MAX_ANSWER = 64 * 1024  # bytes of a robot's answer read, enough for its error code
WECOM_MAX_BYTES = 4096  # WeCom refuses markdown content longer than this (UTF-8 bytes)


class DeliveryError(Exception):
    """The target refused the message or could not be reached. A `final` error (a channel removed or
    switched off) is not worth another attempt."""

    def __init__(self, message: str, *, final: bool = False):
        super().__init__(message)
        self.final = final


@dataclass(frozen=True)
class Message:
    event: str
    subject: str
    text: str
    url: str
    area: int  # the area's id, as the API names records


@dataclass(frozen=True)
class Request:
    url: str
    payload: dict


# Signatures ----------------------------------------------------------------------------------------
def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk: base64 of HMAC-SHA256 keyed by the secret over "<timestamp in ms>\\n<secret>" (the
    caller URL-encodes it into the query)."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu: base64 of HMAC-SHA256 keyed by "<timestamp in s>\\n<secret>" over an empty message."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def with_query(url: str, params: dict) -> str:
    separator = "&" if urllib.parse.urlsplit(url).query else ("" if url.endswith("?") else "?")
    return url + separator + urllib.parse.urlencode(params)


# Payloads ------------------------------------------------------------------------------------------
def clip_bytes(value: str, limit: int) -> str:
    encoded = value.encode()
    if len(encoded) <= limit:
        return value
    return encoded[: limit - 3].decode(errors="ignore") + "…"


def markdown(message: Message, *, title: str) -> str:
    parts = [title]
    if message.text:
        parts.append(message.text)
    if message.url:
        parts.append(f"[{message.url}]({message.url})")
    return "\n\n".join(parts)


def plain(message: Message) -> str:
    return "\n".join(part for part in (message.subject, message.text, message.url) if part)


def build_request(kind: str, address: str, secret: str, message: Message, now_ms: int) -> Request:
    """The URL and JSON body that deliver `message` to a robot or webhook at `address` (`now_ms`: the
    time in milliseconds since the epoch, which the signed robots check)."""
    if kind == ChannelKind.WECOM:
        content = clip_bytes(markdown(message, title=f"**{message.subject}**"), WECOM_MAX_BYTES)
        return Request(address, {"msgtype": "markdown", "markdown": {"content": content}})
    if kind == ChannelKind.DINGTALK:
        payload = {
            "msgtype": "markdown",
            "markdown": {
                "title": message.subject,
                "text": markdown(message, title=f"#### {message.subject}"),
            },
        }
        url = address
        if secret:
            url = with_query(address, {"timestamp": now_ms, "sign": dingtalk_sign(secret, now_ms)})
        return Request(url, payload)
    if kind == ChannelKind.FEISHU:
        payload: dict = {"msg_type": "text", "content": {"text": plain(message)}}
        if secret:
            seconds = now_ms // 1000
            payload = {"timestamp": str(seconds), "sign": feishu_sign(secret, seconds), **payload}
        return Request(address, payload)
    if kind == ChannelKind.WEBHOOK:
        return Request(
            address,
            {
                "event": message.event,
                "subject": message.subject,
                "text": message.text,
                "url": message.url,
                "area": message.area,
            },
        )
    raise ValueError(f"not a webhook kind: {kind}")


# Answers -------------------------------------------------------------------------------------------
def check_answer(kind: str, body: bytes) -> None:
    """Raise DeliveryError when a robot's 200 answer says it refused the message."""
    if kind == ChannelKind.WEBHOOK:
        return  # any 2xx will do
    try:
        answer = json.loads(body.decode("utf-8", errors="replace"))
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise DeliveryError("the robot's answer is not a JSON object")
    if kind == ChannelKind.FEISHU:
        code = answer.get("code", answer.get("StatusCode"))
        message = answer.get("msg", answer.get("StatusMessage", ""))
    else:
        code, message = answer.get("errcode"), answer.get("errmsg", "")
    if code is None:
        raise DeliveryError("the robot's answer carries no result code")
    if code != 0:
        raise DeliveryError(f"the robot refused the message: {code} {message}".strip())


# Transports ----------------------------------------------------------------------------------------
class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A robot never redirects; following one would resend the message elsewhere (or as a GET)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_RefuseRedirects)


def timeout() -> float:
    return float(getattr(settings, "NOTIFICATIONS_HTTP_TIMEOUT", DEFAULT_TIMEOUT))


def post_json(url: str, payload: dict) -> bytes:
    """POST `payload` as JSON and return the answer's body; DeliveryError unless the answer is 2xx."""
    if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
        raise DeliveryError("the address is not an http(s) URL", final=True)
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "ZoneOS notifications"},
    )
    try:
        with _opener.open(request, timeout=timeout()) as response:
            return response.read(MAX_ANSWER)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise DeliveryError(f"HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise DeliveryError(f"cannot reach the address: {exc.reason}") from exc
    except (TimeoutError, OSError, ValueError) as exc:
        raise DeliveryError(f"cannot reach the address: {exc}") from exc


def send_webhook(kind: str, address: str, secret: str, message: Message, now_ms: int) -> None:
    request = build_request(kind, address, secret, message, now_ms)
    check_answer(kind, post_json(request.url, request.payload))


def send_email(recipients: list[str], message: Message) -> None:
    body = "\n\n".join(part for part in (message.text, message.url) if part)
    try:
        send_mail(message.subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
    except Exception as exc:  # SMTP errors, refused connections, bad headers: all a failed attempt
        raise DeliveryError(f"e-mail not sent: {type(exc).__name__}: {exc}") from exc
