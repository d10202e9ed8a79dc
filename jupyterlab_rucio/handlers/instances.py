"""Which Rucio instances this hub offers, and which one the user works with."""

from __future__ import annotations

import tornado

from .base import RucioHandler, string_field


class InstancesHandler(RucioHandler):
    def instance_list(self) -> dict:
        return {
            "instances": [i.public() for i in self.rucio.instances.values()],
            "active": self.rucio.active_instance_name(),
            "default_auth_method": self.rucio.config.default_auth_method,
        }

    @tornado.web.authenticated
    async def get(self) -> None:
        self.reply(self.instance_list())


class ActiveInstanceHandler(InstancesHandler):
    @tornado.web.authenticated
    async def put(self) -> None:
        name = string_field(self.json_body(), "name", max_len=100)
        instance = self.rucio.instance(name)
        self.rucio.store.set_active_instance(instance.name)
        self.reply(self.instance_list())
