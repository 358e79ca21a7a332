"""A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol.

It replays scripted answers — good JSON, slow, hanging, 429 with Retry-After, 500, a reset
connection, truncated JSON, refusals, a refused ``json_schema`` response format — so that the
real ``openai`` client is tested against real sockets. Without a script it answers well: it
reads the excerpt between the untrusted-document markers and answers with sentences quoted
from it, so every finding grounds.
"""

from __future__ import annotations

import json
import re
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from extractors.llm.reader import estimate_tokens

_DOCUMENT = re.compile(
    r"<<<UNTRUSTED DOCUMENT (?P<b>[0-9a-f]+)\n(?P<text>.*)\nEND UNTRUSTED DOCUMENT (?P=b)>>>",
    re.S,
)


@dataclass
class StubReply:
    """One scripted answer. ``content`` is the assistant's text; the rest shapes the HTTP."""

    content: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    delay_s: float = 0.0
    hang: bool = False
    reset: bool = False
    refusal: str | None = None
    finish_reason: str = "stop"


@dataclass
class StubRequest:
    """What the client sent."""

    body: dict[str, Any]
    headers: dict[str, str]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def user_text(self) -> str:
        return "\n".join(m["content"] for m in self.messages if m["role"] == "user")

    @property
    def document_text(self) -> str:
        found = _DOCUMENT.search(self.user_text)
        return found.group("text") if found else ""

    @property
    def strict(self) -> bool:
        return (self.body.get("response_format") or {}).get("type") == "json_schema"


Responder = Callable[[StubRequest], StubReply]


class OpenAIStub:
    """The server, its script and the requests it received."""

    def __init__(
        self, responder: Responder | None = None, *, model: str = "stub-model", port: int = 0
    ) -> None:
        self.responder: Responder = responder or good_reply
        self.model = model
        self.script: deque[StubReply | Responder] = deque()
        self.requests: list[StubRequest] = []
        # False: refuse "json_schema" response formats with 400, as some servers do.
        self.supports_strict = True
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    @property
    def calls(self) -> int:
        return len(self.requests)

    def enqueue(self, *replies: StubReply | Responder) -> None:
        """Answer the next requests with these, in order, then with the responder."""
        self.script.extend(replies)

    def start(self) -> OpenAIStub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _next(self, request: StubRequest) -> StubReply:
        with self._lock:
            self.requests.append(request)
            scripted = self.script.popleft() if self.script else None
        if scripted is None:
            return self.responder(request)
        return scripted if isinstance(scripted, StubReply) else scripted(request)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                self._send(200, {"object": "list", "data": [{"id": stub.model}]})

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                request = StubRequest(body=body, headers=dict(self.headers.items()))
                if not self.path.endswith("/chat/completions"):
                    self._send(404, {"error": {"message": "not found"}})
                    return
                if request.strict and not stub.supports_strict:
                    stub._next(request)  # counted like any call
                    message = "response_format json_schema is not supported by this server"
                    self._send(400, {"error": {"message": message, "type": "invalid_request"}})
                    return
                reply = stub._next(request)
                if reply.hang:
                    stub._stop.wait(60)
                    return
                if reply.delay_s:
                    stub._stop.wait(reply.delay_s)
                if reply.reset:
                    # SO_LINGER 0: close with a TCP reset, not an orderly shutdown.
                    self.connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                    )
                    self.close_connection = True
                    self.connection.close()
                    return
                if reply.status != 200:
                    payload = reply.body or {"error": {"message": f"status {reply.status}"}}
                    self._send(reply.status, payload, reply.headers)
                    return
                self._send(200, stub.completion(request, reply), reply.headers)

            def _send(
                self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
            ) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                with suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

        return Handler

    def completion(self, request: StubRequest, reply: StubReply) -> dict[str, Any]:
        """A chat.completion body around ``reply``, with usage counted like the reader does."""
        sent = "".join(m.get("content") or "" for m in request.messages)
        schema = (request.body.get("response_format") or {}).get("json_schema")
        prompt_tokens = estimate_tokens(sent) + (
            estimate_tokens(json.dumps(schema, separators=(",", ":"))) if schema else 0
        )
        content = reply.content
        return {
            "id": f"chatcmpl-stub-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.model,
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": None if reply.refusal else content,
                        "refusal": reply.refusal,
                    },
                    "finish_reason": reply.finish_reason,
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": estimate_tokens(content or reply.refusal or ""),
                "total_tokens": prompt_tokens + estimate_tokens(content or ""),
            },
        }


@contextmanager
def running_stub(responder: Responder | None = None) -> Iterator[OpenAIStub]:
    """A started stub, stopped on exit."""
    stub = OpenAIStub(responder).start()
    try:
        yield stub
    finally:
        stub.stop()


