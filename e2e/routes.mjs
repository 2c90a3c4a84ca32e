// The API's own route table, read from the built NestJS module: every controller
// method with its HTTP method, full path and access rule, as the AccessGuard sees them.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from '../scripts/lib.mjs';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'ALL', 'OPTIONS', 'HEAD', 'SEARCH'];

export function apiRoutes() {
  const require = createRequire(join(ROOT, 'backend/package.json'));
  require('reflect-metadata');
  const dist = join(ROOT, 'backend/dist/backend/src');
  const { ApiModule } = require(join(dist, 'app/api.module.js'));
  const routes = [];
  const join2 = (...parts) => `/${parts.flatMap((p) => String(p ?? '').split('/')).filter(Boolean).join('/')}`;
  for (const controller of Reflect.getMetadata('controllers', ApiModule) ?? []) {
    const base = Reflect.getMetadata('path', controller);
    const proto = controller.prototype;
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor') continue;
      const handler = proto[name];
      const method = Reflect.getMetadata('method', handler);
      const path = Reflect.getMetadata('path', handler);
      if (method === undefined || path === undefined) continue;
      routes.push({
        method: METHODS[method],
        path: join2('api', base, path),
        controller: controller.name,
        handler: name,
        public: Reflect.getMetadata('mc:public', handler) ?? Reflect.getMetadata('mc:public', controller) ?? false,
        roles: Reflect.getMetadata('mc:roles', handler) ?? Reflect.getMetadata('mc:roles', controller) ?? null,
      });
    }
  }
  return routes;
}
