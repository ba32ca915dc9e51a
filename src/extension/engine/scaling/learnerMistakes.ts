// The sentences for the learner's mistakes the harness recognised (see mistakes.py and the
// modules that raise them). One or two sentences each: what is wrong, why, and what to do.

import type { MistakeReport } from './harnessReport';

export function explainMistake(mistake: MistakeReport['error'], file: string): string {
  const text = (key: string): string => {
    const value = mistake[key];
    return typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
  };
  const fn = text('function');
  switch (mistake.kind) {
    case 'lambda':
      return (
        `${fn} is a lambda, and worker processes cannot run a lambda: they look a function up by its module and name, and a lambda has no name of its own. ` +
        `Define it with def at the top level of ${file}.`
      );
    case 'nested-function':
      return (
        `${fn} is defined inside ${text('outer')}, and worker processes cannot run a nested function: they look a function up by its module and name, and a nested one cannot be found that way. ` +
        `Move it to the top level of ${file}.`
      );
    case 'function-unpicklable':
      return `${fn} cannot be sent to worker processes (${text('error')}); they look a function up by its module and name, so use a function defined with def at the top level of ${file}.`;
    case 'arity':
      return aritySentence(fn, Array.isArray(mistake.parameters) ? mistake.parameters.map(String) : []);
    case 'function-missing': {
      const available = Array.isArray(mistake.available) ? mistake.available.map(String) : [];
      const choices = available.length > 0 ? ` Its top-level functions are: ${available.join(', ')}.` : ' It defines no top-level function.';
      return `There is no function named ${fn} at the top level of ${file}.${choices}`;
    }
    case 'not-callable':
      return `${fn} in ${file} is a ${text('type')}, not a function; name a function defined with def at the top level.`;
    case 'module-name':
      return `Worker processes import your file by its name, and "${text('module')}" is not a valid Python module name; rename the file using only letters, digits and underscores (e.g. ${text('module').replace(/\W/g, '_')}.py).`;
    case 'module-shadowed':
      return `Your file is named like the module "${text('module')}" that Python already uses, so worker processes would import that one instead of yours; rename your file.`;
    case 'import-failed': {
      const line = typeof mistake.line === 'number' ? ` (line ${mistake.line})` : '';
      return `${file} failed to import${line}: ${text('error')}. Fix that error first; the lab imports your file without running its if __name__ == "__main__": block.`;
    }
    case 'inputs-failed':
      return `The inputs expression ${text('expression')} failed: ${text('error')}. It is evaluated after importing ${file}, so it can use the file's own names.`;
    case 'inputs-not-iterable':
      return `The inputs expression ${text('expression')} gave a ${text('type')}, which is not a collection of items; give something map can go through, e.g. range(16) or a list.`;
    case 'inputs-empty':
      return `The inputs expression ${text('expression')} has no items, so there is nothing to map; give at least one item, e.g. range(16).`;
    case 'inputs-unpicklable':
      return `Item ${text('index')} of ${text('expression')} cannot be sent to worker processes (${text('error')}); give inputs made of plain values such as numbers, strings, tuples and lists.`;
    case 'results-unpicklable':
      return `${fn} returns values that cannot be sent back from worker processes (${text('error')}); return plain values such as numbers, strings, tuples and lists.`;
    case 'function-failed':
      return `${fn} raised an error on input ${text('input')} (item ${Number(mistake.index) + 1}): ${text('error')}. Fix it so that it runs on every input before comparing modes.`;
    case 'function-failed-parallel':
      return (
        `${fn} ran on every input alone but failed with ${text('mode')}: ${text('error')}. ` +
        'Its result likely depends on something shared between calls (a global variable, a file, random numbers) that is different in a worker.'
      );
    default:
      return `The scaling lab could not map ${fn || 'the function'}: ${mistake.kind}.`;
  }
}

function aritySentence(fn: string, parameters: string[]): string {
  if (parameters.length === 0) {
    return `${fn} takes no argument, but map calls it with one item at a time; give it one parameter, e.g. def ${fn}(item).`;
  }
  return (
    `${fn} takes ${parameters.length} arguments (${parameters.join(', ')}), but map passes one item at a time; ` +
    `make it take one tuple, e.g. def ${fn}(args): ${parameters.join(', ')} = args, and give inputs of tuples, or wrap it in a one-argument top-level function.`
  );
}
