"""LINE's HTTP API faked at the boundary: urllib3's ``PoolManager.request``, under
the official SDK. Everything above it (the SDK, our code) runs for real."""

import json
import re
from dataclasses import dataclass, field

import pytest
import urllib3


@dataclass
class Call:
    method: str
    url: str
    headers: dict
    body: dict | None

    @property
    def path(self) -> str:
        return re.sub(r"^https://api\.line\.me", "", self.url)


@dataclass
class FakeLine:
    """Answers each request with the next planned answer for its path (status, body
    or an exception), or 200 with a plausible body; records every call."""

    calls: list[Call] = field(default_factory=list)
    planned: dict[str, list] = field(default_factory=dict)
    group_members: int = 37

    def answer(self, path: str, *answers) -> None:
        """Plan the answers to the next requests to ``path`` (a regular expression)."""
        self.planned.setdefault(path, []).extend(answers)

    def pushes(self) -> list[Call]:
        return [call for call in self.calls if call.path == "/v2/bot/message/push"]

    def replies(self) -> list[Call]:
        return [call for call in self.calls if call.path == "/v2/bot/message/reply"]

    def __call__(self, method, url, body=None, headers=None, **kwargs):
        call = Call(method, url, dict(headers or {}), json.loads(body) if body else None)
        self.calls.append(call)
        for pattern, answers in self.planned.items():
            if re.fullmatch(pattern, call.path) and answers:
                answer = answers.pop(0)
                if isinstance(answer, BaseException):
                    raise answer
                status, payload = answer
                return _response(status, payload)
        if call.path.endswith("/members/count"):
            return _response(200, {"count": self.group_members})
        if call.path == "/v2/bot/message/push":
            return _response(200, {"sentMessages": [{"id": "1", "quoteToken": "q"}]})
        return _response(200, {})


def _response(status: int, payload) -> urllib3.HTTPResponse:
    return urllib3.HTTPResponse(
        body=json.dumps(payload).encode(),
        status=status,
        reason={200: "OK", 400: "Bad Request", 409: "Conflict", 429: "Too Many Requests"}.get(
            status, "Error"
        ),
        headers={"Content-Type": "application/json"},
        preload_content=True,
    )


@pytest.fixture
def line_api(monkeypatch, settings) -> FakeLine:
    """LINE set up (bot token, chairs' group, channel secret) and its API faked."""
    settings.LINE_CHANNEL_ACCESS_TOKEN = "channel-token-123"
    settings.LINE_GROUP_ID = "C0123456789abcdef0123456789abcdef"
    settings.LINE_CHANNEL_SECRET = "test-channel-secret"
    fake = FakeLine()
    monkeypatch.setattr(urllib3.PoolManager, "request", fake)
    return fake
