import { LabIcon } from '@jupyterlab/ui-components';

import rucioSvg from '../style/icons/rucio.svg';

export const rucioIcon = new LabIcon({
  name: 'jupyterlab-rucio:rucio',
  svgstr: rucioSvg
});
