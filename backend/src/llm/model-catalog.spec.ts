import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MODELS, parseCatalog } from './model-catalog';

describe('model catalog (catalog/models.json)', () => {
  const file = JSON.parse(readFileSync(join(__dirname, '../../../catalog/models.json'), 'utf8'));

  it('is what the bootstrap and the demo seed load', () => {
    expect(DEFAULT_MODELS.map((m) => m.id)).toEqual(file.models.map((m: { id: string }) => m.id));
    expect(DEFAULT_MODELS.length).toBeGreaterThan(0);
    for (const m of DEFAULT_MODELS) expect(m.display_name.length).toBeGreaterThan(0);
  });

  it('refuses a malformed catalog naming the field', () => {
    const good = file.models[0];
    expect(() => parseCatalog({ models: [good, good] })).toThrow(/models: model ids must be unique/);
    expect(() => parseCatalog({ models: [{ ...good, context_window: 0 }] })).toThrow(/models\.0\.context_window/);
    expect(() => parseCatalog({ models: [{ ...good, input_price_per_1m: 0.1234567 }] })).toThrow(/models\.0\.input_price_per_1m: at most 6 decimals/);
    expect(() => parseCatalog({ models: [] })).toThrow(/models/);
  });
});
