// `npm run openapi`: writes the API's OpenAPI document to backend/openapi.json and the
// dashboard's types generated from it to dashboard/src/api/schema.d.ts. The unit test
// openapi/openapi.spec.ts fails when either file is not what this would write.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { DASHBOARD_TYPES_FILE, REPO_ROOT, SPEC_FILE, apiDocument, dashboardTypesText, specText } from '../openapi/api-document';

const doc = apiDocument();
writeFileSync(SPEC_FILE, specText(doc));
writeFileSync(DASHBOARD_TYPES_FILE, dashboardTypesText(SPEC_FILE));
const ops = Object.values(doc.paths as Record<string, object>).reduce((n, p) => n + Object.keys(p).length, 0);
console.log(`wrote ${relative(REPO_ROOT, SPEC_FILE)} (${ops} operations) and ${relative(REPO_ROOT, DASHBOARD_TYPES_FILE)}`);
