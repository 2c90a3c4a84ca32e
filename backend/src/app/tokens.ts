// Injection tokens for the plain classes the Nest modules provide.
export const REDIS = Symbol('REDIS');
export const MODEL_PROVIDER = Symbol('MODEL_PROVIDER');
export const WORKER_ID = Symbol('WORKER_ID');
