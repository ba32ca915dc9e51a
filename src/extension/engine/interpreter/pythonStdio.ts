// The encoding of a run's output. Python writes its pipes in the locale's encoding: the
// ANSI code page on Windows (cp1252 and the like), so `print("✓")` fails there with
// UnicodeEncodeError under Parallel Lab while it works on the learner's Unicode console.
// Only then does a run ask for UTF-8: where the interpreter writes UTF-8 by itself (Linux,
// macOS) nothing is added, and a learner's own PYTHONIOENCODING or PYTHONUTF8=1 is kept.

/** The variables to add to a run's environment for the interpreter's `stdioEncoding` (see the probe). */
export function utf8StdioVariables(stdioEncoding: string, env: NodeJS.ProcessEnv): Record<string, string> {
  // Python ignores an empty variable, and so does this.
  const learnerChose = Boolean(env.PYTHONIOENCODING) || env.PYTHONUTF8 === '1';
  return stdioEncoding === 'utf-8' || learnerChose ? {} : { PYTHONIOENCODING: 'utf-8' };
}
