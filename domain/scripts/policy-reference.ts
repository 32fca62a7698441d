// Renders docs/policy-reference.md from the policy schema (domain/src/policy.ts: types, ranges,
// and the doc comment on each field) and the national defaults (domain/data/policy-national.json).
// `make docs` writes it; a unit test fails when the committed page differs from what this renders,
// so the reference cannot drift from the code.
//   node --import tsx domain/scripts/policy-reference.ts [--write]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { z } from 'zod';
import { WINDOW_UNITS } from '../src/deadline';
import { policySchema } from '../src/policy';

const ROOT = join(__dirname, '..', '..');
const SCHEMA_FILE = join(ROOT, 'domain', 'src', 'policy.ts');
const NATIONAL_FILE = join(ROOT, 'domain', 'data', 'policy-national.json');
export const REFERENCE_FILE = join(ROOT, 'docs', 'policy-reference.md');

type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  default?: unknown;
};

/** Doc comments of the schema's fields, by dotted path from the policy's root. */
export function fieldDocs(source = readFileSync(SCHEMA_FILE, 'utf8')): Map<string, string> {
  const file = ts.createSourceFile(SCHEMA_FILE, source, ts.ScriptTarget.ES2022, true);
  const docOf = (node: ts.Node): string =>
    ts
      .getJSDocCommentsAndTags(node)
      .map((d) => (typeof d.comment === 'string' ? d.comment : ''))
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
  // per schema constant: its own doc, its fields' docs, and fields that name another constant
  const docs = new Map<string, Map<string, string>>();
  const refs = new Map<string, Map<string, string>>();
  const ownDoc = new Map<string, string>();
  const visit = (node: ts.Node, constant: string | undefined, path: string[]): void => {
    if (ts.isVariableStatement(node)) {
      for (const decl of node.declarationList.declarations) {
        if (!ts.isIdentifier(decl.name) || !decl.initializer) continue;
        const name = decl.name.text;
        docs.set(name, new Map());
        refs.set(name, new Map());
        const doc = docOf(node);
        if (doc) ownDoc.set(name, doc);
        visit(decl.initializer, name, []);
      }
      return;
    }
    if (constant && ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) {
      const here = [...path, node.name.text];
      const doc = docOf(node);
      if (doc) docs.get(constant)!.set(here.join('.'), doc);
      let head: ts.Expression = node.initializer;
      while (ts.isCallExpression(head) && ts.isPropertyAccessExpression(head.expression))
        head = head.expression.expression;
      if (ts.isIdentifier(head) && head.text !== 'z') refs.get(constant)!.set(here.join('.'), head.text);
      ts.forEachChild(node.initializer, (c) => visit(c, constant, here));
      return;
    }
    ts.forEachChild(node, (c) => visit(c, constant, path));
  };
  visit(file, undefined, []);
  const out = new Map<string, string>();
  const expand = (constant: string, prefix: string, depth: number): void => {
    if (depth > 5) return;
    for (const [p, d] of docs.get(constant) ?? []) out.set(prefix + p, d);
    for (const [p, target] of refs.get(constant) ?? []) {
      if (!docs.has(target)) continue;
      if (!out.has(prefix + p) && ownDoc.has(target) && target.endsWith('Schema'))
        out.set(prefix + p, ownDoc.get(target)!);
      expand(target, `${prefix}${p}.`, depth + 1);
    }
  };
  expand('policySchema', '', 0);
  return out;
}

const isWindow = (s: JsonSchema): boolean =>
  s.type === 'object' && !!s.properties && Object.keys(s.properties).sort().join() === 'amount,unit';

function range(s: JsonSchema): string {
  const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? `>${s.exclusiveMinimum}` : undefined);
  const hi = s.maximum;
  if (lo === undefined && hi === undefined) return '';
  return ` ${lo ?? ''}–${hi ?? ''}`;
}

/** What a field accepts, in a few words. */
function accepts(s: JsonSchema): string {
  if (isWindow(s)) return 'a window `{amount, unit}`';
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' / ');
  if (s.type === 'array' && s.items) {
    const n =
      s.minItems !== undefined && s.minItems === s.maxItems
        ? `${s.minItems} `
        : s.maxItems !== undefined
          ? `up to ${s.maxItems} `
          : '';
    const item = isWindow(s.items)
      ? 'windows'
      : s.items.type === 'object' && s.items.properties
        ? `\`{${Object.keys(s.items.properties).join(', ')}}\``
        : accepts(s.items);
    return `a list of ${n}${item}`;
  }
  if (s.type === 'object' && typeof s.additionalProperties === 'object')
    return `a map to ${accepts(s.additionalProperties)}`;
  if (s.type === 'integer') return `a whole number${range(s)}`;
  if (s.type === 'number') return `a number${range(s)}`;
  if (s.type === 'string') return s.pattern ? 'an id (lowercase, digits, `-`)' : 'text';
  return s.type ?? 'any';
}

