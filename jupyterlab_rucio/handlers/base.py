"""The base of every jupyterlab-rucio handler: JSON in, JSON out, errors as {message}."""

from __future__ import annotations

import json
from typing import Any

from jupyter_server.base.handlers import APIHandler
from tornado.web import HTTPError

from ..config import InstanceConfig
from ..dids import Did, DidError, parse_did
from ..extension import RucioExtension

MAX_BODY_BYTES = 1024 * 1024
SETTINGS_KEY = "jupyterlab_rucio"


def bad_request(message: str) -> HTTPError:
    return HTTPError(400, message)


class RucioHandler(APIHandler):
    @property
    def rucio(self) -> RucioExtension:
        return self.settings[SETTINGS_KEY]

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        # Only our own message: never a traceback, never a secret from a request body.
        self.set_header("Content-Type", "application/json")
        error = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(error, HTTPError) and error.log_message:
            message = http_error_message(error)
        elif status_code >= 500:
            message = "Internal error in the Rucio extension; see the server log"
        else:
            message = self._reason
        self.finish(json.dumps({"message": message}))

    def current_instance(self) -> InstanceConfig:
        name = self.get_query_argument("instance", None)
        if name is not None and len(name) > 100:
            raise bad_request("instance name is too long")
        return self.rucio.instance(name)

    def json_body(self) -> dict[str, Any]:
        if len(self.request.body) > MAX_BODY_BYTES:
            raise bad_request(f"request body is larger than {MAX_BODY_BYTES} bytes")
        try:
            body = json.loads(self.request.body or b"{}")
        except RecursionError as error:
            raise bad_request("request body is nested too deeply") from error
        except ValueError as error:
            raise bad_request(f"request body is not valid JSON: {error}") from error
        if not isinstance(body, dict):
            raise bad_request("request body must be a JSON object")
        return body

    def did_argument(self, *, wildcard: bool = False) -> Did:
        text = self.get_query_argument("did", None)
        if text is None:
            raise bad_request("query parameter 'did' is required")
        return self.parse_did(text, wildcard=wildcard)

    @staticmethod
    def parse_did(text: Any, *, wildcard: bool = False, field: str = "did") -> Did:
        try:
            return parse_did(text, wildcard=wildcard, field=field)
        except DidError as error:
            raise bad_request(str(error)) from error

    def limit_argument(self, default: int = 100, maximum: int = 1000) -> int:
        text = self.get_query_argument("limit", None)
        if text is None:
            return default
        try:
            value = int(text)
        except ValueError as error:
            raise bad_request("limit must be an integer") from error
        if not 1 <= value <= maximum:
            raise bad_request(f"limit must be between 1 and {maximum}")
        return value

    def reply(self, data: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(data))


class UnknownEndpointHandler(RucioHandler):
    """Anything else under jupyterlab-rucio/ answers in JSON too, after the same login and
    XSRF checks as every other route (tornado checks XSRF before `prepare`)."""

    async def prepare(self) -> None:
        await super().prepare()
        if not self.current_user:
            raise HTTPError(403, "Not signed in to Jupyter")
        raise HTTPError(404, "No such endpoint")


def http_error_message(error: HTTPError) -> str:
    """The message of an HTTPError as it was written: tornado doubles every '%' of a message
    given without arguments, so formatting with the (possibly empty) arguments undoes it."""
    try:
        return error.log_message % error.args
    except (TypeError, ValueError):
        return error.log_message


def lifetime_field(body: dict[str, Any]) -> float | None:
    value = body.get("lifetime_days")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise bad_request("lifetime_days must be a number of days")
    if not 0 < value <= 36500:
        raise bad_request("lifetime_days must be between 0 and 36500")
    return float(value)


def string_field(body: dict[str, Any], key: str, *, required: bool = True, max_len: int = 4096):
    value = body.get(key)
    if value is None or value == "":
        if required:
            raise bad_request(f"field '{key}' is required")
        return None
    if not isinstance(value, str):
        raise bad_request(f"field '{key}' must be a string")
    if len(value) > max_len:
        raise bad_request(f"field '{key}' is longer than {max_len} characters")
    return value
