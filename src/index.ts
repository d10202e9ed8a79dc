import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { SidePanel } from '@jupyterlab/ui-components';

import { rucioIcon } from './icons';

const PANEL_ID = 'jupyterlab-rucio-sidebar';

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-rucio:plugin',
  description: 'Rucio data management in the JupyterLab sidebar.',
  autoStart: true,
  optional: [ILayoutRestorer, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_rucio');
    const panel = new SidePanel({ translator: translator ?? nullTranslator });
    panel.id = PANEL_ID;
    panel.addClass('jp-Rucio-panel');
    panel.title.icon = rucioIcon;
    panel.title.caption = trans.__('Rucio');
    app.shell.add(panel, 'left', { rank: 700 });
    restorer?.add(panel, PANEL_ID);
  }
};

export default plugin;
