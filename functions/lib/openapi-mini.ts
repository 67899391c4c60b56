import * as zm from 'zod/mini';

/*
 * @hono/zod-openapi builds its documents with @asteasolutions/zod-to-openapi (9.1), which reads a
 * few things off each schema that only `zod` schemas have: `meta()` (the schema's metadata), and for
 * strings and numbers the summaries `format`, `minLength`, `maxLength` (a `format` of "safeint" makes
 * a number an integer). Without them a zod/mini schema fails the document ("zodSchema.meta is not a
 * function") and, given `meta`, loses its formats, lengths and integer types.
 *
 * The shared schemas are zod/mini: they are what the respondent function loads, and zod's classes
 * cost its cold start (docs/benchmarks.md). This gives zod/mini schemas those members as `zod`
 * defines them: `meta()` is the schema's entry in zod's global registry (the one `zod` uses too) and
 * `meta(data)` a copy registered with `data`; the summaries are folded from the checks the way `zod`
 * folds them. So a document lists the same schemas whichever flavour built them
 * (test/respond/zod-mini.test.ts). Every module that builds an OpenAPI document imports this one (the
 * functions' apps and functions/respond/openapi.ts); the respondent function never does.
 */
interface CheckDef {
  check: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  length?: number;
}
type Schema = zm.ZodMiniType & {
  _zod: { traits: Set<string>; def: { checks?: { _zod: { def: CheckDef } }[] } };
};

function meta(this: Schema, ...args: [zm.core.GlobalMeta] | []) {
  if (args.length === 0) return zm.globalRegistry.get(this);
  return this.clone().register(zm.globalRegistry, args[0]);
}

/** What `zod` folds a string's or number's checks into (its format, tightest lengths); a format schema is its own first check. */
function summary(schema: Schema): { format?: string; minLength?: number; maxLength?: number } {
  const checks = [...(schema._zod.traits.has('$ZodCheck') ? [schema] : []), ...(schema._zod.def.checks ?? [])];
  const out: { format?: string; minLength?: number; maxLength?: number } = {};
  const atLeast = (n: number) => {
    out.minLength = Math.max(out.minLength ?? n, n);
  };
  const atMost = (n: number) => {
    out.maxLength = Math.min(out.maxLength ?? n, n);
  };
  for (const check of checks) {
    const def = check._zod.def as CheckDef;
    if ((def.check === 'string_format' || def.check === 'number_format') && def.format) out.format = def.format;
    else if (def.check === 'min_length' && def.minimum !== undefined) atLeast(def.minimum);
    else if (def.check === 'max_length' && def.maximum !== undefined) atMost(def.maximum);
    else if (def.check === 'length_equals' && def.length !== undefined) {
      atLeast(def.length);
      atMost(def.length);
    }
  }
  return out;
}

const summaries: Record<string, (schema: Schema) => unknown> = {
  format: (s) => (s.type === 'string' || s.type === 'number' ? (summary(s).format ?? null) : undefined),
  minLength: (s) => (s.type === 'string' ? (summary(s).minLength ?? null) : undefined),
  maxLength: (s) => (s.type === 'string' ? (summary(s).maxLength ?? null) : undefined),
};

for (const value of Object.values(zm)) {
  if (typeof value !== 'function' || !value.name.startsWith('ZodMini') || !('init' in value)) continue;
  const proto: unknown = value.prototype;
  if (!proto || typeof proto !== 'object') continue;
  if (!('meta' in proto)) Object.defineProperty(proto, 'meta', { value: meta, configurable: true, writable: true });
  for (const [name, read] of Object.entries(summaries))
    if (!(name in proto))
      Object.defineProperty(proto, name, {
        get(this: Schema) {
          return read(this);
        },
        configurable: true,
      });
}
