// The two sentences that turn the measurements into a lesson: what Amdahl's law fitted to
// the process pools says about the limit, and the learner's predictions beside what was
// measured.

import type { ScalingResult } from '../../shared/scaling';
import { element, formatPercent } from '../format';
import { predictionPoints, processRunWith } from './scalingFacts';
import { formatSpeedup, workersText } from './scalingFormat';

/** A serial fraction below this is measurement noise: the limit is then the cores, not the code. */
const NO_SERIAL_PART = 0.005;

export function amdahlSummary(result: ScalingResult): HTMLElement {
  const section = element('div', 'amdahl');
  const fit = result.fit;
  if (!fit) {
    section.append(element('p', undefined, "Too few process-pool runs to fit Amdahl's law."));
    return section;
  }
  const serial = element('p', 'amdahl-fraction');
  serial.append(element('strong', undefined, `Serial fraction: ${formatPercent(fit.serialFraction * 100)}`), ` (Amdahl's law fitted to the process pools, R² ${fit.r2.toFixed(2)}).`);
  const meaning =
    fit.serialFraction < NO_SERIAL_PART || !Number.isFinite(fit.maxSpeedup)
      ? 'No measurable part of the work stays serial: the number of cores is the limit.'
      : `That part of the work runs on one core however the rest is split, so this map can get at most ${formatSpeedup(fit.maxSpeedup)} faster than with one worker, however many workers it gets.`;
  section.append(serial, element('p', 'amdahl-meaning', meaning));
  return section;
}

/** "You predicted 2.0× with 2 workers, measured 1.8×", one line per prediction made. */
export function predictionSummary(result: ScalingResult): HTMLElement | null {
  const lines = predictionPoints(result);
  if (lines.length === 0) return null;
  const list = element('ul', 'predictions');
  list.setAttribute('aria-label', 'Your predictions');
  for (const [workers, predicted] of lines) {
    const measured = processRunWith(result, workers);
    const allCores = workers === result.cores && workers !== 2 ? ` (all ${result.cores} cores)` : '';
    list.append(element('li', undefined, `With ${workersText(workers)}${allCores}: you predicted ${formatSpeedup(predicted)}, measured ${measured ? formatSpeedup(measured.speedup) : 'nothing (no such run)'}.`));
  }
  return list;
}
