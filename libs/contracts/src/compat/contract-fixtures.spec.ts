import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as contracts from '../index';
import { commandSpecsIn, CONTRACT_VERSIONS, type ContractVersion } from './contract-registry';

/*
 * Contract compatibility (docs/contracts.md): every fixture of every published contract version still
 * passes today's validator or decoder, and every contract the package exports has fixtures. A change that
 * makes an old fixture fail is a breaking change: it needs a new version beside the old one, not an edit
 * of the fixture.
 */

const FIXTURES = path.join(__dirname, '../../fixtures');
const INDEX = 'index.json';

const dirOf = (entry: ContractVersion) => entry.fixtureDir ?? `${entry.contract}/${entry.version}`;
const nameOf = (entry: ContractVersion) => `${entry.contract} ${entry.version}`;

function jsonFiles(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((file) => file.endsWith('.json') && file !== INDEX)
        .sort()
    : [];
}

/** The check each fixture file names: its folder's index.json, or the only check of the contract. */
function assignments(entry: ContractVersion): Record<string, string> {
  const dir = path.join(FIXTURES, dirOf(entry));
  const index = path.join(dir, INDEX);
  if (existsSync(index)) return JSON.parse(readFileSync(index, 'utf8')) as Record<string, string>;
  const names = Object.keys(entry.checks);
  return names.length === 1
    ? Object.fromEntries(jsonFiles(dir).map((file) => [file, names[0] as string]))
    : {};
}

const exported = contracts as unknown as Record<string, unknown>;
const registered = new Set(CONTRACT_VERSIONS.map((entry) => `${entry.contract}.${entry.version}`));
const checkNames = new Set(CONTRACT_VERSIONS.flatMap((entry) => Object.keys(entry.checks)));

describe('contract registry', () => {
  it('registers every command spec libs/contracts exports', () => {
    const missing = commandSpecsIn(exported)
      .map((spec) => spec.subject)
      .filter((subject) => !registered.has(subject));
    expect(missing).toEqual([]);
  });

  it('registers every exported versioned subject constant (e.g. a subject served through actionCommandV1)', () => {
    const missing = Object.entries(exported)
      .filter(([, value]) => typeof value === 'string' && /^[a-z][\w-]*(\.[\w-]+)+\.v\d+$/.test(value))
      .filter(([, subject]) => !registered.has(subject as string))
      .map(([name, subject]) => `${name} = ${subject as string}: add it to CONTRACT_VERSIONS`);
    expect(missing).toEqual([]);
  });

  it('registers every exported class-validator contract class (…V<n>) and KV entry parser (parse…Entry)', () => {
    const missing = Object.entries(exported)
      .filter(
        ([name, value]) =>
          typeof value === 'function' && (/^parse\w*Entry$/.test(name) || /^[A-Z]\w*V\d+$/.test(name)),
      )
      .map(([name]) => name)
      .filter((name) => !checkNames.has(name))
      .map((name) => `${name}: add a CONTRACT_VERSIONS entry with a check named ${name}`);
    expect(missing).toEqual([]);
  });

  it('names each contract version once', () => {
    expect(registered.size).toBe(CONTRACT_VERSIONS.length);
  });
});

describe.each(CONTRACT_VERSIONS.map((entry) => [nameOf(entry), entry] as const))(
  'fixtures of %s',
  (_name, entry) => {
    const dir = path.join(FIXTURES, dirOf(entry));
    const files = jsonFiles(dir);
    const assigned = assignments(entry);

    it('has a fixture for every check, each named in index.json', () => {
      const problems: string[] = [];
      if (files.length === 0) {
        problems.push(
          `no fixtures: add libs/contracts/fixtures/${dirOf(entry)}/<name>.json (see docs/contracts.md)`,
        );
      }
      for (const file of files) {
        if (assigned[file] === undefined) problems.push(`${file}: not named in ${dirOf(entry)}/${INDEX}`);
      }
      for (const [file, check] of Object.entries(assigned)) {
        if (!files.includes(file)) problems.push(`${INDEX} names ${file}, which does not exist`);
        if (entry.checks[check] === undefined) {
          problems.push(`${file}: names ${check}, not one of ${Object.keys(entry.checks).join(', ')}`);
        }
      }
      for (const check of Object.keys(entry.checks)) {
        if (!Object.values(assigned).includes(check)) {
          problems.push(`no fixture for ${check}: add one to ${dirOf(entry)} and name it in ${INDEX}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it.each(Object.keys(entry.checks))('%s refuses what is not its contract (a bare string)', (check) => {
      expect(entry.checks[check]?.('not a payload').ok).toBe(false);
    });

    const named = files.filter((file) => assigned[file] !== undefined);
    // With no fixtures jest refuses the empty table; the test above says what to add.
    it.each(named)('still accepts %s', (file) => {
      const check = entry.checks[assigned[file] as string];
      const result = check?.(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as unknown);
      if (result && !result.ok) {
        throw new Error(
          `${dirOf(entry)}/${file} no longer passes ${assigned[file] as string} (${entry.source}): ` +
            `${result.errors.join('; ')}. A change that breaks an old payload needs a new version (docs/contracts.md).`,
        );
      }
      expect(result?.ok).toBe(true);
    });
  },
);
