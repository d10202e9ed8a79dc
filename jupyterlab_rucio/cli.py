"""`jupyter rucio resolve NOTEBOOK`: a notebook's Rucio attachments for headless runs.

Reads the same configuration as the Jupyter server (`c.RucioConfig` in jupyter_server_config.py
or .json on the Jupyter config path, or `--config FILE`) and the credentials the user saved in
the Rucio sidebar (the Jupyter data directory's `jupyterlab_rucio/`). Prints the attachments as
papermill parameters (YAML for `papermill -f`), or with `--inplace` writes them into the notebook
as an `injected-parameters` cell in the kernel's language. Exits with status 1, naming each DID,
when an attachment cannot be resolved to the paths of all its files.
"""

from __future__ import annotations

import asyncio
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import nbformat
import yaml
from jupyter_core.application import JupyterApp, base_aliases, base_flags
from jupyter_core.paths import jupyter_data_dir
from tornado.web import HTTPError
from traitlets import Bool, Unicode

from .catalogue import InstanceCatalogue
from .client import RucioGateway, http_error_message
from .codegen import Language, Value, check_variable, generate, language_of
from .config import InstanceConfig, RucioConfig, RucioConfigError
from .credentials import CredentialStore
from .dids import DidError, parse_did
from .extension import active_instance_name
from .lab_settings import LabSettingsPaths
from .modes import mode_for
from .notebook import Attachment, StoredAttachment, resolve_attachments, stored_attachments

INJECTED_TAG = "injected-parameters"
PARAMETERS_TAG = "parameters"


class ResolveError(Exception):
    """The attachments cannot all be resolved; the message names every DID concerned."""


def notebook_language(notebook: Any) -> str | None:
    metadata = notebook.get("metadata", {})
    info = metadata.get("language_info") or {}
    spec = metadata.get("kernelspec") or {}
    return info.get("name") or spec.get("language")


def _instance_for(
    stored: StoredAttachment, instances: dict[str, InstanceConfig], active: str | None
) -> InstanceConfig:
    name = stored.instance or active
    if name is None or name not in instances:
        raise ResolveError(
            f"{stored.did}: attached on Rucio instance {name!r} ({stored.rucio_url or 'no URL'}), "
            "which is not configured here"
        )
    instance = instances[name]
    if stored.rucio_url and stored.rucio_url.rstrip("/") != instance.rucio_url:
        raise ResolveError(
            f"{stored.did}: attached on instance {name!r} at {stored.rucio_url}, but {name!r} "
            f"here is {instance.rucio_url}"
        )
    return instance


async def resolve_notebook(
    notebook: Any, config: RucioConfig, data_dir: Path, language: Language
) -> dict[str, Value]:
    """The value of every attachment of the notebook; ResolveError names those that fail."""
    stored = stored_attachments(notebook.get("metadata", {}))
    if not stored:
        raise ResolveError("the notebook has no Rucio attachments")
    try:
        catalogue = InstanceCatalogue(config, LabSettingsPaths.defaults()).current()
    except RucioConfigError as error:
        raise ResolveError(str(error)) from error
    instances = catalogue.instances
    store = CredentialStore(data_dir)
    active = active_instance_name(catalogue, store)
    problems: list[str] = []
    groups: dict[str, list[Attachment]] = defaultdict(list)
    for entry in stored:
        try:
            instance = _instance_for(entry, instances, active)
            did = parse_did(entry.did)
        except (ResolveError, DidError) as error:
            problems.append(str(error))
            continue
        problem = check_variable(language, entry.variable)
        if problem:
            problems.append(f"{did}: variable {entry.variable!r}: {problem}")
            continue
        groups[instance.name].append(Attachment(entry.variable, did))

    gateway = RucioGateway(
        data_dir / "tokens", max_workers=config.max_workers, timeout=config.rucio_timeout
    )
    values: dict[str, Value] = {}
    for name, attachments in groups.items():
        instance = instances[name]
        try:
            client, account = await gateway.client(instance, store.active(instance))
            results, found = await resolve_attachments(
                mode_for(instance, gateway, client, account), attachments
            )
        except HTTPError as error:
            dids = ", ".join(str(a.did) for a in attachments)
            problems.append(f"{dids}: {http_error_message(error)} (sign in from the Rucio sidebar)")
            continue
        values.update(found)
        for result in results:
            if result["status"] != "OK":
                reason = result["message"] or result["status"]
                problems.append(
                    f"{result['did']} ({result['variable']}) is not available: {reason}"
                )
    if problems:
        raise ResolveError("\n".join(problems))
    return {entry.variable: values[entry.variable] for entry in stored}


