import { BATCH_TOKEN_BUDGET, loadRoutes, pickModels } from './routes';

describe('model routes', () => {
  it('uses primary then fallback, and the large-context model past 90 % of the batch budget', () => {
    expect(pickModels('structure_section', 1000)).toEqual({ models: ['openai/gpt-oss-20b', 'openai/gpt-oss-120b'], overflow: false });
    expect(pickModels('structure_section', BATCH_TOKEN_BUDGET * 0.9)).toMatchObject({ overflow: false });
    expect(pickModels('structure_section', 108_001)).toEqual({ models: ['google/gemini-2.5-flash'], overflow: true });
  });

  it('takes overrides from configuration and refuses malformed ones', () => {
    const routes = loadRoutes('{"lesson_content":{"primary":"local/llama"}}');
    expect(routes.lesson_content).toEqual({ primary: 'local/llama', fallback: 'openai/gpt-oss-120b', overflow: 'google/gemini-2.5-flash' });
    expect(routes.analysis_phase.primary).toBe('openai/gpt-oss-20b');
    expect(() => loadRoutes('{"nope":{}}')).toThrow(/MODEL_ROUTES/);
    expect(() => loadRoutes('{"lesson_content":{"primary":""}}')).toThrow(/MODEL_ROUTES: lesson_content.primary/);
    expect(() => loadRoutes('{')).toThrow('MODEL_ROUTES: is not valid JSON');
  });
});
