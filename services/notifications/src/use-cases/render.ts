// Fills a template with a message's data. A placeholder without a value is an error naming the
// field (the dispatcher parks such a message with the reason); it never sends "undefined".
import { FOOTERS, LABELS, TEMPLATES, type Language, type TemplateKey } from './templates';

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

export type TemplateData = Record<string, string | number | boolean | null | undefined>;

export interface RenderedMessage {
  subject: string;
  text: string;
}

const TIME_ZONE = 'Asia/Shanghai';

function formatDate(value: string | number | boolean, lang: Language, field: string): string {
  const d = new Date(typeof value === 'boolean' ? NaN : value);
  if (Number.isNaN(d.getTime())) throw new TemplateError(`field "${field}" is not a date: ${String(value)}`);
  const opts: Intl.DateTimeFormatOptions = {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  };
  return d.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', opts);
}

function fill(source: string, key: string, lang: Language, data: TemplateData): string {
  return source.replace(/\{\{\s*([A-Za-z0-9_]+)(?:\|([a-z]+))?\s*\}\}/g, (_m, field: string, filter?: string) => {
    const value = data[field];
    if (value === undefined || value === null || value === '')
      throw new TemplateError(`template "${key}" (${lang}) needs field "${field}", which is missing`);
    switch (filter) {
      case undefined:
        return String(value);
      case 'date':
        return formatDate(value, lang, field);
      case 'label':
        return LABELS[lang][String(value)] ?? String(value);
      default:
        throw new TemplateError(`template "${key}" (${lang}) uses unknown filter "${filter}"`);
    }
  });
}

export function render(key: string, lang: Language, data: TemplateData): RenderedMessage {
  const template = (TEMPLATES as Record<string, Record<Language, { subject: string; text: string }>>)[key]?.[lang];
  if (!template) throw new TemplateError(`no template "${key}" in language "${lang}"`);
  return {
    subject: fill(template.subject, key, lang, data),
    text: fill(template.text + FOOTERS[lang], key, lang, data),
  };
}

export const templateKeys = (): TemplateKey[] => Object.keys(TEMPLATES) as TemplateKey[];