const UNIT_WORDS: Record<string, [string, string]> = {
  calendarDays: ['calendar day', 'calendar days'],
  workingDays: ['working day', 'working days'],
  months: ['month', 'months'],
  minutes: ['minute', 'minutes'],
  seconds: ['second', 'seconds'],
};

function show(v: unknown): string {
  if (v === undefined) return '—';
  if (typeof v === 'object' && v !== null && 'amount' in v && 'unit' in v) {
    const w = v as { amount: number; unit: string };
    const words = UNIT_WORDS[w.unit] ?? [w.unit, w.unit];
    return `${w.amount} ${words[w.amount === 1 ? 0 : 1]}`;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return '(none)';
    // a list of records (the ladder's steps): one "a (b, c)" per item
    return v
      .map((x) =>
        typeof x === 'object' && x !== null && !('amount' in x)
          ? ((vals) => `${vals[0]} (${vals.slice(1).join(', ')})`)(Object.values(x).map(show))
          : show(x),
      )
      .join('; ');
  }
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v);
    return entries.length === 0 ? '(none)' : entries.map(([k, x]) => `${k} → ${show(x)}`).join(', ');
  }
  return String(v);
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');

export function renderPolicyReference(): string {
  const schema = z.toJSONSchema(policySchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const national = (JSON.parse(readFileSync(NATIONAL_FILE, 'utf8')) as { settings: Record<string, unknown> }).settings;
  const docs = fieldDocs();
  const lines: string[] = [
    '# Policy reference',
    '',
    'Every setting of a jurisdiction policy: what it means, what it accepts and its national default.',
    'Generated from the schema (`domain/src/policy.ts`) and the national document',
    '(`domain/data/policy-national.json`) by `make docs`; a unit test fails when this page is out of date.',
    'How documents override each other: [policy.md](policy.md).',
    '',
    `A window \`{amount, unit}\` has unit ${WINDOW_UNITS.map((u) => `\`${u}\``).join(', ')}; \`minutes\` are for tests,`,
    '`seconds` only in a jurisdiction whose document says `"drill": true`.',
  ];
  for (const [section, sectionSchema] of Object.entries(schema.properties ?? {})) {
    lines.push('', `## \`${section}\``, '');
    const intro = docs.get(section);
    if (intro) lines.push(intro, '');
    lines.push('| setting | what | accepts | national default |', '|---|---|---|---|');
    const walk = (s: JsonSchema, path: string[], value: unknown): void => {
      const leaf = isWindow(s) || s.type !== 'object' || !s.properties;
      const key = path.join('.');
      if (!leaf) {
        const fields = Object.entries(s.properties ?? {});
        const values = (value ?? {}) as Record<string, unknown>;
        // fields that share one meaning (the four grades' points): one row, each field's default named
        const plain = fields.every(([k, sub]) => !docs.has(`${key}.${k}`) && sub.type !== 'object');
        if (plain && docs.has(key)) {
          const kinds = [...new Set(fields.map(([, sub]) => accepts(sub)))];
          const defaults = fields.map(([k, sub]) => `${k} ${show(values[k] ?? sub.default)}`).join(', ');
          lines.push(
            `| \`${key}.{${fields.map(([k]) => k).join(', ')}}\` | ${cell(docs.get(key)!)} | ${cell(kinds.join('; '))} each | ${cell(defaults)} |`,
          );
          return;
        }
        for (const [k, sub] of fields) walk(sub, [...path, k], values[k]);
        return;
      }
      const fallback =
        value === undefined && s.default !== undefined ? `${show(s.default)} (when not set)` : show(value);
      lines.push(`| \`${key}\` | ${cell(docs.get(key) ?? '')} | ${cell(accepts(s))} | ${cell(fallback)} |`);
    };
    walk(sectionSchema, [section], national[section]);
  }
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  const text = renderPolicyReference();
  if (process.argv.includes('--write')) writeFileSync(REFERENCE_FILE, text);
  else process.stdout.write(text);
}
