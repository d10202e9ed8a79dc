"""Notebook attachments: the code that defines DIDs as variables in a kernel's language."""

from __future__ import annotations

from typing import Any

import tornado

from ..codegen import (
    CodegenError,
    Language,
    check_variable,
    language_of,
    supported_languages,
)
from ..notebook import Attachment, code_for
from .base import RucioHandler, bad_request

MAX_ATTACHMENTS = 100


class NotebookCodeHandler(RucioHandler):
    """POST {language, attachments: [{variable, did}], instance?} -> per attachment results and
    the code that defines the variables whose DIDs are fully available."""

    @tornado.web.authenticated
    async def post(self) -> None:
        body = self.json_body()
        language = language_of(body.get("language"))
        if language is None:
            raise bad_request(
                f"unsupported kernel language {body.get('language')!r}: attachments can be "
                f"defined in {', '.join(supported_languages())}; insert them as a code cell "
                "in another kernel by hand"
            )
        instance_name = body.get("instance")
        if instance_name is not None and not isinstance(instance_name, str):
            raise bad_request("field 'instance' must be a string")
        instance = self.rucio.instance(instance_name) if instance_name else self.current_instance()
        attachments = self._attachments(body.get("attachments"), language)
        mode = await self.rucio.mode(instance)
        try:
            results, code = await code_for(mode, language, attachments)
        except CodegenError as error:
            raise bad_request(str(error)) from error
        self.reply({"language": language.name, "results": results, "code": code})

    def _attachments(self, raw: Any, language: Language) -> list[Attachment]:
        if not isinstance(raw, list) or not raw:
            raise bad_request("field 'attachments' must be a non-empty list")
        if len(raw) > MAX_ATTACHMENTS:
            raise bad_request(f"at most {MAX_ATTACHMENTS} attachments at once")
        parsed: list[Attachment] = []
        seen: set[str] = set()
        for index, item in enumerate(raw):
            where = f"attachments[{index}]"
            if not isinstance(item, dict):
                raise bad_request(f"{where} must be an object with variable and did")
            variable = item.get("variable")
            problem = check_variable(language, variable)
            if problem:
                raise bad_request(f"{where}.variable {variable!r}: {problem}")
            if variable in seen:
                raise bad_request(f"{where}.variable {variable!r} is used twice")
            seen.add(variable)
            did = self.parse_did(item.get("did"), field=f"{where}.did")
            parsed.append(Attachment(variable, did))
        return parsed
