// Renders docs/api-reference.md from the services' own OpenAPI documents (what /openapi.json
// serves, generated from the route specs): every route by case kind, who may call it, its body's
// fields (required ones marked) and the statuses it documents. The authorisation-matrix test
// compares the committed page with what the running services render; `make docs` rewrites it.
import { join } from 'node:path';
import { ROOT } from './paths';

export const API_REFERENCE_FILE = join(ROOT, 'docs', 'api-reference.md');

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}
interface Operation {
  summary: string;
  'x-roles': string[];
  parameters?: { name: string; in: string }[];
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
  responses: Record<string, unknown>;
}
export type OpenApiDoc = { paths: Record<string, Record<string, Operation>> };

/** The sections, in the order a reader meets the case kinds; each names the services it shows. */
const SECTIONS: { title: string; service: string; port: number }[] = [
  { title: 'Deputies’ suggestions (代表建议)', service: 'suggestions', port: 4002 },
  { title: 'Livelihood projects (民生实事项目)', service: 'livelihood', port: 4006 },
  {
    title: 'Review opinions, inquiries, investigations, supervision plans (审议意见 · 质询 · 特定问题调查)',
    service: 'oversight',
    port: 4007,
  },
  { title: 'Citizens’ opinions and liaison letters (民情快递 · 代表联系函)', service: 'citizen', port: 4008 },
  { title: 'Calendar duties: regulations, appointees, groups', service: 'duties', port: 4009 },
  { title: 'Every case: the case index', service: 'caseIndex', port: 4003 },
  { title: 'Scores and rankings', service: 'scores', port: 4005 },
  { title: 'Messages and webhooks', service: 'notifications', port: 4004 },
  { title: 'The registry: policies, calendars, units, deputies, stations', service: 'registry', port: 4001 },
];

function fields(schema: JsonSchema | undefined): string {
  const variants = schema?.oneOf ?? schema?.anyOf;
  if (variants) return variants.map(fields).filter(Boolean).join(' or ');
  if (!schema?.properties) return '';
  const required = new Set(schema.required ?? []);
  return `{${Object.keys(schema.properties)
    .map((k) => (required.has(k) ? `**${k}**` : k))
    .join(', ')}}`;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderApiReference(docs: Record<string, OpenApiDoc>): string {
  const lines = [
    '# API reference',
    '',
    'Every route of every service, by case kind: who may call it, its body (required fields in **bold**),',
    'its query and the statuses it answers. Generated from the services’ `/openapi.json` documents, which',
    'are generated from the same zod schemas that validate the requests; `make docs` rewrites this page and',
    'a test fails when it differs from what the services serve. The conventions (tokens, `Idempotency-Key`,',
    'errors) are in [api.md](api.md).',
  ];
  for (const section of SECTIONS) {
    const doc = docs[section.service];
    if (!doc) throw new Error(`no OpenAPI document for ${section.service}`);
    lines.push(
      '',
      `## ${section.title}`,
      '',
      `Service \`${section.service}\`, port ${section.port} under \`make dev\`.`,
      '',
    );
    lines.push('| route | who | what | body | query | answers |', '|---|---|---|---|---|---|');
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        const query = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
        const body = fields(op.requestBody?.content['application/json'].schema);
        const statuses = Object.keys(op.responses).sort().join(' ');
        lines.push(
          `| \`${method.toUpperCase()} ${path}\` | ${op['x-roles'].join(', ')} | ${cell(op.summary)} | ${cell(body)} | ${query.join(', ')} | ${statuses} |`,
        );
      }
  }
  return `${lines.join('\n')}\n`;
}
