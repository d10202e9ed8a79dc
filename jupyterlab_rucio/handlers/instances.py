"""Which Rucio instances this hub offers, and which one the user works with."""

from __future__ import annotations

from typing import Any

import tornado

from ..extension import active_instance_name
from .base import RucioHandler, string_field


def instance_list(handler: RucioHandler) -> dict[str, Any]:
    rucio = handler.rucio
    catalogue = rucio.catalogue.current()
    return {
        "instances": [i.public() for i in catalogue.instances.values()],
        "active": active_instance_name(catalogue, rucio.store),
        "default_auth_method": catalogue.default_auth_method,
        "problems": [problem.public() for problem in catalogue.problems],
    }


class InstancesHandler(RucioHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        self.reply(instance_list(self))


class ActiveInstanceHandler(RucioHandler):
    """Only PUT: the active instance is part of the instance list (GET /instances)."""

    @tornado.web.authenticated
    async def put(self) -> None:
        name = string_field(self.json_body(), "name", max_len=100)
        instance = self.rucio.instance(name)
        self.rucio.store.set_active_instance(instance.name)
        self.reply(instance_list(self))
