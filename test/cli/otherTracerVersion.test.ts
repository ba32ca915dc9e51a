// A tracer of another protocol version is not believed: the learner gets one sentence saying
// what to do, in the summary and in the record, and nothing it sent is taken. Here the
// command line runs from an install whose runtimes/python is a copy with wire.py saying 99
// (as an install with stale runtimes would), and the program is a real traced pool.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TRACER_PROTOCOL_VERSION } from '../../src/extension/engine/tracer/tracerProtocol';
import type { RunRecord } from '../../src/shared/runRecord';
import { CLI } from '../helpers/cli';
import { writeProgram } from '../helpers/pythonPrograms';
import { DEFAULT_PYTHON, TRACER_DIR } from '../helpers/tracedPython';

const PROGRAM = writeProgram('pool_of_two.py', 'from multiprocessing import Pool\nif __name__ == "__main__":\n    with Pool(2) as pool:\n        print(sum(pool.map(abs, [-1, -2, 3])))\n');
const OTHER_VERSION = new RegExp(
  `^The Parallel Lab tracer this Python loaded speaks version 99 of the event protocol, not version ${TRACER_PROTOCOL_VERSION} as this Parallel Lab does, ` +
    'so its reports were ignored .* remove the old copy of parallel_lab_tracer .* or reinstall Parallel Lab\\.$',
);

describe('parallel-lab run with a tracer of another protocol version', function () {
  this.timeout(90_000);
  let cli: string;

  before(() => {
    // The bundle finds its runtimes next to its own folder (pythonRuntimeDir).
    const install = mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-other-version-'));
    mkdirSync(path.join(install, 'dist'));
    cli = path.join(install, 'dist', 'cli.js');
    cpSync(CLI, cli);
    const runtimes = path.join(install, 'runtimes', 'python');
    cpSync(TRACER_DIR, runtimes, { recursive: true, filter: (source) => !source.includes('__pycache__') });
    const wire = path.join(runtimes, 'parallel_lab_tracer', 'wire.py');
    const source = readFileSync(wire, 'utf8');
    assert.match(source, /^PROTOCOL_VERSION = \d+$/m);
    writeFileSync(wire, source.replace(/^PROTOCOL_VERSION = \d+$/m, 'PROTOCOL_VERSION = 99'));
  });

  it('warns in one sentence, in the summary and the record, and takes none of its records', () => {
    const json = path.join(path.dirname(cli), 'run.json');
    const run = spawnSync(process.execPath, [cli, 'run', PROGRAM, '--python', DEFAULT_PYTHON, '--json', json], { encoding: 'utf8' });
    const record = JSON.parse(readFileSync(json, 'utf8')) as RunRecord;
    assert.equal(run.status, 0, run.stderr);
    assert.equal(record.stdout, '6\n', 'the program ran as usual');
    const warnings = record.warnings.filter((warning) => OTHER_VERSION.test(warning));
    assert.equal(warnings.length, 1, JSON.stringify(record.warnings));
    assert.ok(run.stdout.includes(`  - ${warnings[0]}`), run.stdout);
    assert.ok(!record.warnings.some((warning) => /Nothing arrived from Parallel Lab's tracer|malformed or unauthenticated/.test(warning)), JSON.stringify(record.warnings));
    assert.deepEqual(record.events, { received: 0, malformed: 0, unauthenticated: 0 }, 'no record of that tracer was taken');
    assert.ok(!record.processes.some((process) => process.role === 'pool-worker'), 'no role came from that tracer');
  });
});
