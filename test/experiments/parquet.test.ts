import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromArrays, type Table } from 'apache-arrow';
import { writeParquet } from '../../experiments/lib/parquet.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'svcpath-parquet-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function runsTable(): Table {
  return tableFromArrays({
    serviceCount: BigInt64Array.of(10n, 100n, 1000n, 10n),
    lookup: ['iptables', 'iptables', 'bpf-hash', "o'brien \"quoted\""],
    replication: Int32Array.of(0, 1, 0, 1),
    p99LatencyNs: Float64Array.of(1234.5, 2e9, Number.NaN, -0.25),
    'odd name': Float32Array.of(0.5, 1.5, 2.5, 3.5),
  });
}

async function readBack(path: string): Promise<{ names: string[]; types: string[]; rows: Record<string, unknown>[] }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT * FROM read_parquet('${path}')`);
    return {
      names: reader.columnNames(),
      types: reader.columnTypes().map((t) => t.toString()),
      rows: reader.getRowObjectsJS() as Record<string, unknown>[],
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('writeParquet(table, path)', () => {
  it('writes a file DuckDB reads back with the same columns, types and rows as the Arrow table', async () => {
    const table = runsTable();
    const path = join(dir, 'runs.parquet');
    await writeParquet(table, path);
    const back = await readBack(path);

    expect(back.names).toEqual(table.schema.fields.map((f) => f.name));
    expect(back.types).toEqual(['BIGINT', 'VARCHAR', 'BIGINT', 'DOUBLE', 'DOUBLE']);
    expect(back.rows).toHaveLength(table.numRows);
    const expected = table.toArray().map((r) => r.toJSON() as Record<string, unknown>);
    back.rows.forEach((row, i) => {
      const want = expected[i]!;
      expect(row.serviceCount).toBe(want.serviceCount); // bigint both sides
      expect(row.lookup).toBe(want.lookup);
      expect(Number(row.replication)).toBe(want.replication);
      expect(row.p99LatencyNs).toBe(want.p99LatencyNs); // toBe treats NaN as equal to NaN
      expect(row['odd name']).toBe(want['odd name']);
    });
  });

  it('keeps nulls as NULL', async () => {
    const table = tableFromArrays({ x: [1.5, null, 3] as (number | null)[], s: ['a', null, 'c'] as (string | null)[] });
    const path = join(dir, 'nulls.parquet');
    await writeParquet(table, path);
    const back = await readBack(path);
    expect(back.rows.map((r) => r.x)).toEqual([1.5, null, 3]);
    expect(back.rows.map((r) => r.s)).toEqual(['a', null, 'c']);
  });

  it('is byte-identical for the same table, and leaves no temporary file', async () => {
    const a = join(dir, 'same-a.parquet');
    const b = join(dir, 'same-b.parquet');
    const n = 50_000;
    const big = tableFromArrays({
      i: BigInt64Array.from({ length: n }, (_, k) => BigInt(k)),
      v: Float64Array.from({ length: n }, (_, k) => Math.sin(k)),
      s: Array.from({ length: n }, (_, k) => `p${k % 7}`),
    });
    await writeParquet(big, a);
    await writeParquet(big, b);
    expect(Buffer.compare(await readFile(a), await readFile(b))).toBe(0);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('rejects an unsupported column type, naming the column, and writes nothing', async () => {
    const table = tableFromArrays({ when: [new Date(0)] as unknown as Float64Array });
    const path = join(dir, 'bad.parquet');
    await expect(writeParquet(table, path)).rejects.toThrow(/column "when" has Arrow type/);
    expect((await readdir(dir)).filter((f) => f.startsWith('bad') || f.includes('bad.parquet'))).toEqual([]);
  });
});
