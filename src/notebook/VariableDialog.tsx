import { Dialog, ReactWidget, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import React, { useEffect, useRef, useState } from 'react';

import { checkVariableName, KernelLanguage, languageLabel } from './names';

export interface IVariableNameOptions {
  did: string;
  initial: string;
  /** The kernel's language; null when it has none or another one (Python rules apply). */
  language: KernelLanguage | null;
  /** Variables already attached in this notebook. */
  taken: readonly string[];
  trans: TranslationBundle;
}

/**
 * The variable name field, validated as the user types. The reason is shown under the
 * field and set as the input's validity, which keeps the dialog's accept button disabled.
 */
export function VariableNameField(
  props: IVariableNameOptions & { onChange: (value: string) => void }
): JSX.Element {
  const { trans, language } = props;
  const [value, setValue] = useState(props.initial);
  const input = useRef<HTMLInputElement>(null);
  const problem = checkVariableName(value, language, props.taken, trans);
  useEffect(() => {
    const node = input.current;
    if (node) {
      // The dialog checks validity on input events (capturing, before React sees them):
      // announce the new validity with one more, which React ignores (same value).
      node.setCustomValidity(problem ?? '');
      node.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }, [problem]);
  const hint = language
    ? trans.__(
        'A %1 variable that will hold the paths of %2.',
        languageLabel(language),
        props.did
      )
    : trans.__('A variable that will hold the paths of %1.', props.did);
  return (
    <div className="jp-Rucio-variable-dialog">
      <label className="jp-Rucio-field">
        <span>{trans.__('Variable name')}</span>
        <input
          ref={input}
          className="jp-mod-styled jp-Rucio-variable-input"
          value={value}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={!!problem}
          aria-describedby="jp-Rucio-variable-problem"
          onChange={event => {
            const next = event.currentTarget.value;
            setValue(next);
            props.onChange(next);
          }}
        />
      </label>
      <div
        id="jp-Rucio-variable-problem"
        className={problem ? 'jp-Rucio-field-error' : 'jp-Rucio-hint'}
        role={problem ? 'alert' : undefined}
      >
        {problem ?? hint}
      </div>
    </div>
  );
}

class VariableNameBody
  extends ReactWidget
  implements Dialog.IBodyWidget<string>
{
  constructor(private _options: IVariableNameOptions) {
    super();
    this._value = _options.initial;
  }

  getValue(): string {
    return this._value;
  }

  render(): JSX.Element {
    return (
      <VariableNameField
        {...this._options}
        onChange={value => (this._value = value)}
      />
    );
  }

  private _value: string;
}

/** Asks for a variable name; null when cancelled. Accepting needs a valid name. */
export async function askVariableName(
  title: string,
  accept: string,
  options: IVariableNameOptions
): Promise<string | null> {
  const { trans } = options;
  const result = await showDialog({
    title,
    body: new VariableNameBody(options),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: accept })
    ],
    focusNodeSelector: 'input'
  });
  const value = (result.value ?? '').trim();
  if (!result.button.accept) {
    return null;
  }
  return checkVariableName(value, options.language, options.taken, trans)
    ? null
    : value;
}
