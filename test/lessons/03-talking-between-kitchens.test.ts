// Lesson 3: results come back as copies, through queues and pipes; every message has a
// size, and a large one keeps its receiver waiting longer.

import { strict as assert } from 'node:assert';
import { mainOf, runSample } from './lessonSupport';

describe('lesson 3: talking between kitchens', function () {
  this.timeout(60_000);

  it('queue result: a put in the child and a get in the parent, each with its bytes', async () => {
    const record = await runSample('03-talking-between-kitchens/queue_result.py');
    assert.equal(record.stdout, 'soup is ready\n');
    const main = mainOf(record);
    const userEvents = record.ipcEvents.filter((event) => event.kind === 'queue');
    const put = userEvents.find((event) => event.op === 'put' && event.pid !== main.pid);
    const get = userEvents.find((event) => event.op === 'get' && event.pid === main.pid);
    assert.ok(put, `the child's put is recorded: ${JSON.stringify(record.ipcEvents)}`);
    assert.ok(get, `the parent's get is recorded: ${JSON.stringify(record.ipcEvents)}`);
    assert.ok(put.bytes > 0 && get.bytes > 0, 'both carry the size of the pickled message');
    assert.ok(get.waitMs >= 0);
  });

  it('copies: the child changes its copy, the parent keeps its own', async () => {
    const record = await runSample('03-talking-between-kitchens/copies_not_shared.py');
    assert.match(record.stdout, /parent's recipe: \['water', 'leeks'\]/);
    assert.match(record.stdout, /child's recipe: +\['water', 'leeks', 'salt'\]/);
    assert.match(record.stdout, /visits seen by the parent: 0/);
  });

  it('payload size: the large message is bigger and keeps the parent blocked longer', async () => {
    const record = await runSample('03-talking-between-kitchens/payload_size.py');
    const main = mainOf(record);
    // The parent receives "ready", then the small dish, then the large one.
    const received = record.ipcEvents.filter((event) => event.kind === 'pipe' && event.op === 'recv' && event.pid === main.pid).sort((a, b) => a.t - b.t);
    assert.ok(received.length >= 3, `the parent's three receives are recorded: ${JSON.stringify(record.ipcEvents)}`);
    const [small, large] = received.slice(-2);
    assert.ok(large.bytes > 1_000_000, `the large dish is over a megabyte pickled (${large.bytes} bytes)`);
    assert.ok(small.bytes > 0 && small.bytes < 1_000, `the small dish is a few bytes (${small.bytes})`);
    assert.ok(large.waitMs > small.waitMs, `blocked ${large.waitMs.toFixed(1)} ms for the large dish, ${small.waitMs.toFixed(1)} ms for the small one`);
    assert.ok(record.ipcEvents.filter((event) => event.kind === 'pipe').every((event) => event.bytes > 0), 'every message has its size');
  });
});