def parameters_yaml(values: dict[str, Value]) -> str:
    plain = {k: v if isinstance(v, str) else list(v) for k, v in values.items()}
    return yaml.safe_dump(plain, default_flow_style=False, allow_unicode=False, sort_keys=False)


def inject_parameters_cell(notebook: Any, code: str) -> None:
    """Put `code` in the notebook the way papermill does: it replaces an earlier injected cell,
    else follows the cell tagged `parameters`, else comes first."""
    cell = nbformat.v4.new_code_cell(source="# Parameters\n" + code)
    cell.metadata["tags"] = [INJECTED_TAG]
    cells = notebook.cells
    tags = [set(c.get("metadata", {}).get("tags", [])) for c in cells]
    injected = [i for i, t in enumerate(tags) if INJECTED_TAG in t]
    if injected:
        cells[injected[0]] = cell
        for index in reversed(injected[1:]):
            del cells[index]
        return
    parameters = [i for i, t in enumerate(tags) if PARAMETERS_TAG in t]
    cells.insert(parameters[0] + 1 if parameters else 0, cell)


class ResolveApp(JupyterApp):
    name = "jupyter-rucio-resolve"
    description = __doc__
    examples = """
    jupyter rucio resolve analysis.ipynb > params.yaml
    papermill analysis.ipynb out.ipynb -f params.yaml
    jupyter rucio resolve --inplace analysis.ipynb && jupyter nbconvert --execute analysis.ipynb
    """
    inplace = Bool(
        False, help="Write an injected-parameters cell into the notebook instead of YAML."
    ).tag(config=True)
    output = Unicode("", help="Write the parameters YAML to this file (default: stdout).").tag(
        config=True
    )
    aliases = {**base_aliases, "output": "ResolveApp.output", "o": "ResolveApp.output"}
    flags = {
        **base_flags,
        "inplace": ({"ResolveApp": {"inplace": True}}, "Write the parameters into the notebook."),
    }

    def _config_file_name_default(self) -> str:
        # The same files the Jupyter server reads its RucioConfig from.
        return "jupyter_server_config"

    def start(self) -> None:
        if len(self.extra_args) != 1:
            self.exit_with("give exactly one notebook: jupyter rucio resolve NOTEBOOK", 2)
        path = Path(self.extra_args[0])
        try:
            notebook = nbformat.read(path, as_version=4)
        except (OSError, ValueError) as error:
            self.exit_with(f"{path}: cannot read the notebook: {error}", 2)
        reported = notebook_language(notebook)
        language = language_of(reported)
        if language is None and self.inplace:
            self.exit_with(
                f"{path}: kernel language {reported!r} is not supported for --inplace "
                "(python, R, julia); use the YAML parameters with papermill",
                2,
            )
        config = RucioConfig(parent=self)
        data_dir = Path(jupyter_data_dir()) / "jupyterlab_rucio"
        try:
            values = asyncio.run(
                resolve_notebook(notebook, config, data_dir, language or language_of("python"))
            )
        except ResolveError as error:
            self.exit_with(f"{path}: cannot resolve the Rucio attachments:\n{error}", 1)
        if self.inplace:
            inject_parameters_cell(notebook, generate(language, values))
            nbformat.write(notebook, path)
            print(
                f"{path}: {len(values)} Rucio attachment(s) written as parameters", file=sys.stderr
            )
        elif self.output:
            Path(self.output).write_text(parameters_yaml(values))
        else:
            sys.stdout.write(parameters_yaml(values))

    def exit_with(self, message: str, status: int) -> None:
        print(message, file=sys.stderr)
        self.exit(status)


class RucioApp(JupyterApp):
    name = "jupyter-rucio"
    description = "Rucio data management from the command line (jupyterlab-rucio)."
    subcommands = {
        "resolve": (ResolveApp, "Resolve a notebook's Rucio attachments for headless runs.")
    }

    def start(self) -> None:
        if self.subapp is None:
            self.print_help()
            print("\nSubcommands: " + ", ".join(self.subcommands), file=sys.stderr)
            self.exit(2)
        super().start()


main = RucioApp.launch_instance
