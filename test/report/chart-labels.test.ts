import { describe, expect, it } from 'vitest';
import { hyphenate, labelLines } from '../../functions/report/pages/chart-labels.js';

describe('chart labels', () => {
  it('hyphenates a word wider than its column at the seam of the compound', () => {
    expect(hyphenate('Zwischenmessung', 14)).toEqual(['Zwischen-', 'messung']);
    expect(hyphenate('Abschlussmessung', 14)).toEqual(['Abschluss-', 'messung']);
    expect(hyphenate('(Ausgangswert)', 11)).toEqual(['(Ausgangs-', 'wert)']);
    expect(hyphenate('Zielprüfung)', 11)).toEqual(['Ziel-', 'prüfung)']);
    expect(hyphenate('Kampagnenphase)', 14)).toEqual(['Kampagnen-', 'phase)']);
  });

  it('hyphenates between syllables where it knows no seam, and keeps a word that fits', () => {
    expect(hyphenate('Wiederholung)', 11)).toEqual(['Wieder-', 'holung)']);
    expect(hyphenate('Nullmessung', 11)).toEqual(['Nullmessung']);
    // A hyphen of its own is where it breaks, without a second one.
    expect(hyphenate('Folgemessung-Ost', 13)).toEqual(['Folgemessung-', 'Ost']);
  });

  it('keeps every line within its column, three at most', () => {
    for (const [label, max] of [
      ['Zwischenmessung 2027', 14],
      ['Abschlussmessung 2028', 14],
      ['Befragung 2026 (Ausgangswert)', 11],
      ['Nullmessung 2026 (vor der Kampagne)', 14],
    ] as const) {
      const lines = labelLines(label, max);
      expect(lines.length, label).toBeLessThanOrEqual(3);
      for (const line of lines) expect(line.replace(/ ?…$/, '').length, line).toBeLessThanOrEqual(max);
    }
    expect(labelLines('Zwischenmessung 2027', 14)).toEqual(['Zwischen-', 'messung 2027']);
    expect(labelLines('Befragung 2026 (Ausgangswert)', 11)).toEqual(['Befragung', '2026', '(Ausgangs…']);
  });
});
