import { isTransientInfrastructureError } from './transient-errors';

describe('isTransientInfrastructureError', () => {
  it('recognises a Postgres restart, a refused connection and a closed Redis connection', () => {
    expect(isTransientInfrastructureError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isTransientInfrastructureError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isTransientInfrastructureError({ message: 'query failed', driverError: { code: '08006', message: 'connection failure' } })).toBe(true);
    expect(isTransientInfrastructureError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientInfrastructureError(new Error('Connection is closed.'))).toBe(true);
  });

  it("leaves the phase's own failures alone", () => {
    expect(isTransientInfrastructureError(new Error('model answers failed validation: bad JSON'))).toBe(false);
    expect(isTransientInfrastructureError(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(false);
    expect(isTransientInfrastructureError(null)).toBe(false);
  });
});
