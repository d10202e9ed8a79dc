"""Route table of the jupyterlab-rucio REST API (described in ../openapi.yaml)."""

from __future__ import annotations

from pathlib import Path

from jupyter_server.utils import url_path_join

from ..config import RucioConfig
from ..extension import RucioExtension
from ..lab_settings import LabSettingsPaths
from .auth import CredentialsHandler, WhoamiHandler
from .availability import AvailabilityHandler, MakeAvailableHandler, ResolveHandler, RulesHandler
from .base import SETTINGS_KEY, UnknownEndpointHandler
from .dids import ContentsHandler, DetailsHandler, ScopesHandler, SearchHandler
from .instances import ActiveInstanceHandler, InstancesHandler
from .metadata import MetadataKeysHandler
from .notebook import NotebookCodeHandler
from .uploads import (
    RsesHandler,
    UploadJobActionHandler,
    UploadJobHandler,
    UploadNamesHandler,
    UploadScopesHandler,
    UploadSelectionHandler,
    UploadsHandler,
)

ROUTES = [
    ("instances", InstancesHandler),
    ("instances/active", ActiveInstanceHandler),
    ("credentials", CredentialsHandler),
    ("whoami", WhoamiHandler),
    ("scopes", ScopesHandler),
    ("dids/search", SearchHandler),
    ("dids/details", DetailsHandler),
    ("dids/contents", ContentsHandler),
    ("dids/metadata-keys", MetadataKeysHandler),
    ("dids/availability", AvailabilityHandler),
    ("dids/make-available", MakeAvailableHandler),
    ("dids/rules", RulesHandler),
    ("resolve", ResolveHandler),
    ("notebook/code", NotebookCodeHandler),
    ("rses", RsesHandler),
    ("uploads", UploadsHandler),
    ("uploads/selection", UploadSelectionHandler),
    ("uploads/names", UploadNamesHandler),
    ("uploads/scopes", UploadScopesHandler),
    (r"uploads/([^/]+)/(cancel|retry)", UploadJobActionHandler),
    (r"uploads/([^/]+)", UploadJobHandler),
    (r".*", UnknownEndpointHandler),
]


def setup_handlers(server_app) -> None:
    """Build the shared extension state and register the routes.

    Raises RucioConfigError (naming the faulty field) when the configuration is invalid.
    """
    config = RucioConfig(parent=server_app)
    data_dir = Path(server_app.data_dir) / "jupyterlab_rucio"
    paths = LabSettingsPaths.of_server(server_app)
    extension = RucioExtension(config, data_dir, server_app.root_dir, paths)
    web_app = server_app.web_app
    web_app.settings[SETTINGS_KEY] = extension
    base = url_path_join(web_app.settings["base_url"], "jupyterlab-rucio")
    web_app.add_handlers(".*$", [(url_path_join(base, path), h) for path, h in ROUTES])
