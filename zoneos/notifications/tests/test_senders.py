"""The payloads and signatures each group robot accepts, the answers that mean failure, and the HTTP
transport against a fake robot on the loopback address."""

import base64
import hashlib
import hmac
import urllib.parse

import pytest

from zoneos.notifications import senders
from zoneos.notifications.senders import DeliveryError, Message, build_request, check_answer

MESSAGE = Message(
    event="assigned",
    subject="诉求已分派：用电报装",
    text="一号科技有限公司的诉求已分派给企业服务中心。",
    url="https://zoneos.example.cn/appeals/7/",
    area=3,
)
NOW_MS = 1_760_000_000_123
SECRET = "SEC0123456789abcdef"


def independent_dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    # As DingTalk's documentation writes it: HmacSHA256(key=secret, "timestamp\nsecret"), base64, urlencode.
    mac = hmac.HMAC(secret.encode("utf-8"), digestmod=hashlib.sha256)
    mac.update("\n".join((str(timestamp_ms), secret)).encode("utf-8"))
    return urllib.parse.quote_plus(base64.b64encode(mac.digest()))


def independent_feishu_sign(secret: str, timestamp_s: int) -> str:
    # As Feishu's documentation writes it: HmacSHA256(key="timestamp\nsecret", empty message), base64.
    mac = hmac.HMAC("\n".join((str(timestamp_s), secret)).encode("utf-8"), digestmod=hashlib.sha256)
    return base64.standard_b64encode(mac.digest()).decode("ascii")


def test_wecom_gets_markdown_content():
    request = build_request(
        "wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K", "", MESSAGE, NOW_MS
    )
    assert request.url == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K"
    assert list(request.payload) == ["msgtype", "markdown"]
    assert request.payload["msgtype"] == "markdown"
    assert list(request.payload["markdown"]) == ["content"]
    content = request.payload["markdown"]["content"]
    assert content.startswith("**诉求已分派：用电报装**\n\n一号科技有限公司")
    assert content.endswith("[https://zoneos.example.cn/appeals/7/](https://zoneos.example.cn/appeals/7/)")


def test_wecom_content_is_kept_within_its_limit():
    long = Message(**{**MESSAGE.__dict__, "text": "长" * 3000})
    content = build_request("wecom", "https://q.example/x", "", long, NOW_MS).payload["markdown"]["content"]
    assert len(content.encode()) <= 4096 and content.endswith("…")


def test_dingtalk_gets_markdown_with_a_title_and_no_signature_without_a_secret():
    address = "https://oapi.dingtalk.com/robot/send?access_token=T"
    request = build_request("dingtalk", address, "", MESSAGE, NOW_MS)
    assert request.url == address
    assert request.payload == {
        "msgtype": "markdown",
        "markdown": {
            "title": "诉求已分派：用电报装",
            "text": "#### 诉求已分派：用电报装\n\n一号科技有限公司的诉求已分派给企业服务中心。\n\n"
            "[https://zoneos.example.cn/appeals/7/](https://zoneos.example.cn/appeals/7/)",
        },
    }


def test_dingtalk_signs_in_the_query_with_milliseconds():
    address = "https://oapi.dingtalk.com/robot/send?access_token=T"
    request = build_request("dingtalk", address, SECRET, MESSAGE, NOW_MS)
    prefix = address + f"&timestamp={NOW_MS}&sign="
    assert request.url.startswith(prefix)
    assert request.url[len(prefix) :] == independent_dingtalk_sign(SECRET, NOW_MS)  # URL-encoded
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(request.url).query))
    assert query["access_token"] == "T" and query["timestamp"] == str(NOW_MS)
    assert query["sign"] == urllib.parse.unquote_plus(independent_dingtalk_sign(SECRET, NOW_MS))
    assert "sign" not in request.payload and "timestamp" not in request.payload


def test_a_sign_with_plus_and_slash_survives_the_query():
    # Find a timestamp whose signature holds characters that must be URL-encoded.
    for ms in range(NOW_MS, NOW_MS + 500):
        raw = urllib.parse.unquote_plus(independent_dingtalk_sign(SECRET, ms))
        if "+" in raw and "/" in raw:
            break
    url = build_request(
        "dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=T", SECRET, MESSAGE, ms
    ).url
    assert "+" not in url.split("sign=")[1] and "/" not in url.split("sign=")[1]
    assert dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))["sign"] == raw


def test_feishu_gets_text_and_signs_in_the_body_with_seconds():
    address = "https://open.feishu.cn/open-apis/bot/v2/hook/abc"
    plain = build_request("feishu", address, "", MESSAGE, NOW_MS)
    assert plain.url == address
    assert plain.payload == {
        "msg_type": "text",
        "content": {
            "text": "诉求已分派：用电报装\n一号科技有限公司的诉求已分派给企业服务中心。\n"
            "https://zoneos.example.cn/appeals/7/"
        },
    }
    signed = build_request("feishu", address, SECRET, MESSAGE, NOW_MS)
    assert signed.url == address
    seconds = NOW_MS // 1000
    assert signed.payload == {
        "timestamp": str(seconds),
        "sign": independent_feishu_sign(SECRET, seconds),
        **plain.payload,
    }


