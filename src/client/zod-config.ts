/**
 * zod without its JIT. zod 4 compiles object parsers with `new Function`, after probing whether it may; under the
 * site's Content-Security-Policy (no 'unsafe-eval') that probe is reported as a violation on every signed-in page,
 * even though zod then falls back. Imported first by the browser modules that load zod (only the step controller),
 * so it runs before any schema is built: the probe happens when a schema is created.
 */
import { z } from 'zod';

z.config({ jitless: true });
