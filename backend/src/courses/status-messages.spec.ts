import { pickLanguage, statusMessage, webhookMessage } from './status-messages';

describe('status messages', () => {
  it('picks Russian or English from Accept-Language by weight', () => {
    expect(pickLanguage('ru-RU,ru;q=0.9,en;q=0.8')).toBe('ru');
    expect(pickLanguage('en;q=0.5, ru;q=0.9')).toBe('ru');
    expect(pickLanguage('de-DE, en;q=0.7')).toBe('en');
    expect(pickLanguage(undefined)).toBe('en');
  });

  it("falls back to the user's language, then the organization's, when the header names neither", () => {
    const russianOrg = { language: null, organizationLanguage: 'ru' as const };
    expect(pickLanguage(undefined, russianOrg)).toBe('ru');
    expect(pickLanguage('de-DE', russianOrg)).toBe('ru');
    expect(pickLanguage('en', russianOrg)).toBe('en');
    expect(pickLanguage(undefined, { language: 'en', organizationLanguage: 'ru' })).toBe('en');
    expect(pickLanguage(undefined, { language: 'ru', organizationLanguage: 'en' })).toBe('ru');
    expect(pickLanguage('ru;q=0, en;q=0.1', russianOrg)).toBe('en');
    expect(pickLanguage(undefined, {})).toBe('en');
  });

  it('words webhook messages in both languages', () => {
    expect(webhookMessage('completed', 'ru')).toBe('Генерация завершена');
    expect(webhookMessage('failed', 'en')).toBe('Generation failed');
  });

  it('speaks the seed 003 messages in Russian', () => {
    expect(statusMessage({ generationStatus: 'queued', stage: null, phase: null }, 'ru')).toBe('Ожидание в очереди');
    expect(statusMessage({ generationStatus: 'stage_5', stage: 5, phase: 'metadata' }, 'ru')).toBe('Генерация метаданных курса');
    expect(statusMessage({ generationStatus: 'stage_5', stage: 5, phase: 'sections', sectionsPercent: 50 }, 'ru')).toBe('Генерация секций (50% завершено)');
    expect(statusMessage({ generationStatus: 'completed', stage: 6, phase: null }, 'ru')).toBe('Генерация завершена');
  });

  it('names the stage awaiting approval', () => {
    expect(statusMessage({ generationStatus: 'stage_4_awaiting_approval', stage: 4, phase: null }, 'en')).toBe('Analysis: awaiting approval');
  });

  it('tells a manual escalation (who) from a missed deadline, in the status message and the webhook', () => {
    const waiting = { generationStatus: 'stage_4_awaiting_approval', stage: 4 as const, phase: null };
    const manual = { reason: 'manual' as const, by: { id: 'u-1', name: 'Olga Ops' } };
    const deadline = { reason: 'deadline' as const, by: null };
    expect(statusMessage({ ...waiting, escalation: manual }, 'en')).toBe('Analysis: awaiting approval (escalated by Olga Ops)');
    expect(statusMessage({ ...waiting, escalation: deadline }, 'en')).toBe('Analysis: awaiting approval (past its deadline)');
    expect(statusMessage({ ...waiting, escalation: manual }, 'ru')).toMatch(/ожидает утверждения \(эскалировано вручную: Olga Ops\)$/);
    expect(statusMessage({ ...waiting, escalation: deadline }, 'ru')).toMatch(/ожидает утверждения \(срок утверждения истёк\)$/);
    expect(webhookMessage('escalated', 'en', manual)).toBe('Approval escalated by Olga Ops');
    expect(webhookMessage('escalated', 'ru', manual)).toBe('Утверждение эскалировано вручную: Olga Ops');
    expect(webhookMessage('escalated', 'en', deadline)).toBe('Approval is past its deadline');
    // An escalation written before who escalated was carried reads as the deadline's.
    expect(webhookMessage('escalated', 'ru')).toBe('Срок утверждения истёк');
  });
});
