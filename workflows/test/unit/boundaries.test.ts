// The package boundaries of workflow code, checked by the tools that enforce them: the eslint
// rule (eslint.config.mjs, no-restricted-imports for workflows/src) and the domain package's
// `exports` (no entry into its src/ files).
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const ROOT = path.resolve(__dirname, '../../..');

describe('the workflow import rule', () => {
  /** What the import rule says about code linted as the given file (one eslint process). */
  function lint(file: string, code: string): string[] {
    let out: string;
    try {
      out = execFileSync(
        path.join(ROOT, 'node_modules/.bin/eslint'),
        // Without type information (the import rule needs none): seconds instead of a minute.
        [
          ...['--format', 'json', '--stdin', '--stdin-filename', file],
          ...['--parser-options', 'projectService:false', '--rule', '@typescript-eslint/no-floating-promises: off'],
        ],
        { cwd: ROOT, input: code, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] },
      );
    } catch (err) {
      out = (err as { stdout: string }).stdout; // eslint exits 1 when it reports errors
    }
    const [result] = JSON.parse(out) as { messages: { ruleId: string; message: string }[] }[];
    return result.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
  }

  it('refuses zod, Node built-ins, the Temporal client, the domain root and deep imports in workflow code', () => {
    const code = [
      "import { z } from 'zod';",
      "import { readFileSync } from 'node:fs';",
      "import { Client } from '@temporalio/client';",
      "import { resolvePolicy } from '@duban/domain';",
      "import { RATINGS } from '@duban/domain/src/constants';",
      'export const x = [z, readFileSync, Client, resolvePolicy, RATINGS];',
      '',
    ].join('\n');
    const messages = lint('workflows/src/suggestion/rules.ts', code);
    expect(messages).toHaveLength(5);
    for (const part of [
      'validation belongs in services',
      'Node built-ins',
      'through @temporalio/workflow only',
      '@duban/domain/pure',
      'through its entry',
    ])
      expect(messages.some((m) => m.includes(part))).toBe(true);
  }, 30_000);

  it('lets workflow code import the pure entry and types from the root, and activities the root', () => {
    const pure = [
      "import { RATINGS } from '@duban/domain/pure';",
      "import type { Window } from '@duban/domain';",
      'export const x: [unknown, Window?] = [RATINGS];',
      '',
    ].join('\n');
    expect(lint('workflows/src/suggestion/rules.ts', pure)).toEqual([]);
    const root = "import { resolvePolicy } from '@duban/domain';\nexport const x = resolvePolicy;\n";
    expect(lint('workflows/src/activities.ts', root)).toEqual([]);
  }, 30_000);
});

describe('the domain package exports', () => {
  it('resolves its entries and data', () => {
    expect(() => require.resolve('@duban/domain')).not.toThrow();
    expect(() => require.resolve('@duban/domain/pure')).not.toThrow();
    expect(() => require.resolve('@duban/domain/data/policy-national.json')).not.toThrow();
  });

  it('refuses a deep import of its src/ files', () => {
    expect(() => require.resolve('@duban/domain/src/constants')).toThrow();
  });
});
