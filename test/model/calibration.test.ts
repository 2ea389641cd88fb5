/**
 * The calibration table's rules, checked over the whole model:
 * (1) every entry is well-formed (checkEntry), keys are unique, every assumption has a range;
 * (2) every exported `default*Params` object of a component index has a recorded calibration key
 *     for each numeric field (it was built by calibratedParams).
 * The numbers outside the table are checked by test/rules/strayNumbers.test.ts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { calibrationTable, calibrationEntry, checkEntry, paramsProvenance } from '../../model/calibration/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MODEL = join(ROOT, 'model');
const COMPONENTS = ['nic', 'cpu', 'ebpf', 'lookup', 'conntrack', 'datapaths', 'tcp', 'controlplane', 'node', 'hypervisor'] as const;

describe('calibration table', () => {
  it('every entry passes checkEntry', () => {
    expect(calibrationTable.length).toBeGreaterThan(0);
    for (const e of calibrationTable) expect(() => checkEntry(e), e.key).not.toThrow();
  });

  it('keys are unique and each key resolves to its own entry', () => {
    const keys = calibrationTable.map((e) => e.key);
    const dupes = keys.filter((k, i) => keys.indexOf(k) !== i);
    expect(dupes).toEqual([]);
    for (const e of calibrationTable) expect(calibrationEntry(e.key)).toBe(e);
  });

  it('every assumption has a range containing its value, every derived entry says how', () => {
    for (const e of calibrationTable) {
      if (e.label === 'assumption') {
        expect(e.range, e.key).toBeDefined();
        expect(e.range![0] <= e.value && e.value <= e.range![1], e.key).toBe(true);
      }
      if (e.label === 'derived') expect(e.derivation?.length ?? 0, e.key).toBeGreaterThan(10);
    }
  });

  it('each key belongs to a domain file named by its prefix', () => {
    const domains = new Set(['nic', 'cpu', 'ebpf', 'lookup', 'conntrack', 'controlPlane', 'datapath', 'node', 'hypervisor']);
    for (const e of calibrationTable) expect(domains.has(e.key.split('.')[0]!), e.key).toBe(true);
  });
});

describe('default params carry provenance', () => {
  for (const component of COMPONENTS) {
    const index = join(MODEL, component, 'index.ts');
    it.skipIf(!existsSync(index))(`model/${component}: every default*Params has a calibration key for each numeric field`, async () => {
      const mod = (await import(index)) as Record<string, unknown>;
      const defaults = Object.entries(mod).filter(([name, v]) => /^default.*Params$/.test(name) && typeof v === 'object' && v !== null);
      for (const [name, params] of defaults) {
        const provenance = paramsProvenance(params as object);
        expect(provenance, `${component}.${name} was not built by calibratedParams`).toBeDefined();
        for (const [field, value] of Object.entries(params as object)) {
          if (typeof value !== 'number') continue;
          const key = provenance![field];
          expect(key, `${component}.${name}.${field} has no calibration key`).toBeDefined();
          expect(calibrationEntry(key!).value, `${component}.${name}.${field}`).toBe(value);
        }
      }
    });
  }
});
