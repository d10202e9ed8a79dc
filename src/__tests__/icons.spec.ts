import { rucioIcon } from '../icons';

describe('rucioIcon', () => {
  it('is a LabIcon built from the packaged SVG', () => {
    expect(rucioIcon.name).toBe('jupyterlab-rucio:rucio');
    expect(rucioIcon.svgstr).toContain('<svg');
  });
});
