import { nullTranslator } from '@jupyterlab/translation';

import {
  checkVariableName,
  kernelLanguage,
  KernelLanguage,
  suggestVariableName
} from '../../notebook/names';
import table from './variableNames.json';

const trans = nullTranslator.load('jupyterlab_rucio');

describe('variable names per kernel language', () => {
  // The server checks the same table (jupyterlab_rucio/tests/test_codegen.py).
  it.each(table.cases.map(c => [c.language, c.name, c.valid] as const))(
    '%s: %j valid=%s',
    (language, name, valid) => {
      const problem = checkVariableName(
        name,
        kernelLanguage(language),
        [],
        trans
      );
      expect(problem === null).toBe(valid);
    }
  );

  it('explains why a name is refused', () => {
    const check = (name: string, language: KernelLanguage | null) =>
      checkVariableName(name, language, [], trans);
    expect(check('class', 'python')).toBe('class is a Python keyword.');
    expect(check('TRUE', 'r')).toBe('TRUE is reserved in R.');
    expect(check('end', 'julia')).toBe('end is reserved in Julia.');
    expect(check('', 'python')).toBe('Enter a variable name.');
    expect(check('x'.repeat(101), 'python')).toMatch(/at most 100/);
    expect(check('_x', 'r')).toMatch(/^An R name starts with a letter/);
  });

  it('refuses a name already attached in the notebook', () => {
    expect(checkVariableName('raw', 'python', ['raw'], trans)).toBe(
      'raw is already attached in this notebook.'
    );
  });

  it('uses the Python rules when the kernel language is not known', () => {
    expect(checkVariableName('a.b', null, [], trans)).not.toBeNull();
    expect(checkVariableName('ab', null, [], trans)).toBeNull();
  });

  it('maps what kernels report to the supported languages', () => {
    expect(kernelLanguage('python')).toBe('python');
    expect(kernelLanguage('Python3')).toBe('python');
    expect(kernelLanguage('R')).toBe('r');
    expect(kernelLanguage('julia')).toBe('julia');
    expect(kernelLanguage('bash')).toBeNull();
    expect(kernelLanguage(null)).toBeNull();
  });

  it('suggests a name valid in every language and not taken', () => {
    expect(suggestVariableName('physics:run2024.raw', [])).toBe('run2024_raw');
    expect(
      suggestVariableName('user.jdoe:scratch/hello.txt', ['hello_txt'])
    ).toBe('hello_txt_2');
    expect(suggestVariableName('bulk:2024', [])).toBe('data_2024');
    expect(suggestVariableName('x:for', [])).toBe('for_2');
    for (const language of ['python', 'r', 'julia'] as const) {
      expect(
        checkVariableName(
          suggestVariableName('physics:run2024/raw/events.0001.dat', []),
          language,
          [],
          trans
        )
      ).toBeNull();
    }
  });
});
