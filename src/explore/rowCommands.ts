import { Notification } from '@jupyterlab/apputils';
import { CommandRegistry } from '@lumino/commands';
import { copyIcon, launchIcon } from '@jupyterlab/ui-components';

import { IDidCommandArgs, IRucioSession, RucioApiError } from '../tokens';
import { ACTIONABLE_STATES } from './availability';
import { ExploreModel } from './model';
import { copyText, hubPath } from './where';

/**
 * Commands on one result row, offered by its context menu (schema/explore.json). They take
 * `{did, type}` or, from the menu, the row the menu was opened on.
 */
export const RowCommandIDs = {
  copyDid: 'rucio:copy-did',
  copyPath: 'rucio:copy-path',
  openInWebui: 'rucio:open-in-webui',
  makeAvailable: 'rucio:make-available'
} as const;

const DID_ARGS = {
  args: {
    type: 'object' as const,
    properties: {
      did: { type: 'string', description: 'scope:name' },
      type: { type: 'string', enum: ['FILE', 'DATASET', 'CONTAINER'] }
    }
  }
};

/** The DID's page in the WebUI of the active instance, when it has one. */
export function webuiDidUrl(webui: string | null, did: string): string | null {
  const at = did.indexOf(':');
  if (!webui || at < 0) {
    return null;
  }
  const scope = encodeURIComponent(did.slice(0, at));
  const name = encodeURIComponent(did.slice(at + 1));
  return `${webui.replace(/\/$/, '')}/did?scope=${scope}&name=${name}`;
}

export function addRowCommands(
  commands: CommandRegistry,
  session: IRucioSession,
  explore: ExploreModel
): void {
  const { trans } = session;
  const target = (args: { [key: string]: unknown }): IDidCommandArgs | null =>
    session.didArgs(args);
  const availabilityOf = (args: { [key: string]: unknown }) => {
    const did = target(args)?.did;
    return did ? explore.availability.get(did) : undefined;
  };

  commands.addCommand(RowCommandIDs.copyDid, {
    label: trans.__('Copy DID'),
    caption: trans.__('Copy scope:name to the clipboard'),
    icon: copyIcon,
    describedBy: DID_ARGS,
    isEnabled: args => !!target(args),
    execute: args => {
      const did = target(args)?.did;
      if (did) {
        copyText(did, trans);
      }
    }
  });

  commands.addCommand(RowCommandIDs.copyPath, {
    label: trans.__('Copy Path on the Hub'),
    caption: trans.__('Copy where the DID is on the hub to the clipboard'),
    describedBy: DID_ARGS,
    // Unknown until the availability is loaded: the command loads it.
    isEnabled: args => {
      const entry = availabilityOf(args);
      return (
        !!target(args) &&
        (!entry?.availability || !!hubPath(entry.availability))
      );
    },
    execute: async args => {
      const did = target(args)?.did;
      if (!did) {
        return;
      }
      if (!explore.availability.get(did)?.availability) {
        await explore.availability.refresh(did);
      }
      const entry = explore.availability.get(did);
      const path = hubPath(entry?.availability);
      if (path) {
        copyText(path, trans);
      } else if (entry?.error) {
        session.notifyError(
          trans.__('Could not find %1 on the hub', did),
          entry.error
        );
      } else {
        Notification.warning(trans.__('%1 has no files at the hub yet.', did), {
          autoClose: 5000
        });
      }
    }
  });

  commands.addCommand(RowCommandIDs.openInWebui, {
    label: trans.__('Open in Rucio WebUI'),
    caption: trans.__("Open the DID's page in the Rucio WebUI"),
    icon: launchIcon,
    describedBy: DID_ARGS,
    isVisible: () => !!session.auth.active?.webui_url,
    execute: args => {
      const did = target(args)?.did;
      const url =
        did && webuiDidUrl(session.auth.active?.webui_url ?? null, did);
      if (url) {
        window.open(url, '_blank', 'noopener,noreferrer');
      }
    }
  });

  commands.addCommand(RowCommandIDs.makeAvailable, {
    label: trans.__('Make Available at the Hub'),
    caption: trans.__(
      'Replicate the DID to the hub and follow it until it is there'
    ),
    describedBy: DID_ARGS,
    isEnabled: args => {
      const state = availabilityOf(args)?.availability?.state;
      return !!target(args) && (!state || ACTIONABLE_STATES.includes(state));
    },
    execute: async args => {
      const did = target(args)?.did;
      if (!did) {
        return;
      }
      // The expanded row shows the progress.
      if (!explore.isExpanded(did)) {
        explore.toggle(did);
      }
      try {
        await explore.availability.makeAvailable(did);
      } catch (error) {
        session.notifyError(
          trans.__('Could not make %1 available', did),
          error as RucioApiError
        );
      }
    }
  });
}
