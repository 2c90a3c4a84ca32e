import { BATCH_TOKEN_BUDGET, loadContextWindows, loadRoutes, pickModels, PromptTooLongError } from './routes';

describe('model routes', () => {
  it('uses primary then fallback, and the large-context model past 90 % of the batch budget', () => {
    expect(pickModels('structure_section', 1000)).toMatchObject({
      models: ['openai/gpt-oss-20b', 'openai/gpt-oss-120b'],
      overflow: false,
      routing: { reason: 'primary', threshold: 108_000 },
    });
    expect(pickModels('structure_section', BATCH_TOKEN_BUDGET * 0.9)).toMatchObject({ overflow: false });
    expect(pickModels('structure_section', 108_001)).toEqual({
      models: ['google/gemini-2.5-flash'],
      overflow: true,
      routing: { reason: 'overflow', promptTokens: 108_001, threshold: 108_000, primary: 'openai/gpt-oss-20b', window: 1_000_000 },
    });
  });

  it('takes overrides from configuration and refuses malformed ones', () => {
    const routes = loadRoutes('{"lesson_content":{"primary":"local/llama"}}');
    expect(routes.lesson_content).toEqual({ primary: 'local/llama', fallback: 'openai/gpt-oss-120b', overflow: 'google/gemini-2.5-flash' });
    expect(routes.analysis_phase.primary).toBe('openai/gpt-oss-20b');
    expect(() => loadRoutes('{"nope":{}}')).toThrow(/MODEL_ROUTES/);
    expect(() => loadRoutes('{"lesson_content":{"primary":""}}')).toThrow(/MODEL_ROUTES: lesson_content.primary/);
    expect(() => loadRoutes('{')).toThrow('MODEL_ROUTES: is not valid JSON');
  });

  it("takes 90 % of the primary's window when it is smaller than the batch budget, and refuses what fits no model", () => {
    const windows = loadContextWindows('{"openai/gpt-oss-20b":4000,"google/gemini-2.5-flash":20000}');
    expect(pickModels('document_summary', 3600, undefined, windows)).toMatchObject({ overflow: false, routing: { threshold: 3600 } });
    expect(pickModels('document_summary', 3601, undefined, windows)).toMatchObject({
      models: ['google/gemini-2.5-flash'],
      routing: { reason: 'overflow', window: 20_000 },
    });
    expect(pickModels('document_summary', 20_000, undefined, windows)).toMatchObject({ overflow: true });
    // Past the large-context model: refused, naming the size and the largest window (gpt-oss-120b's 128K here).
    expect(() => pickModels('document_summary', 200_000, undefined, windows)).toThrow(PromptTooLongError);
    expect(() => pickModels('document_summary', 200_000, undefined, windows)).toThrow(
      "prompt of 200000 tokens exceeds every model's context window (largest 128000)",
    );
    expect(() => pickModels('document_summary', 1_000_001)).toThrow("prompt of 1000001 tokens exceeds every model's context window (largest 1000000)");
  });

  it('refuses malformed context windows', () => {
    expect(() => loadContextWindows('{')).toThrow('MODEL_CONTEXT_WINDOWS: is not valid JSON');
    expect(() => loadContextWindows('{"m":0}')).toThrow(/MODEL_CONTEXT_WINDOWS: m/);
    expect(() => loadContextWindows('[1]')).toThrow(/MODEL_CONTEXT_WINDOWS/);
  });
});
