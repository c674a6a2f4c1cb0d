"""The upload cap on the whole request body, enforced before Starlette buffers it.

Starlette parses a multipart body into its own temporary files before an endpoint sees a
single upload, so a check in the endpoint would come after a 50 GB body had been written to
disk. This ASGI middleware refuses a declared ``Content-Length`` over the cap before reading a
byte, and counts the bytes of a body sent without one (chunked) as they arrive, failing the
request (HTTP 413, one line) at the first byte over the cap. The cap is per request: one file
or a batch of files together (``ssblab serve --max-upload``, default 200 MB).
"""

from __future__ import annotations

import json

from ssblab.web.uploads import format_bytes


class BodyLimit:
    def __init__(self, app, limit_bytes: int) -> None:
        self.app = app
        self.limit_bytes = limit_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_bytes
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _refuse(send, f"request body of {format_bytes(int(declared))} over the "
                                f"upload limit of {format_bytes(limit)}")  # fmt: skip
            return
        received = 0
        refused = False

        async def counted():
            # over the cap: answer 413 here, then tell the app the client went away (an
            # exception would reach the form parser, which turns any error into a 400)
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    await _refuse(send, f"request body over the upload limit of "
                                        f"{format_bytes(limit)}")  # fmt: skip
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message) -> None:
            if not refused:  # after the 413, whatever the app still answers is dropped
                await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not refused:
                raise


async def _refuse(send, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                        (b"connection", b"close")],
        }
    )  # fmt: skip
    await send({"type": "http.response.body", "body": body})
