// A form rendered from an action's request schema (JSON Schema from the route's zod schema):
// the server says which fields there are, which are required, their options and limits.
// A refused submission shows the API's message beside the field it names.
import { useMemo, useState } from 'react';
import { Form, Input, InputNumber, Radio, Switch, Select, Button, Alert, Space, Card } from 'antd';
import type { ApiError } from '../api';
import { ENUM, FIELD, UNIT } from '../labels';

type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: string[];
  const?: string;
  format?: string;
  maxLength?: number;
  minLength?: number;
  items?: Schema;
  minimum?: number;
  maximum?: number;
  oneOf?: Schema[];
  anyOf?: Schema[];
};

/** A field's label: the form's own for its path (numbers left out, e.g. items.description) or name, else the shared one. */
const labelOf = (name: string, path: (string | number)[], own?: Record<string, string>) =>
  own?.[path.filter((p) => typeof p === 'string').join('.')] ?? own?.[name] ?? FIELD[name] ?? name;
const UNIT_FIELDS = new Set(['leadUnit', 'coHandlers', 'unit']);

/** Choices a field offers, by its name (e.g. the registry's units and members). */
export type FieldOptions = Record<string, { value: string; label: string }[]>;
const unitOptions = Object.entries(UNIT).map(([value, l]) => ({ value, label: l }));

/** The variants of a discriminated union and the field that tells them apart. */
function variantsOf(schema: Schema): { key: string; variants: Schema[] } | undefined {
  const variants = schema.oneOf ?? schema.anyOf;
  if (!variants?.every((v) => v.type === 'object')) return undefined;
  const first = variants[0]?.properties ?? {};
  const key = Object.keys(first).find((k) => variants.every((v) => v.properties?.[k]?.const !== undefined));
  return key ? { key, variants } : undefined;
}

const isDateOnly = (s: Schema) => (s.anyOf ?? []).some((x) => x.format === 'date');

/**
 * A form's submission state: busy while it is sent, and a refusal's errors shown by field (or
 * above the button when they name none).
 */
export function useSubmission() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string>();
  const [busy, setBusy] = useState(false);
  const status = (f: string) => (errors[f] ? { validateStatus: 'error' as const, help: errors[f] } : {});
  const run = async (send: () => Promise<void>) => {
    setBusy(true);
    setErrors({});
    setGeneral(undefined);
    try {
      await send();
    } catch (e) {
      const { fields, general: g } = fieldErrors(e as ApiError);
      setErrors(fields);
      setGeneral(g);
    } finally {
      setBusy(false);
    }
  };
  return { errors, setErrors, general, busy, status, run };
}

/** A field's error from the API: its details, or a validator message that starts with the field's path. */
export function fieldErrors(err: ApiError): { fields: Record<string, string>; general?: string } {
  const fields: Record<string, string> = {};
  for (const d of err.details ?? []) if (d.path && d.path !== '(root)') fields[d.path] = d.message;
  if (!Object.keys(fields).length) {
    const m = /^([a-zA-Z]+(?:\.\d+\.[a-zA-Z]+|\.[a-zA-Z]+)?) must/.exec(err.message);
    if (m) fields[m[1]] = err.message;
  }
  return Object.keys(fields).length ? { fields } : { fields, general: err.message };
}

function clean(v: unknown, s: Schema | undefined): unknown {
  if (v === undefined || v === null || v === '') return undefined;
  if (Array.isArray(v)) {
    const out = v.map((x) => clean(x, s?.items)).filter((x) => x !== undefined);
    return out.length ? out : undefined;
  }
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const c = clean(x, s?.properties?.[k]);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length ? out : undefined;
  }
  if (s?.format === 'date-time' && typeof v === 'string') return new Date(v).toISOString();
  return v;
}

