import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The licences of everything Cairn ships (production dependencies, transitively, as installed):
 * each must be one of the permissive licences below, or an SPDX OR-expression offering one.
 * A new dependency under another licence fails here until someone has looked at it.
 */

const PERMISSIVE = new Set(['MIT', 'MIT-0', 'ISC', 'BSD-2-Clause', 'BSD-3-Clause', '0BSD', 'Apache-2.0', 'BlueOak-1.0.0', 'CC0-1.0', 'Unlicense', 'PSF-2.0', 'Python-2.0']);

/** Whether an SPDX expression lets us use the package under a permissive licence. */
function acceptable(expression: string): boolean {
  const options = expression.replace(/^\(|\)$/g, '').split(/\s+OR\s+/);
  return options.some((o) => PERMISSIVE.has(o.trim()));
}

function productionPackages(): { name: string; licence: string }[] {
  const ls = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { encoding: 'utf8' });
  const dirs = ls.stdout.trim().split('\n').slice(1); // the first line is Cairn itself
  return dirs.map((dir) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; license?: unknown; licenses?: unknown };
    const licence = typeof pkg.license === 'string' ? pkg.license : JSON.stringify(pkg.license ?? pkg.licenses ?? 'UNKNOWN');
    return { name: pkg.name, licence };
  });
}

describe('licences of the production dependencies', () => {
  it('reads SPDX expressions', () => {
    expect(acceptable('MIT')).toBe(true);
    expect(acceptable('(MPL-2.0 OR Apache-2.0)')).toBe(true);
    expect(acceptable('GPL-3.0-only')).toBe(false);
    expect(acceptable('SEE LICENSE IN LICENSE.txt')).toBe(false);
  });

  it('are all permissive', () => {
    const packages = productionPackages();
    expect(packages.length).toBeGreaterThan(50);
    expect(packages.filter((p) => !acceptable(p.licence)).map((p) => `${p.name}: ${p.licence}`)).toEqual([]);
  });
});
