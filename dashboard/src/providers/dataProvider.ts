// ra-data-simple-rest over /api with the bearer token (renewed on a 401, see refresh.ts)
// and the current locale, plus the calls that are not CRUD: course actions, status and
// stages, the overview, the approvals inbox and a course's flight recorder.
import simpleRestProvider from 'ra-data-simple-rest';
import { fetchUtils, HttpError, type DataProvider } from 'react-admin';
import { i18nProvider } from '../i18n';
import type { ApprovalItem, ApproveParams, GenerationStatus, Overview, RejectParams, StageInfo, StartGenerationResult, Timeline } from '../types';
import { errorMessage } from './errors';
import { refresher } from './refresh';

export interface MissionControlDataProvider extends DataProvider {
  startGeneration(courseId: string): Promise<StartGenerationResult>;
  approve(courseId: string, params: ApproveParams): Promise<unknown>;
  getStatus(courseId: string): Promise<GenerationStatus>;
  getStages(courseId: string): Promise<StageInfo[]>;
  reject(courseId: string, params: RejectParams): Promise<unknown>;
  retry(courseId: string): Promise<unknown>;
  cancel(courseId: string): Promise<unknown>;
  restart(courseId: string): Promise<unknown>;
  getOverview(): Promise<Overview>;
  getApprovals(): Promise<ApprovalItem[]>;
  getTimeline(courseId: string): Promise<Timeline>;
  /** POST /api/jobs/:id/retry: a failed phase job of the organization */
  retryJob(jobId: string): Promise<unknown>;
}

export type HttpClient = (url: string, options?: fetchUtils.Options) => ReturnType<typeof fetchUtils.fetchJson>;

export function createHttpClient(getLocale: () => string): HttpClient {
  return async (url, options = {}) => {
    const headers = new Headers(options.headers);
    if (!headers.has('Accept')) headers.set('Accept', 'application/json');
    headers.set('Accept-Language', getLocale());
    const token = await refresher.currentToken();
    if (token) headers.set('Authorization', `Bearer ${token}`);
    try {
      try {
        return await fetchUtils.fetchJson(url, { ...options, headers });
      } catch (err) {
        // An expired (or no longer valid) token: renew it once and send the request again;
        // concurrent 401s share the one refresh. No new token: the 401 signs out.
        if (!(err instanceof HttpError) || err.status !== 401 || !token) throw err;
        const renewed = await refresher.refresh(token).catch(() => null);
        if (!renewed) throw err;
        headers.set('Authorization', `Bearer ${renewed}`);
        return await fetchUtils.fetchJson(url, { ...options, headers });
      }
    } catch (err) {
      // fetchJson already uses body.message; this also covers lists of messages.
      if (err instanceof HttpError) throw new HttpError(errorMessage(err, err.message), err.status, err.body);
      throw err;
    }
  };
}

export function createDataProvider(apiUrl: string, getLocale: () => string): MissionControlDataProvider {
  const http = createHttpClient(getLocale);
  const course = (id: string, path: string) => `${apiUrl}/courses/${encodeURIComponent(id)}/${path}`;
  const post = async <T>(url: string, body: unknown): Promise<T> => (await http(url, { method: 'POST', body: JSON.stringify(body) })).json as T;
  const get = async <T>(url: string): Promise<T> => (await http(url)).json as T;
  return {
    ...simpleRestProvider(apiUrl, http),
    startGeneration: (courseId) => post<StartGenerationResult>(course(courseId, 'generation'), {}),
    approve: (courseId, { stage, comment }) => post<unknown>(course(courseId, 'approve'), { stage, comment }),
    getStatus: (courseId) => get<GenerationStatus>(course(courseId, 'status')),
    getStages: (courseId) => get<StageInfo[]>(course(courseId, 'stages')),
    reject: (courseId, params) => post<unknown>(course(courseId, 'reject'), params),
    retry: (courseId) => post<unknown>(course(courseId, 'retry'), {}),
    cancel: (courseId) => post<unknown>(course(courseId, 'cancel'), {}),
    restart: (courseId) => post<unknown>(course(courseId, 'restart'), {}),
    getOverview: () => get<Overview>(`${apiUrl}/overview`),
    getApprovals: () => get<ApprovalItem[]>(`${apiUrl}/approvals`),
    getTimeline: (courseId) => get<Timeline>(course(courseId, 'timeline')),
    retryJob: (jobId) => post<unknown>(`${apiUrl}/jobs/${encodeURIComponent(jobId)}/retry`, {}),
  };
}

export const dataProvider = createDataProvider('/api', () => i18nProvider.getLocale());
