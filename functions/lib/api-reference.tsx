import type { Context } from 'hono';
import * as z from 'zod';

const Operation = z.looseObject({
  summary: z.string().optional(),
  description: z.string().optional(),
  parameters: z.array(z.looseObject({ name: z.string(), in: z.string(), required: z.boolean().optional() })).optional(),
  requestBody: z
    .looseObject({
      content: z
        .record(z.string(), z.looseObject({ schema: z.looseObject({ $ref: z.string().optional() }).optional() }))
        .optional(),
    })
    .optional(),
  responses: z.record(z.string(), z.looseObject({ description: z.string().optional() })).optional(),
});
type Operation = z.infer<typeof Operation>;

/** The parts of an OpenAPI document the reference page shows. */
const OpenApiDoc = z.looseObject({
  info: z.looseObject({ title: z.string(), version: z.string(), description: z.string().optional() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});
type OpenApiDoc = z.infer<typeof OpenApiDoc>;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function schemaName(op: Operation): string | undefined {
  const ref = Object.values(op.requestBody?.content ?? {})[0]?.schema?.$ref;
  return ref?.split('/').pop();
}

/**
 * A readable reference page rendered on the server from the OpenAPI document: no third-party
 * script or CDN, so it works offline and under the strict Content-Security-Policy.
 */
export function ReferencePage({ doc, specUrl }: { doc: OpenApiDoc; specUrl: string }) {
  const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const parsed = Operation.safeParse(item[method]);
      return parsed.success ? [{ path, method, op: parsed.data }] : [];
    }),
  );
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${doc.info.title} ${doc.info.version}`}</title>
        <link rel="stylesheet" href="/assets/site.css" />
      </head>
      <body>
        <main class="page reference">
          <h1>
            {doc.info.title} <small>{doc.info.version}</small>
          </h1>
          {doc.info.description && <p>{doc.info.description}</p>}
          <p>
            Machine-readable: <a href={specUrl}>{specUrl}</a> (OpenAPI 3.1). Errors are RFC 9457{' '}
            <code>application/problem+json</code>.
          </p>
          {operations.map(({ path, method, op }) => (
            <section class="operation" id={`${method}-${path}`}>
              <h2>
                <code class={`method ${method}`}>{method.toUpperCase()}</code> <code>{path}</code>
              </h2>
              {op.summary && <p>{op.summary}</p>}
              {op.description && <p>{op.description}</p>}
              {op.parameters && op.parameters.length > 0 && (
                <p>
                  Parameters:{' '}
                  {op.parameters.map((p) => (
                    <code>{`${p.name} (${p.in}${p.required ? ', required' : ''}) `}</code>
                  ))}
                </p>
              )}
              {schemaName(op) && (
                <p>
                  Body: <code>{schemaName(op)}</code> (see the JSON document for its schema)
                </p>
              )}
              <table>
                <thead>
                  <tr>
                    <th scope="col">Status</th>
                    <th scope="col">Meaning</th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(op.responses ?? {}).map(([status, r]) => (
                    <tr>
                      <td>{status}</td>
                      <td>{r.description}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ))}
        </main>
      </body>
    </html>
  );
}

export function apiReference(specUrl: string, getDoc: () => unknown) {
  return (c: Context) => {
    const doc = OpenApiDoc.parse(getDoc());
    return c.html(`<!doctype html>${(<ReferencePage doc={doc} specUrl={specUrl} />).toString()}`);
  };
}