export function SchemaForm({
  schema,
  submitText,
  onSubmit,
  testId,
  options,
  initial,
  labels,
  enumLabels,
}: {
  schema: Schema;
  submitText: string;
  onSubmit: (body: unknown) => Promise<void>;
  testId?: string;
  /** Choices by field name; units default to the demo units. */
  options?: FieldOptions;
  /** Values the form starts with (an action's prefill). */
  initial?: Record<string, unknown>;
  /** Labels of this form's fields, by path or name, over the shared ones. */
  labels?: Record<string, string>;
  /** Option names of the page's own kind, before the shared ones. */
  enumLabels?: Record<string, string>;
}) {
  const label = (name: string, path: (string | number)[] = [name]) => labelOf(name, path, labels);
  const enumLabel = (v: string) => enumLabels?.[v] ?? ENUM[v] ?? v;
  const [form] = Form.useForm();
  const { errors, setErrors, general, busy, run } = useSubmission();
  const union = useMemo(() => variantsOf(schema), [schema]);
  const [variant, setVariant] = useState(0);
  const active: Schema = union ? union.variants[variant] : schema;
  // A required yes/no starts as no (the switch shows it), then the action's prefill.
  const starting = useMemo(() => {
    const start: Record<string, unknown> = {};
    for (const [n, f] of Object.entries(active.properties ?? {}))
      if (f.type === 'boolean' && (active.required ?? []).includes(n)) start[n] = false;
    return { ...start, ...initial };
  }, [active, initial]);

  /** path: the field's full path (errors name it); formName: its name in the form (relative inside a list). */
  const item = (name: string, s: Schema, path: (string | number)[], required: boolean, formName = path) => {
    const key = path.join('.');
    const common = {
      label: label(name, path),
      required,
      validateStatus: errors[key] ? ('error' as const) : undefined,
      help: errors[key],
    };
    let control;
    const choices = options?.[name] ?? (UNIT_FIELDS.has(name) ? unitOptions : undefined);
    if (s.type === 'array' && s.items?.type === 'object') {
      const itemSchema = s.items;
      return (
        <div data-field={key} key={key}>
          <Form.Item {...common}>
            <Form.List name={formName}>
              {(rows, { add, remove }) => (
                <Space direction="vertical" style={{ width: '100%' }}>
                  {rows.map((row) => (
                    <Card size="small" key={row.key} extra={<a onClick={() => remove(row.name)}>删除</a>}>
                      {Object.entries(itemSchema.properties ?? {}).map(([n, sub]) =>
                        item(n, sub, [...path, row.name, n], (itemSchema.required ?? []).includes(n), [row.name, n]),
                      )}
                    </Card>
                  ))}
                  <Button onClick={() => add({})}>添加{label(name, path)}</Button>
                </Space>
              )}
            </Form.List>
          </Form.Item>
        </div>
      );
    }
    if (s.type === 'object' && s.properties)
      return (
        <div data-field={key} key={key}>
          <Form.Item {...common}>
            <Card size="small">
              {Object.entries(s.properties).map(([n, sub]) => item(n, sub, [...path, n], false, [...formName, n]))}
            </Card>
          </Form.Item>
        </div>
      );
    if (s.enum)
      control = (
        <Radio.Group>
          {s.enum.map((v) => (
            <Radio key={v} value={v}>
              {enumLabel(v)}
            </Radio>
          ))}
        </Radio.Group>
      );
    else if (options?.[name])
      control = <Select mode={s.type === 'array' ? 'multiple' : undefined} allowClear options={options[name]} />;
    else if (s.type === 'boolean') control = <Switch />;
    else if (s.type === 'array')
      control = choices ? (
        <Select mode="multiple" allowClear options={choices} optionFilterProp="label" />
      ) : (
        <Select mode="tags" allowClear open={false} placeholder="输入后回车" />
      );
    else if (choices)
      control = (
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={name === 'leadUnit' ? '默认按类别交办' : undefined}
          options={choices}
        />
      );
    else if (s.type === 'integer' || s.type === 'number')
      control = (
        <InputNumber
          min={s.minimum}
          max={s.maximum}
          precision={s.type === 'integer' ? 0 : undefined}
          style={{ width: 200 }}
        />
      );
    else if (s.format === 'date-time') control = <Input type="datetime-local" />;
    else if (isDateOnly(s) || s.format === 'date') control = <Input type="date" />;
    else if ((s.maxLength ?? 0) > 200) control = <Input.TextArea rows={3} />;
    else control = <Input />;
    return (
      <div data-field={key} key={key}>
        <Form.Item {...common} name={formName} valuePropName={s.type === 'boolean' ? 'checked' : 'value'}>
          {control}
        </Form.Item>
      </div>
    );
  };

  const submit = (values: Record<string, unknown>) =>
    run(async () => {
      const body = (clean(values, active) ?? {}) as Record<string, unknown>;
      if (union) body[union.key] = active.properties![union.key].const;
      await onSubmit(body);
      form.resetFields();
    });

  return (
    <Form form={form} layout="vertical" onFinish={submit} data-testid={testId} initialValues={starting}>
      {union && (
        <Form.Item label={label(union.key)}>
          <Radio.Group value={variant} onChange={(e) => (setVariant(e.target.value), setErrors({}))}>
            {union.variants.map((v, i) => (
              <Radio key={i} value={i}>
                {enumLabel(v.properties![union.key].const!)}
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
      )}
      {Object.entries(active.properties ?? {})
        .filter(([, s]) => s.const === undefined)
        .map(([n, s]) => item(n, s, [n], (active.required ?? []).includes(n)))}
      {general && (
        <Alert type="error" showIcon message={general} style={{ marginBottom: 12 }} data-testid="form-error" />
      )}
      <Button type="primary" htmlType="submit" loading={busy}>
        {submitText}
      </Button>
    </Form>
  );
}
