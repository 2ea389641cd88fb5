/**
 * Parquet copies of the Arrow result tables, for DuckDB, pandas and Spark users. An in-memory
 * DuckDB receives the rows through its appender (so the column types are kept exactly: floats stay
 * DOUBLE, integers BIGINT, strings and dictionary-encoded strings VARCHAR) and writes them with
 * `COPY ... (FORMAT parquet)` to a temporary file that is then renamed over the target.
 * The output is byte-identical for the same table and the same DuckDB version (one writer thread,
 * insertion order kept; the file records "DuckDB version ..." in its created_by field).
 */
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DuckDBInstance, type DuckDBAppender } from '@duckdb/node-api';
import { DataType, type Field, type Table, type Vector } from 'apache-arrow';

/** How one Arrow column becomes a DuckDB column: the SQL type and the appender call per value. */
interface ColumnWriter {
  sqlType: string;
  append(appender: DuckDBAppender, value: unknown): void;
}

function toBigInt(value: unknown): bigint {
  return typeof value === 'bigint' ? value : BigInt(value as number);
}

function columnWriter(field: Field): ColumnWriter {
  const type = field.type as DataType;
  if (DataType.isFloat(type)) {
    return { sqlType: 'DOUBLE', append: (a, v) => a.appendDouble(Number(v)) };
  }
  if (DataType.isInt(type)) {
    // Uint64 does not fit BIGINT's range; every other integer width does.
    if (!type.isSigned && type.bitWidth === 64) { // calibration-exempt: the 64-bit width of Uint64
      return { sqlType: 'UBIGINT', append: (a, v) => a.appendUBigInt(toBigInt(v)) };
    }
    return { sqlType: 'BIGINT', append: (a, v) => a.appendBigInt(toBigInt(v)) };
  }
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) {
    return { sqlType: 'VARCHAR', append: (a, v) => a.appendVarchar(String(v)) };
  }
  // tableFromArrays turns string[] into Dictionary<Utf8>; get() already decodes to the string.
  if (DataType.isDictionary(type) && (DataType.isUtf8(type.dictionary) || DataType.isLargeUtf8(type.dictionary))) {
    return { sqlType: 'VARCHAR', append: (a, v) => a.appendVarchar(String(v)) };
  }
  if (DataType.isBool(type)) {
    return { sqlType: 'BOOLEAN', append: (a, v) => a.appendBoolean(Boolean(v)) };
  }
  throw new Error(
    `writeParquet: column "${field.name}" has Arrow type ${String(type)}; allowed: Float16/32/64, Int8..64, Uint8..64, Utf8, LargeUtf8, Dictionary<Utf8>, Bool`,
  );
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function quoteString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/**
 * Writes `table` to `path` as Parquet (snappy-compressed, one file), atomically: a temporary file
 * beside `path` is renamed over it, and removed again if anything fails.
 *
 * @example
 * await writeParquet(tableFromArrays({ x: Float64Array.of(1, 2) }), 'results/demo/runs.parquet');
 */
export async function writeParquet(table: Table, path: string): Promise<void> {
  const fields = table.schema.fields;
  if (fields.length === 0) throw new Error(`writeParquet: the table for ${path} has no columns`);
  const writers = fields.map(columnWriter);
  const names = new Set<string>();
  for (const f of fields) {
    if (names.has(f.name)) throw new Error(`writeParquet: the table for ${path} has two columns named "${f.name}"`);
    names.add(f.name);
  }

  const tmpPath = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const instance = await DuckDBInstance.create(':memory:', {
    threads: '1',
    // Never reach for the network: parquet is built into the bindings.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const connection = await instance.connect();
  try {
    const columnsSql = fields.map((f, i) => `${quoteIdent(f.name)} ${writers[i]!.sqlType}`).join(', ');
    await connection.run(`CREATE TABLE t (${columnsSql})`);
    const appender = await connection.createAppender('t');
    const vectors = fields.map((_, i) => table.getChildAt(i) as Vector);
    for (let row = 0; row < table.numRows; row++) {
      for (let col = 0; col < vectors.length; col++) {
        const value: unknown = vectors[col]!.get(row);
        if (value === null || value === undefined) appender.appendNull();
        else writers[col]!.append(appender, value);
      }
      appender.endRow();
    }
    appender.closeSync();
    await connection.run(`COPY t TO ${quoteString(tmpPath)} (FORMAT parquet, COMPRESSION snappy)`);
    await rename(tmpPath, path);
  } catch (e) {
    await rm(tmpPath, { force: true });
    throw e;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
