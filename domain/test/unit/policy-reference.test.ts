// docs/policy-reference.md is generated from the schema and the national document; it must be
// current, and every setting must say what it means.
import { readFileSync } from 'node:fs';
import { REFERENCE_FILE, fieldDocs, renderPolicyReference } from '../../scripts/policy-reference';

describe('the policy reference', () => {
  const rendered = renderPolicyReference();

  it('is what the schema and the national defaults render (run `make docs` after changing them)', () => {
    expect(readFileSync(REFERENCE_FILE, 'utf8')).toBe(rendered);
  });

  it('explains every setting', () => {
    const rows = rendered.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.length).toBeGreaterThan(80);
    const undocumented = rows.filter((r) => r.split(' | ')[1].trim() === '').map((r) => r.split(' | ')[0]);
    expect(undocumented).toEqual([]);
  });

  it('names a field by the doc comment on its schema, through the constants it refers to', () => {
    const docs = fieldDocs(`
      const inner = z.object({
        /** how long */
        window: windowSchema,
      });
      /** the section */
      const sectionSchema = z.object({
        /** a count */
        n: z.number(),
        sub: inner,
      });
      export const policySchema = z.object({ s: sectionSchema });`);
    expect(docs.get('s.n')).toBe('a count');
    expect(docs.get('s.sub.window')).toBe('how long');
    expect(docs.get('s')).toBe('the section');
  });
});
