"""A kernel of a Jupyter server, driven as JupyterLab drives it: started through the server's
REST API, and sent code over the server's kernel websocket (the JSON protocol), one request at
a time. The benchmarks use it to time what a notebook's attachments cost, the code run in the
kernel included."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import urlsplit

import requests
from jupyter_client.jsonutil import json_default
from jupyter_client.session import Session
from tornado.httpclient import HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect


class Kernel:
    """One kernel of the server at `base` (stopped by `close`, or at the end of a `with`)."""

    def __init__(self, base: str, token: str, name: str = "python3") -> None:
        self._base = base
        self._headers = {"Authorization": f"token {token}"}
        answer = requests.post(
            f"{base}/api/kernels", json={"name": name}, headers=self._headers, timeout=60
        )
        answer.raise_for_status()
        self.id = answer.json()["id"]
        self._session = Session(username="bench")
        self._loop = asyncio.new_event_loop()
        address = urlsplit(base)
        try:
            self._socket: WebSocketClientConnection = self._loop.run_until_complete(
                self._connect(
                    f"ws://{address.netloc}{address.path}/api/kernels/{self.id}/channels"
                    f"?session_id={self._session.session}"
                )
            )
            # A new kernel answers once it is up.
            self.execute("pass", timeout=120)
        except BaseException:
            self._shut_down()
            raise

    def __enter__(self) -> Kernel:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    async def _connect(self, url: str) -> WebSocketClientConnection:
        # Inside a coroutine of the kernel's own loop, where the connection's futures belong.
        request = HTTPRequest(url, headers=self._headers)
        return await websocket_connect(request, max_message_size=256 * 1024 * 1024)

    def execute(
        self, code: str, expressions: dict[str, str] | None = None, timeout: float = 600
    ) -> dict[str, Any]:
        """Run `code` as the sidebar's injection does (silent, not in the history) and return
        the content of the kernel's execute_reply; an error of the code raises."""
        reply = self._loop.run_until_complete(
            asyncio.wait_for(self._execute(code, expressions or {}), timeout)
        )
        if reply["status"] != "ok":
            raise RuntimeError(f"the kernel answered {reply['status']}: {reply.get('evalue')}")
        return reply

    async def _execute(self, code: str, expressions: dict[str, str]) -> dict[str, Any]:
        # A message as jupyter_client makes it, on the websocket's JSON protocol.
        message = self._session.msg(
            "execute_request",
            {
                "code": code,
                "silent": True,
                "store_history": False,
                "user_expressions": expressions,
                "allow_stdin": False,
                "stop_on_error": False,
            },
        )
        msg_id = message["header"]["msg_id"]
        await self._socket.write_message(
            json.dumps({**message, "channel": "shell", "buffers": []}, default=json_default)
        )
        while True:
            raw = await self._socket.read_message()
            if raw is None:
                raise RuntimeError("the kernel's websocket closed")
            message = json.loads(raw)
            if (
                message.get("channel") == "shell"
                and message["header"]["msg_type"] == "execute_reply"
                and message["parent_header"].get("msg_id") == msg_id
            ):
                return message["content"]

    def close(self) -> None:
        self._socket.close()
        self._shut_down()

    def _shut_down(self) -> None:
        self._loop.close()
        requests.delete(f"{self._base}/api/kernels/{self.id}", headers=self._headers, timeout=60)
