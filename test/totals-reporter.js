// Mocha's spec reporter, plus the closing line CI reads: "N passed, N failed" alone on a line.
'use strict';
const Mocha = require('mocha');

class TotalsReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      // Printed after Spec's epilogue, which is registered first on the same event.
      setImmediate(() => {
        const { passes, failures, pending } = runner.stats;
        const skipped = pending ? `, ${pending} skipped` : '';
        process.stdout.write(`${passes} passed, ${failures} failed${skipped}\n`);
      });
    });
  }
}

module.exports = TotalsReporter;
