"""HTTP access to the extension's REST API in tests, checking every answer against openapi.yaml."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from tornado.httpclient import HTTPClientError

SPEC_PATH = Path(__file__).resolve().parents[1] / "openapi.yaml"
_SPEC: OpenAPI | None = None


def openapi_spec() -> OpenAPI:
    global _SPEC
    if _SPEC is None:
        _SPEC = OpenAPI.from_file_path(str(SPEC_PATH))
    return _SPEC


class RucioApi:
    """Calls `<base_url>/jupyterlab-rucio/<path>` with the test server's token."""

    def __init__(self, fetch, instance: str | None = None) -> None:
        self._fetch = fetch
        self.instance = instance

    async def request(
        self,
        verb: str,
        path: str,
        body: Any = None,
        raw_body: bytes | None = None,
        spec: bool = True,
        **params: Any,
    ) -> tuple[int, Any]:
        if self.instance and "instance" not in params:
            params["instance"] = self.instance
        params = {k: v for k, v in params.items() if v is not None}
        kwargs: dict[str, Any] = {"method": verb, "raise_error": False}
        if raw_body is not None:
            kwargs["body"] = raw_body
        elif body is not None:
            kwargs["body"] = json.dumps(body)
        elif verb in ("POST", "PUT"):
            kwargs["body"] = b""
        try:
            response = await self._fetch(
                "jupyterlab-rucio", path, params=params, request_timeout=120, **kwargs
            )
        except HTTPClientError as error:  # raised by some tornado versions despite raise_error
            response = error.response
        data = json.loads(response.body) if response.body else None
        assert response.code != 500, f"{verb} {path} -> 500: {data}"
        if response.code >= 400:
            assert isinstance(data, dict) and data.get("message"), f"no message in {data}"
        if spec:  # off only for requests the description deliberately does not list
            self.check_against_spec(verb, path, params, response.code, response.body)
        return response.code, data

    def check_against_spec(self, method, path, params, status, body) -> None:
        request = MockRequest(
            "http://localhost",
            method,
            "/jupyterlab-rucio/" + path,
            args={k: str(v) for k, v in params.items()},
        )
        response = MockResponse(body or b"", status_code=status)
        openapi_spec().validate_response(request, response)

    async def get(self, path: str, expect: int = 200, **params: Any) -> Any:
        status, data = await self.request("GET", path, **params)
        assert status == expect, f"GET {path} {params} -> {status}: {data}"
        return data

    async def post(self, path: str, body: Any, expect: int = 200, **params: Any) -> Any:
        status, data = await self.request("POST", path, body=body, **params)
        assert status == expect, f"POST {path} {body} -> {status}: {data}"
        return data

    async def put(self, path: str, body: Any, expect: int = 200, **params: Any) -> Any:
        status, data = await self.request("PUT", path, body=body, **params)
        assert status == expect, f"PUT {path} -> {status}: {data}"
        return data

    async def wait_for(self, path: str, done, timeout: float = 90, **params: Any) -> Any:
        """Poll a GET until `done(answer)` holds; returns every answer seen."""
        seen = []
        deadline = time.monotonic() + timeout
        while True:
            seen.append(await self.get(path, **params))
            if done(seen[-1]):
                return seen
            assert time.monotonic() < deadline, f"{path} never finished: {seen[-1]}"
            await asyncio.sleep(1)
