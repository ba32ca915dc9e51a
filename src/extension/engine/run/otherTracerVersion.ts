// The warning for a run whose tracer speaks another version of the event protocol than this
// host: an old copy of the tracer (its sitecustomize and parallel_lab_tracer) found first on
// the Python path, or an old install of the extension's runtimes beside a newer host. Its
// records may not mean what this host would read in them, so the event server ignored them.

import { TRACER_PROTOCOL_VERSION } from '../tracer/tracerProtocol';

/** `versions`: what the mismatched hellos carried (null: no version, an older tracer). */
export function otherTracerVersionWarning(versions: ReadonlySet<number | null>): string | null {
  if (versions.size === 0) return null;
  const theirs = [...versions].map((version) => (version === null ? 'an older version' : `version ${version}`)).join(' and ');
  return (
    `The Parallel Lab tracer this Python loaded speaks ${theirs} of the event protocol, not version ${TRACER_PROTOCOL_VERSION} as this Parallel Lab does, ` +
    "so its reports were ignored and this run shows only the processes' CPU and memory: " +
    'remove the old copy of parallel_lab_tracer and its sitecustomize.py from this Python\'s path (PYTHONPATH or site-packages), or reinstall Parallel Lab.'
  );
}
