// ra-data-simple-rest over /api with the bearer token (renewed on a 401, see refresh.ts)
// and the current locale, plus the calls that are not CRUD: course actions, status and
// stages, the overview, the approvals inbox and a course's flight recorder.
import simpleRestProvider from 'ra-data-simple-rest';
import { fetchUtils, HttpError, type DataProvider, type GetListResult } from 'react-admin';
import { i18nProvider } from '../i18n';
import type { ApprovalItem, ApproveParams, GenerationStatus, Overview, RejectParams, StageInfo, StartGenerationResult, Timeline } from '../types';
import { plainError } from '../i18n/words';
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
  /** GET /api/approvals/:id: the gate the course waits at (null: none) */
  getGate(courseId: string): Promise<ApprovalItem | null>;
  /** POST /api/approvals/:id/escalate */
  escalate(courseId: string): Promise<ApprovalItem | null>;
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
      // fetchJson already uses body.message; this also covers lists of messages, and puts
      // the machine's refusals ("RETRY is not allowed in state …") in the page's words.
      if (err instanceof HttpError) {
        const message = plainError(errorMessage(err, err.message), i18nProvider.translate);
        // The body carries the same words: callers read body.message first (errors.ts).
        const body = err.body && typeof err.body === 'object' ? { ...err.body, message } : err.body;
        throw new HttpError(message, err.status, body);
      }
      throw err;
    }
  };
}

/** What the list's meta carries when the API capped its count: at least this many rows. */
export interface CappedListMeta {
  totalAtLeast?: number;
}

/**
 * The API counts at most 10,000 rows and then answers `…/10000+` (ra-data-simple-rest
 * would read 10000 and stop the pages there). Such a list becomes react-admin's partial
 * pagination: no total, a next page while pages come full, and `meta.totalAtLeast` for
 * the pagination's "of 10,000+".
 */
export function withCappedTotal<T extends GetListResult>(result: T, contentRange: string | null, page: number, perPage: number): T {
  const capped = contentRange?.match(/\/(\d+)\+$/);
  if (!capped) return result;
  const { total: _total, ...rest } = result;
  return {
    ...rest,
    pageInfo: { hasNextPage: result.data.length >= perPage, hasPreviousPage: page > 1 },
    meta: { ...result.meta, totalAtLeast: Number(capped[1]) } satisfies CappedListMeta,
  } as T;
}

export function createDataProvider(apiUrl: string, getLocale: () => string): MissionControlDataProvider {
  const http = createHttpClient(getLocale);
  const course = (id: string, path: string) => `${apiUrl}/courses/${encodeURIComponent(id)}/${path}`;
  const post = async <T>(url: string, body: unknown): Promise<T> => (await http(url, { method: 'POST', body: JSON.stringify(body) })).json as T;
  const get = async <T>(url: string): Promise<T> => (await http(url)).json as T;
  const rest = simpleRestProvider(apiUrl, http);
  /** A ra-data-simple-rest list call, its Content-Range kept for withCappedTotal. */
  const list = async (call: (provider: DataProvider) => Promise<GetListResult>, pagination: { page: number; perPage: number }) => {
    let contentRange: string | null = null;
    const provider = simpleRestProvider(apiUrl, async (url, options) => {
      const response = await http(url, options);
      contentRange = response.headers.get('content-range');
      return response;
    });
    return withCappedTotal(await call(provider), contentRange, pagination.page, pagination.perPage);
  };
  return {
    ...rest,
    getList: (resource, params) => list((p) => p.getList(resource, params), params.pagination ?? { page: 1, perPage: 10 }),
    getManyReference: (resource, params) => list((p) => p.getManyReference(resource, params), params.pagination),
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
    getGate: (courseId) => get<ApprovalItem | null>(`${apiUrl}/approvals/${encodeURIComponent(courseId)}`),
    escalate: (courseId) => post<ApprovalItem | null>(`${apiUrl}/approvals/${encodeURIComponent(courseId)}/escalate`, {}),
    getTimeline: (courseId) => get<Timeline>(course(courseId, 'timeline')),
    retryJob: (jobId) => post<unknown>(`${apiUrl}/jobs/${encodeURIComponent(jobId)}/retry`, {}),
  };
}

export const dataProvider = createDataProvider('/api', () => i18nProvider.getLocale());
