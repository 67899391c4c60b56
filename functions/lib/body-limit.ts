import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';

/** Largest body the staff APIs (admin, export) take: their requests are a few short fields. */
export const STAFF_MAX_BODY_BYTES = 16 * 1024;

/** Refuses a body over `maxSize` bytes with a 413 before any route reads it (`onError` makes it a problem). */
export const limitBody = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new HTTPException(413, { message: `the body is larger than ${maxSize} bytes` });
    },
  });
