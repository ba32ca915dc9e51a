// The scaling lab's results ("Run in parallel"): what ran, the verdict and warnings first
// (the answer before the evidence), then the table of runs, the charts, the Amdahl fit
// beside the learner's predictions, and where the missing speedup went.

import type { ScalingResult } from '../../shared/scaling';
import { baseName, element } from '../format';
import { breakdownView } from './breakdownView';
import { efficiencyChart } from './efficiencyChart';
import { amdahlSummary, predictionSummary } from './fitSummary';
import { modeTable } from './modeTable';
import { speedupChart } from './speedupChart';

export class ScalingView {
  readonly root = element('section', 'view scaling');
  private shown: ScalingResult | null = null;

  constructor() {
    this.root.setAttribute('aria-labelledby', 'scaling-heading');
  }

  render(result: ScalingResult): void {
    // The panel renders on every view-state change; rebuilding the same result would only
    // take keyboard focus away from the chart point the learner is on.
    if (result === this.shown) return;
    this.shown = result;
    const heading = element('h2', undefined, `Run in parallel: ${result.function} over ${result.inputs} (${result.items} ${result.items === 1 ? 'item' : 'items'})`);
    heading.id = 'scaling-heading';
    const facts = element('dl', 'facts');
    facts.append(
      element('dt', undefined, 'File'), element('dd', undefined, baseName(result.file)),
      element('dt', undefined, 'Cores'), element('dd', undefined, String(result.cores)),
      element('dt', undefined, 'Results'), element('dd', undefined, result.resultsEqual ? '✓ every run returned the same results' : '✗ some runs returned different results'),
    );
    const verdict = element('p', 'scaling-verdict', result.verdict);
    const children: HTMLElement[] = [heading, facts, verdict];
    if (result.warnings.length > 0) {
      const warnings = element('ul', 'warnings scaling-warnings');
      warnings.setAttribute('aria-label', 'Warnings');
      for (const warning of result.warnings) warnings.append(element('li', undefined, `⚠ ${warning}`));
      children.push(warnings);
    }
    const charts = element('div', 'scaling-charts');
    charts.append(speedupChart(result), efficiencyChart(result));
    const lesson = element('div', 'scaling-lesson');
    lesson.append(amdahlSummary(result));
    const predictions = predictionSummary(result);
    if (predictions) lesson.append(predictions);
    children.push(modeTable(result), charts, lesson, breakdownView(result));
    this.root.replaceChildren(...children);
  }
}