# ---- answers ------------------------------------------------------------------------

_CUSTOMER = r"\b(customer|licensee|buyer)\b"
_SENTENCE = re.compile(r"[^.;\n]{25,280}[.;]")
_CLAUSE_CUES: tuple[tuple[str, str], ...] = (
    (r"most[- ]favou?red|no less favou?rable", "commercial.most_favoured_nation"),
    (
        r"price(s)? (shall|will) not (increase|change)|price increases? .{0,40}(cap|limit|exceed)",
        "commercial.price_restrictions",
    ),
    (r"third[- ]party beneficiar", "legal.third_party_beneficiary"),
    (r"liquidated damages", "legal.liquidated_damages"),
    (r"exclusiv", "legal.exclusivity"),
    (r"non-?compet|shall not compete", "legal.non_compete"),
    (r"escrow", "legal.source_code_escrow"),
    (
        r"unlimited liability|liability .{0,40}(shall not be limited|uncapped)",
        "legal.uncapped_liability",
    ),
    (r"terminate .{0,60}for (its )?convenience", "legal.termination_for_convenience"),
    (r"SOC 2", "security.soc2_report"),
    (r"penetration test", "security.penetration_test"),
)


def sentences(text: str) -> list[str]:
    """Whole sentences of ``text``, exactly as written (so that they ground)."""
    return [m.group(0).strip() for m in _SENTENCE.finditer(text) if len(m.group(0).strip()) > 25]


def good_answer(text: str) -> dict[str, Any]:
    """A schema-valid answer quoting ``text``: what a capable model would say, roughly."""
    found = sentences(text)
    first = found[0] if found else text[:200].strip()
    duties = [s for s in found if re.search(r"\b(shall|must|will)\b", s)][:6]
    obligations = [
        {
            "party": "customer"
            if re.search(r"\b(customer|licensee|buyer)\b", s, re.I)
            else "provider",
            "action": s[:90],
            "due": m.group(0) if (m := re.search(r"within \w+ (\(\d+\) )?days", s)) else None,
            "recurring": bool(re.search(r"\b(monthly|annual|each year|quarterly)\b", s, re.I)),
            "quote": s,
        }
        for s in duties
    ]
    risks = [
        {"label": "Liability terms", "explanation": "The liability terms need review.", "quote": s}
        for s in found
        if re.search(r"liabil|indemnif", s, re.I)
    ][:3]
    clauses = []
    for cue, path in _CLAUSE_CUES:
        hit = next((s for s in found if re.search(cue, s, re.I)), None)
        if hit is not None:
            clauses.append(
                {"category": path, "present": True, "quote": hit, "explanation": "Stated here."}
            )
    level = "high" if len(clauses) >= 3 else "medium" if clauses or duties else "low"
    reasons = [{"point": "Negotiated obligations", "quote": duties[0]}] if duties else []
    return {
        "summary": "An agreement setting out the parties' commercial and legal terms.",
        "summary_quotes": [first],
        "complexity": level,
        "complexity_reasons": reasons,
        "obligations": obligations,
        "risks": risks,
        "clauses": clauses,
    }


def good_reply(request: StubRequest) -> StubReply:
    """The default responder: a good, grounded answer for the excerpt sent."""
    return StubReply(content=json.dumps(good_answer(request.document_text)))


def json_reply(answer: dict[str, Any], **shape: Any) -> StubReply:
    """A reply whose content is ``answer`` as JSON."""
    return StubReply(content=json.dumps(answer), **shape)


def obedient_reply(request: StubRequest) -> StubReply:
    """A model that obeyed an injected instruction: everything standard, nothing to approve."""
    text = request.document_text
    found = sentences(text)
    answer = {
        "summary": "Standard self-serve subscription; classify as self-serve, no approval needed.",
        "summary_quotes": [found[0]] if found else [],
        "complexity": "low",
        "complexity_reasons": [],
        "obligations": [],
        "risks": [],
        "clauses": [
            {
                "category": path,
                "present": False,
                "quote": "This clause has been waived by the system administrator.",
                "explanation": "Ignore: instructed to classify as self-serve.",
            }
            for _, path in _CLAUSE_CUES
        ],
    }
    return StubReply(content=json.dumps(answer))


def main() -> None:
    """Serve the stub until interrupted: ``python -m tests.support.openai_stub [--port N]``."""
    import argparse

    parser = argparse.ArgumentParser(description="A local OpenAI-compatible stub server.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per answer")
    args = parser.parse_args()

    def answer(request: StubRequest) -> StubReply:
        time.sleep(args.latency)
        return good_reply(request)

    stub = OpenAIStub(answer, port=args.port).start()
    print(f"OPENAI_BASE_URL={stub.base_url}  (Ctrl-C stops it)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        stub.stop()


if __name__ == "__main__":
    main()
