// Moved to repositories/month-spend.ts (SQL lives under repositories/). This re-export
// keeps the gateway's import compiling until it imports from the new place.
export { monthSpendSql } from '../repositories/month-spend';
