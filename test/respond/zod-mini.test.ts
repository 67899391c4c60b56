import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import * as zm from 'zod/mini';
import '../../functions/lib/openapi-mini.js';
import * as z from 'zod';
import { respondOpenApiDocument } from '../../functions/respond/openapi.js';

/*
 * The shared schemas are zod/mini (the respondent function's cold start), the OpenAPI documents are
 * built by @hono/zod-openapi from `zod` route schemas around them (functions/lib/openapi-mini.ts).
 */

/** The document schema of `field` inside a `zod` object, as @hono/zod-openapi writes it. */
function documented(field: z.core.SomeType): unknown {
  const app = new OpenAPIHono();
  app.openAPIRegistry.registerPath(
    createRoute({
      method: 'post',
      path: '/x',
      request: { body: { content: { 'application/json': { schema: z.object({ field }) } } } },
      responses: { 200: { description: 'ok' } },
    }),
  );
  const doc = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } });
  return JSON.parse(JSON.stringify(doc));
}

describe('zod/mini schemas', () => {
  it('are documented like the same `zod` schemas', () => {
    const pairs: [string, z.core.SomeType, z.core.SomeType][] = [
      ['lengths', zm.string().check(zm.minLength(1), zm.maxLength(32)), z.string().min(1).max(32)],
      ['exact length', zm.string().check(zm.length(4)), z.string().length(4)],
      ['pattern', zm.string().check(zm.regex(/^[a-z]+$/)), z.string().regex(/^[a-z]+$/)],
      ['uuid', zm.uuid(), z.uuid()],
      ['url', zm.url(), z.url()],
      ['day', zm.iso.date(), z.iso.date()],
      ['time', zm.iso.datetime({ offset: true }), z.iso.datetime({ offset: true })],
      ['integer', zm.number().check(zm.int(), zm.positive()), z.number().int().positive()],
      ['bounded', zm.number().check(zm.gte(1), zm.lte(20)), z.number().min(1).max(20)],
      ['optional', zm.optional(zm.string().check(zm.maxLength(64))), z.string().max(64).optional()],
      ['default', zm._default(zm.enum(['a', 'b']), 'a'), z.enum(['a', 'b']).default('a')],
      [
        'strict object',
        zm.strictObject({ de: zm.string().check(zm.minLength(1)), n: zm.array(zm.literal(5)).check(zm.minLength(1)) }),
        z.strictObject({ de: z.string().min(1), n: z.array(z.literal(5)).min(1) }),
      ],
      [
        'record',
        zm.record(zm.string().check(zm.maxLength(64)), zm.unknown()),
        z.record(z.string().max(64), z.unknown()),
      ],
      [
        'union',
        zm.union([zm.iso.datetime({ offset: true }), zm.iso.date()]),
        z.iso.datetime({ offset: true }).or(z.iso.date()),
      ],
    ];
    for (const [name, mini, classic] of pairs) expect(documented(mini), name).toEqual(documented(classic));
  });

  it('keep their formats, lengths and integer types in the respondent document', () => {
    const doc = respondOpenApiDocument() as { components: { schemas: Record<string, unknown> } };
    const submit = doc.components.schemas.SubmitRequest as { properties: Record<string, Record<string, unknown>> };
    expect(submit.properties.submissionId?.format).toBe('uuid');
    expect(submit.properties.invitation?.maxLength).toBe(64);
    expect(submit.properties.channel?.pattern).toBe('^[a-z][a-z0-9_-]{0,47}$');
    const text = JSON.stringify(doc.components.schemas.PublicSurvey);
    expect(text).toContain('"selfConsentAge":{"type":"integer","minimum":13,"maximum":18,"default":14}');
  });
});
