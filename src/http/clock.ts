/**
 * What time it is for the rules that expire (sessions, autologin tokens). Production reads the system
 * clock; a test hands its own clock to buildApp and moves it, so expiry is tested without sleeping.
 */
import type { FastifyRequest } from 'fastify';

export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's clock (buildApp's `clock` option). */
    readonly clock: Clock;
  }
}

/** Now, by the app's clock. */
export function nowOf(request: FastifyRequest): Date {
  return request.server.clock();
}
