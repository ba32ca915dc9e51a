// Writes an HTML report of a given record and source text, as the CLI's writer does for a run.

import { open } from 'node:fs/promises';
import { loadReportAssets, reportParts } from '../../src/extension/engine/export/htmlReport';
import type { RunRecord } from '../../src/shared/runRecord';

export async function writeHtmlReportFile(file: string, record: RunRecord, sourceText: string | null): Promise<void> {
  const handle = await open(file, 'w');
  try {
    for (const part of reportParts(record, sourceText === null ? null : { file: record.file, text: sourceText }, loadReportAssets())) await handle.write(part);
  } finally {
    await handle.close();
  }
}
