import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import * as cpu from '../../../model/cpu/index.ts';
import * as nic from '../../../model/nic/index.ts';
import * as ebpf from '../../../model/ebpf/index.ts';
import { bareLiterals, defaultsWithoutProvenance } from './componentRules.ts';

const folder = (name: string) => fileURLToPath(new URL(`../../../model/${name}/`, import.meta.url));

describe.each([
  ['cpu', cpu],
  ['nic', nic],
  ['ebpf', ebpf],
] as const)('model/%s follows the calibration rules', (name, exports) => {
  it('every exported default*Params has a calibration key for each numeric field', () => {
    expect(Object.keys(exports).some((k) => /^default.*Params$/.test(k))).toBe(true);
    expect(defaultsWithoutProvenance(exports as Record<string, unknown>)).toEqual([]);
  });

  it('no bare numeric literal with 3+ significant digits or a decimal point in the source', () => {
    expect(bareLiterals(folder(name))).toEqual([]);
  });
});
