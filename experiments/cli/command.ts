/**
 * The shape of one `svcpath` subcommand. Each command lives in its own file in experiments/cli/
 * and is listed once in registry.ts; main.ts does the dispatch, `--help` and error handling.
 */

export interface Command {
  /** What the user types after `svcpath`, e.g. "queue". */
  readonly name: string;
  /** One line for the command list (`svcpath --help`). */
  readonly summary: string;
  /** The usage line, printed after every usage error, e.g. "svcpath queue --servers C ...". */
  readonly synopsis: string;
  /** The full `svcpath <name> --help` text (starts with the usage line). */
  readonly help: string;
  /**
   * Runs the command on the arguments after its name (never containing --help). Throws UsageError
   * (or DistributionSpecError) for bad input, which main.ts maps to exit code 2; anything else is 1.
   */
  run(argv: readonly string[]): void | Promise<void>;
}
