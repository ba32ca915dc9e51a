// The per-user cache folder (~/.cache/parallel-lab, or %LOCALAPPDATA%\parallel-lab): per
// user, because a shared temp folder would let another user plant bytecode or answers.

import * as os from 'node:os';
import * as path from 'node:path';

export function userCacheDir(): string {
  const base =
    process.platform === 'win32'
      ? process.env.LOCALAPPDATA ?? os.tmpdir()
      : process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(base, 'parallel-lab');
}
