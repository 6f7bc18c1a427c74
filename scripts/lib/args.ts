/** Command-line flags of the experiment scripts: `--name value`. */

/** The value after `--name`, or `def` when the flag is absent. */
export function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}

/** The number after `--name`, or `def` when the flag is absent. */
export function numArg(name: string, def: number): number {
  return Number(arg(name, String(def)));
}
