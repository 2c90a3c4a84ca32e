// The API's own route table, read from the built NestJS module: every controller
// method with its HTTP method, full path and access rule (the actions it names, and the
// roles the permission table grants them), as the AccessGuard sees them.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from '../scripts/lib.mjs';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'ALL', 'OPTIONS', 'HEAD', 'SEARCH'];

/** The built permission table (backend/src/auth/permissions.ts). */
export function permissionTable() {
  const require = createRequire(join(ROOT, 'backend/package.json'));
  return require(join(ROOT, 'backend/dist/backend/src/auth/permissions.js'));
}

export function apiRoutes() {
  const require = createRequire(join(ROOT, 'backend/package.json'));
  require('reflect-metadata');
  const dist = join(ROOT, 'backend/dist/backend/src');
  const { ApiModule } = require(join(dist, 'app/api.module.js'));
  const { rolesFor } = require(join(dist, 'auth/permissions.js'));
  const routes = [];
  const join2 = (...parts) =>
    `/${parts
      .flatMap((p) => String(p ?? '').split('/'))
      .filter(Boolean)
      .join('/')}`;
  for (const controller of Reflect.getMetadata('controllers', ApiModule) ?? []) {
    const base = Reflect.getMetadata('path', controller);
    const proto = controller.prototype;
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor') continue;
      const handler = proto[name];
      const method = Reflect.getMetadata('method', handler);
      const path = Reflect.getMetadata('path', handler);
      if (method === undefined || path === undefined) continue;
      const actions = Reflect.getMetadata('mc:actions', handler) ?? Reflect.getMetadata('mc:actions', controller) ?? null;
      routes.push({
        method: METHODS[method],
        path: join2('api', base, path),
        controller: controller.name,
        handler: name,
        public: Reflect.getMetadata('mc:public', handler) ?? Reflect.getMetadata('mc:public', controller) ?? false,
        actions,
        // the roles that may, in any organization (operator-only actions grant none)
        roles: actions ? [...new Set(actions.flatMap((a) => rolesFor(a)))] : null,
      });
    }
  }
  return routes;
}
