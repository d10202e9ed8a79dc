"""Everything the handlers share, built once when the server extension loads."""

from __future__ import annotations

import atexit
from pathlib import Path
from typing import Any

from tornado.web import HTTPError

from .catalogue import Catalogue, InstanceCatalogue
from .client import RucioGateway
from .config import InstanceConfig, RucioConfig
from .credentials import CredentialStore, ensure_private_dir
from .downloads import Downloads
from .lab_settings import LabSettingsPaths
from .modes import InstanceMode, mode_for
from .paging import StreamPager
from .uploads import UploadJobs

# Requests that name an instance check the settings files at most this often (seconds).
CATALOGUE_MAX_AGE = 1.0


class RucioExtension:
    def __init__(
        self,
        config: RucioConfig,
        data_dir: Path,
        root_dir: str,
        settings_paths: LabSettingsPaths | None = None,
    ) -> None:
        self.config = config
        self.catalogue = InstanceCatalogue(config, settings_paths)
        self.root_dir = root_dir
        self.data_dir = ensure_private_dir(data_dir)
        self.store = CredentialStore(self.data_dir)
        preset = config.preset_credential(self.instances)
        if preset:
            self.store.save(preset.pop("instance"), preset["method"], preset)
        self.gateway = RucioGateway(
            self.data_dir / "tokens",
            max_workers=config.max_workers,
            timeout=config.rucio_timeout,
            transfer_workers=config.upload_concurrency,
            paging_workers=config.max_open_listings,
        )
        self.pager = StreamPager(
            max_listings=config.max_open_listings, ttl_seconds=config.listing_expiry
        )
        # No open listing outlives the server (the timer closes them before, see paging.py).
        atexit.register(self.pager.close_all)
        rate_limit = config.transfer_rate_limit or None
        self.uploads = UploadJobs(self.data_dir / "uploads.json", self.gateway, rate_limit)
        self.downloads = Downloads(self.gateway, rate_limit)

    @property
    def instances(self) -> dict[str, InstanceConfig]:
        """The instances offered now (the settings files are read again when changed)."""
        return self.catalogue.current().instances

    def instance(self, name: str | None) -> InstanceConfig:
        catalogue = self.catalogue.current(max_age=CATALOGUE_MAX_AGE)
        if isinstance(name, str) and name and name not in catalogue.instances:
            catalogue = self.catalogue.current()  # added to the settings just now?
        if name is None or name == "":
            name = active_instance_name(catalogue, self.store)
            if name is None:
                raise HTTPError(404, "No Rucio instance is configured")
        if not isinstance(name, str) or name not in catalogue.instances:
            raise HTTPError(404, f"Unknown Rucio instance {name!r}")
        return catalogue.instances[name]

    async def client(self, instance: InstanceConfig) -> tuple[Any, str]:
        """An authenticated client for the user's active credential, and its account."""
        return await self.gateway.client(instance, self.store.active(instance))

    async def mode(self, instance: InstanceConfig) -> InstanceMode:
        """The instance's mode object, acting with the user's active credential."""
        client, account = await self.client(instance)
        return mode_for(instance, self.gateway, client, account, self.downloads)


def active_instance_name(catalogue: Catalogue, store: CredentialStore) -> str | None:
    """The user's chosen instance, else the configured default, else the first one."""
    chosen = store.active_instance()
    if chosen in catalogue.instances:
        return chosen
    if catalogue.default_instance:
        return catalogue.default_instance
    return next(iter(catalogue.instances), None)
