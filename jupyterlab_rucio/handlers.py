"""Placeholder route table; replaced by the handlers package."""

import json

import tornado
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join


class InstancesHandler(APIHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        self.finish(json.dumps({"instances": [], "active": None}))


def setup_handlers(server_app) -> None:
    web_app = server_app.web_app
    base = url_path_join(web_app.settings["base_url"], "jupyterlab-rucio")
    web_app.add_handlers(".*$", [(url_path_join(base, "instances"), InstancesHandler)])
