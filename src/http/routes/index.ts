/**
 * Every route module of the API, in registration order. Add a resource's `register…Routes` here (one line);
 * `buildApp` registers them all under the guard and the OpenAPI document.
 */
import type { RouteDeps, ZodFastify } from '../app.js';
import { registerMeRoutes } from './me.routes.js';
import { registerTokenRoutes } from './tokens.routes.js';

export type RouteModule = (app: ZodFastify, deps: RouteDeps) => void;

export const ROUTE_MODULES: readonly RouteModule[] = [registerMeRoutes, registerTokenRoutes];
