// Test-only extension: code-server refuses --extensionDevelopmentPath/--extensionTestsPath,
// so this extension, installed next to Parallel Lab, starts the integration suite named by
// PARALLEL_LAB_SUITE once the window is up. The suite writes its results to a file.
'use strict';

exports.activate = async function activate() {
  const suite = process.env.PARALLEL_LAB_SUITE;
  if (!suite) return;
  try {
    await require(suite).run();
  } catch {
    // Failures are in the results file the suite wrote; the outer test reads them.
  }
};
