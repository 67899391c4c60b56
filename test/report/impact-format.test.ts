import { describe, expect, it } from 'vitest';
import { formatDifference, formatP, formatValue } from '../../functions/report/pages/impact-fragment.js';

describe('how the dashboard writes figures', () => {
  it('writes a change of a share in percentage points, never in percent', () => {
    // From 30 % to 40 %: ten points, not +33 %.
    expect(formatValue('share', 0.4, 'de')).toBe('40,0\u00a0%');
    expect(formatDifference('share', 0.1, 'de')).toBe('+10,0 Prozentpunkte');
    expect(formatDifference('share', -0.272, 'en')).toBe('-27.2 percentage points');
    // Other kinds keep their own units.
    expect(formatDifference('index', 4.25, 'de')).toBe('+4,3');
    expect(formatDifference('mean', -0.3, 'en')).toBe('-0.30');
  });

  it('writes very small p-values as "< 0.001", never as 0', () => {
    expect(formatP(0.0000042, 'en')).toBe('< 0.001');
    expect(formatP(0.0004, 'de')).toBe('< 0,001');
    expect(formatP(0.001, 'de')).toBe('= 0,001');
    expect(formatP(0.0431, 'en')).toBe('= 0.043');
  });
});