def test_the_signatures_match_published_examples_computed_by_hand():
    # Fixed inputs, so a change of algorithm (key and message swapped, ms for s) shows at once.
    assert senders.dingtalk_sign("SECabc", 1577808000000) == urllib.parse.unquote_plus(
        independent_dingtalk_sign("SECabc", 1577808000000)
    )
    assert senders.feishu_sign("abc", 1577808000) == independent_feishu_sign("abc", 1577808000)
    assert senders.feishu_sign("abc", 1577808000) != senders.dingtalk_sign("abc", 1577808000)


def test_a_generic_webhook_gets_the_plain_fields():
    request = build_request("webhook", "https://oa.example.cn/hooks/zoneos", "", MESSAGE, NOW_MS)
    assert request.url == "https://oa.example.cn/hooks/zoneos"
    assert request.payload == {
        "event": "assigned",
        "subject": "诉求已分派：用电报装",
        "text": "一号科技有限公司的诉求已分派给企业服务中心。",
        "url": "https://zoneos.example.cn/appeals/7/",
        "area": 3,
    }


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("wecom", b'{"errcode": 93000, "errmsg": "invalid webhook url"}'),
        ("dingtalk", b'{"errcode": 310000, "errmsg": "sign not match"}'),
        ("feishu", b'{"code": 19021, "msg": "sign match fail", "data": {}}'),
        ("feishu", b'{"StatusCode": 9499, "StatusMessage": "Bad Request"}'),
        ("wecom", b"<html>gateway</html>"),
        ("dingtalk", b"{}"),
        ("feishu", b"[]"),
    ],
)
def test_a_robots_refusal_in_a_200_answer_is_a_failure(kind, body):
    with pytest.raises(DeliveryError):
        check_answer(kind, body)


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("wecom", b'{"errcode": 0, "errmsg": "ok"}'),
        ("dingtalk", b'{"errcode":0,"errmsg":"ok"}'),
        ("feishu", b'{"StatusCode":0,"StatusMessage":"success","code":0,"data":{},"msg":"success"}'),
        ("feishu", b'{"code":0,"data":{},"msg":"success"}'),
        ("webhook", b""),
        ("webhook", b"accepted"),
    ],
)
def test_a_robots_acceptance_passes(kind, body):
    check_answer(kind, body)


def test_the_transport_posts_json_and_reads_the_answer(robot):
    senders.send_webhook("dingtalk", robot.url(), SECRET, MESSAGE, NOW_MS)
    (got,) = robot.received
    assert got.path == "/robot/send"
    assert got.query["access_token"] == "abc" and got.query["timestamp"] == str(NOW_MS)
    assert got.query["sign"] == urllib.parse.unquote_plus(independent_dingtalk_sign(SECRET, NOW_MS))
    assert got.body["msgtype"] == "markdown" and got.body["markdown"]["title"] == MESSAGE.subject
    assert got.headers["Content-Type"].startswith("application/json")


def test_the_transport_fails_on_an_error_code_an_http_error_and_a_redirect(robot):
    robot.answer = {"errcode": 310000, "errmsg": "keywords not in content"}
    with pytest.raises(DeliveryError, match="310000 keywords not in content"):
        senders.send_webhook("dingtalk", robot.url(), "", MESSAGE, NOW_MS)
    robot.status, robot.answer = 500, "oops"
    with pytest.raises(DeliveryError, match="HTTP 500"):
        senders.send_webhook("webhook", robot.url("/hook"), "", MESSAGE, NOW_MS)
    robot.status, robot.answer, robot.redirect_to = 200, {"errcode": 0}, robot.url("/x")
    with pytest.raises(DeliveryError, match="HTTP 302"):
        senders.send_webhook("webhook", robot.url("/hook"), "", MESSAGE, NOW_MS)
    assert len(robot.received) == 3  # the redirect was not followed


def test_the_transport_fails_on_an_unreachable_or_silent_address_within_the_timeout(settings):
    import socket
    import time

    settings.NOTIFICATIONS_HTTP_TIMEOUT = 0.5
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with pytest.raises(DeliveryError, match="cannot reach"):
        senders.post_json(f"http://127.0.0.1:{port}/hook", {})
    with socket.socket() as silent:  # accepts the connection, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        started = time.monotonic()
        with pytest.raises(DeliveryError, match="cannot reach"):
            senders.post_json(f"http://127.0.0.1:{silent.getsockname()[1]}/hook", {})
        assert time.monotonic() - started < 5
    with pytest.raises(DeliveryError) as refused:
        senders.post_json("file:///etc/passwd", {})
    assert refused.value.final
