// The lab's warning that other programs shared the cores while it measured.

import { strict as assert } from 'node:assert';
import type { CoreSample } from '../../src/shared/runRecord';
import { otherLoadWarning } from '../../src/extension/engine/scaling/otherLoad';
import { emptyRecord } from '../helpers/records';

/** Samples in which the run used `run` % of each core and the machine `busy` %. */
function samples(run: number, busy: number): CoreSample[] {
  return [0, 100, 200].map((t) => ({ t, usage: [busy, busy], run: [run, run], runTotal: 2 * run }));
}

describe('otherLoadWarning', () => {
  it('names each run that shared the machine, with the cores other programs used', () => {
    const warning = otherLoadWarning([
      { step: { mode: 'sequential', workers: 1 }, records: [emptyRecord({ coreSamples: samples(50, 52) })] },
      { step: { mode: 'processes', workers: 2 }, records: [emptyRecord({ coreSamples: samples(60, 100) })] },
      // Three runs: 0.8, 0.4 and 0.3 cores' worth of other work, 0.5 on average.
      { step: { mode: 'threads', workers: 2 }, records: [samples(60, 100), samples(60, 80), samples(60, 75)].map((coreSamples) => emptyRecord({ coreSamples })) },
    ]);
    assert.ok(warning);
    assert.match(warning, /this machine's 2 cores/);
    assert.match(warning, /0\.8 during the run with 2 processes/);
    assert.match(warning, /0\.5 during the runs with 2 threads/, 'the mean over a mode\'s runs');
    assert.doesNotMatch(warning, /no pool/, 'the sequential run had the machine to itself');
  });

  it('says nothing on an idle machine, or where the run is not told apart from other programs', () => {
    assert.equal(otherLoadWarning([{ step: { mode: 'processes', workers: 2 }, records: [emptyRecord({ coreSamples: samples(95, 100) })] }]), null);
    const unsplit = samples(0, 100).map(({ t, usage }) => ({ t, usage }));
    assert.equal(otherLoadWarning([{ step: { mode: 'processes', workers: 2 }, records: [emptyRecord({ coreSamples: unsplit })] }]), null);
  });
});
