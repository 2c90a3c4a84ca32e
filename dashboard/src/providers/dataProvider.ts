// ra-data-simple-rest over /api with the bearer token, plus the calls that are not
// CRUD: start, approve, status and stages.
import { fetchUtils, type DataProvider } from 'react-admin';
import simpleRestProvider from 'ra-data-simple-rest';
import { readSession } from './session';

export const currentLocale = { value: 'en' };

export const httpClient = (url: string, options: fetchUtils.Options = {}) => {
  const headers = new Headers(options.headers ?? { Accept: 'application/json' });
  const token = readSession()?.token;
  if (token) headers.set('Authorization', `Bearer ${token}`);
  headers.set('Accept-Language', currentLocale.value);
  return fetchUtils.fetchJson(url, { ...options, headers });
};

export interface StageInfo {
  id: string;
  number: number;
  name: string;
  status: 'pending' | 'active' | 'completed' | 'error' | 'awaiting';
  progress: number;
  skipped: boolean;
  hasGate: boolean;
}

export interface GenerationStatus {
  courseId: string;
  status: string;
  phase: string | null;
  progress: number;
  message: string;
  estimatedRemainingSeconds: number | null;
  startedAt: string;
  lastUpdatedAt: string;
  metadata: Record<string, unknown> | null;
  generationStatus: string;
  stage: string | null;
}

export interface MissionControlDataProvider extends DataProvider {
  startGeneration(id: string): Promise<{ jobId: string; courseId: string; status: string }>;
  approve(id: string, body: { stage: number; comment: string }): Promise<GenerationStatus>;
  getStatus(id: string): Promise<GenerationStatus>;
  getStages(id: string): Promise<StageInfo[]>;
}

const base = simpleRestProvider('/api', httpClient);

export const dataProvider: MissionControlDataProvider = {
  ...base,
  startGeneration: async (id) => (await httpClient(`/api/courses/${id}/generation`, { method: 'POST', body: '{}' })).json,
  approve: async (id, body) => (await httpClient(`/api/courses/${id}/approve`, { method: 'POST', body: JSON.stringify(body) })).json,
  getStatus: async (id) => (await httpClient(`/api/courses/${id}/status`)).json,
  getStages: async (id) => (await httpClient(`/api/courses/${id}/stages`)).json,
};
