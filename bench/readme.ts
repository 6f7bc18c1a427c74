/**
 * Writes a benchmark's latest table into README.md between
 * `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`, so the README always shows the
 * output of the last run of the script that produced it.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export function replaceSection(text: string, name: string, body: string): string {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) return text.trimEnd() + `\n\n${start}\n${body.trim()}\n${end}\n`;
  return text.slice(0, i + start.length) + '\n' + body.trim() + '\n' + text.slice(j);
}

export function writeReadmeSection(readmePath: string, name: string, body: string): void {
  const text = readFileSync(readmePath, 'utf8');
  writeFileSync(readmePath, replaceSection(text, name, body));
}
