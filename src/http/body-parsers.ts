/**
 * Request bodies the Rails way for pages and API alike: JSON, XML and form bodies (with bracket
 * notation) become one params tree (api/params.ts). An empty body is `{}` whatever its type, because
 * API clients send `Content-Type: application/json` on GET and DELETE. Unparsable bodies are a 400.
 */
import type { FastifyInstance } from 'fastify';
import { MalformedBodyError, parseBody } from '#src/api/params.ts';

const TYPES = [
  'application/json',
  'application/xml',
  'text/xml',
  'application/x-www-form-urlencoded',
  'text/x-json',
  'application/jsonrequest',
  'application/x-xml',
];

export function installBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser(TYPES, { parseAs: 'string' }, (request, body, done) => {
    try {
      done(null, parseBody(request.headers['content-type'], body));
    } catch (error) {
      if (error instanceof MalformedBodyError) {
        done(Object.assign(new Error(`malformed request body: ${error.message}`), { statusCode: 400 }), undefined);
        return;
      }
      done(error as Error, undefined);
    }
  });
}
