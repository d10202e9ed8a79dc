import {
  NotebookAttachmentList,
  readAttachments
} from '../../notebook/metadata';
import { FakeNotebookModel, RUCIO_URL } from './fakes';

const RAW = {
  variable: 'raw',
  did: 'physics:run2024.raw',
  instance: 'local',
  rucio_url: RUCIO_URL
};

describe('attachments in the notebook metadata', () => {
  it('are written under "rucio" and read back', () => {
    const model = new FakeNotebookModel();
    const list = new NotebookAttachmentList(model);
    list.add(RAW);
    expect(model.getMetadata('rucio')).toEqual({ attachments: [RAW] });
    expect(readAttachments(model)).toEqual([RAW]);
  });

  it('keep other keys of the rucio metadata', () => {
    const model = new FakeNotebookModel();
    model.setMetadata('rucio', { note: 'kept', attachments: [] });
    new NotebookAttachmentList(model).add(RAW);
    expect(model.getMetadata('rucio')).toEqual({
      note: 'kept',
      attachments: [RAW]
    });
  });

  it('are renamed and removed', () => {
    const model = new FakeNotebookModel();
    const list = new NotebookAttachmentList(model);
    list.add(RAW);
    list.add({ ...RAW, variable: 'other', did: 'physics:mixed.dataset' });
    list.rename('raw', 'events');
    expect(list.variables).toEqual(['events', 'other']);
    expect(() => list.rename('events', 'other')).toThrow();
    list.remove('other');
    expect(readAttachments(model)).toEqual([{ ...RAW, variable: 'events' }]);
  });

  it('refuse a variable attached twice', () => {
    const list = new NotebookAttachmentList(new FakeNotebookModel());
    list.add(RAW);
    expect(() => list.add({ ...RAW, did: 'physics:mixed.dataset' })).toThrow();
    expect(list.attachments).toHaveLength(1);
  });

  it('read those of the older Rucio extension, and migrate them on the first change', () => {
    const model = new FakeNotebookModel();
    model.setMetadata('rucio_attachments', [
      {
        did: 'physics:run2024.calib',
        variableName: 'calib',
        type: 'collection'
      }
    ]);
    const list = new NotebookAttachmentList(model);
    expect(list.attachments).toEqual([
      {
        variable: 'calib',
        did: 'physics:run2024.calib',
        instance: null,
        rucio_url: null
      }
    ]);
    list.add(RAW);
    expect(model.getMetadata('rucio_attachments')).toBeUndefined();
    expect(readAttachments(model).map(a => a.variable)).toEqual([
      'calib',
      'raw'
    ]);
  });

  it('skip malformed entries', () => {
    const model = new FakeNotebookModel();
    model.setMetadata('rucio', {
      attachments: [{ variable: 'a' }, 'junk', { did: 'x:y' }, RAW]
    });
    expect(readAttachments(model)).toEqual([RAW]);
  });

  it('follow changes made elsewhere (another view, a collaborator)', () => {
    const model = new FakeNotebookModel();
    const list = new NotebookAttachmentList(model);
    const changed = jest.fn();
    list.changed.connect(changed);
    model.setMetadata('rucio', { attachments: [RAW] });
    expect(list.variables).toEqual(['raw']);
    expect(changed).toHaveBeenCalledTimes(1);
  });
});
