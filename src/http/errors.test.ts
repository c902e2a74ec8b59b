import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { installErrorHandling } from './errors.tsx';

test('a write a database constraint refused (a lost race) is a 422 for API clients, never a 500', async () => {
  const app = Fastify({ logger: false });
  installErrorHandling(app);
  app.addHook('onRequest', async (request) => {
    request.apiFormat = 'json';
  });
  app.get('/unique.json', () => {
    throw Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' });
  });
  app.get('/gone.json', () => {
    throw Object.assign(new Error('insert or update violates foreign key constraint'), { code: '23503' });
  });
  app.get('/bug.json', () => {
    throw new Error('a bug');
  });
  const unique = await app.inject({ url: '/unique.json' });
  assert.deepEqual([unique.statusCode, unique.json()], [422, { errors: ['has already been taken'] }]);
  const gone = await app.inject({ url: '/gone.json' });
  assert.deepEqual([gone.statusCode, gone.json()], [422, { errors: ['is invalid'] }]);
  const bug = await app.inject({ url: '/bug.json' });
  assert.deepEqual([bug.statusCode, bug.body], [500, '']);
  await app.close();
});
