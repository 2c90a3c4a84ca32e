import { describe, expect, it } from 'vitest';
import { en } from './en';
import { ru } from './ru';
import { eventLabel, formatDateTime, formatUsd, historyReason, phaseLabel, plainError, pluralKey, stageLabel, stateLabel } from './words';
import { translator } from './translator';

const tEn = translator(en);
const tRu = translator(ru);

describe('words', () => {
  it('names stages and states', () => {
    expect(stageLabel('stage_4', tEn)).toBe('Stage 4 · Analysis');
    expect(stageLabel(5, tRu, true)).toBe('Генерация структуры');
    expect(stateLabel('stage_4_awaiting_approval', tEn)).toBe('Stage 4 · Analysis: awaiting approval');
    expect(stateLabel('queued', tRu)).toBe('В очереди');
  });
  it('names events and phases', () => {
    expect(eventLabel('PHASE_DONE', tEn)).toBe('Step done');
    expect(eventLabel('START', tRu)).toBe('Запуск');
    expect(phaseLabel('phase_1_classifier', tEn)).toBe('Classifying the topic');
    expect(eventLabel('SOMETHING_NEW', tEn)).toBe('Something new');
  });
  it('tells a manual escalation from a missed deadline in the history', () => {
    expect(historyReason('ESCALATE', 'manual; Olga Ops', tEn)).toBe('escalated now by Olga Ops');
    expect(historyReason('ESCALATE', 'deadline', tEn)).toBe('past its deadline');
    expect(historyReason('ESCALATE', 'manual; Olga Ops', tRu)).toBe('эскалировано вручную: Olga Ops');
    expect(historyReason('ESCALATE', 'deadline', tRu)).toBe('срок утверждения истёк');
    expect(historyReason('REJECT', 'rerun; too_shallow', tEn)).toBe('rerun; too_shallow');
  });
  it('turns the machine refusal into plain words in both languages', () => {
    const msg = 'RETRY is not allowed in state stage_4_awaiting_approval';
    expect(plainError(msg, tEn)).toBe('Retrying is not possible while the course is at “Stage 4 · Analysis: awaiting approval”.');
    const ruText = plainError(msg, tRu);
    expect(ruText).toBe('Действие «Повтор» недоступно, пока курс в состоянии «Этап 4 · Анализ: ожидает утверждения».');
    expect(ruText).not.toMatch(/RETRY|stage_4/);
    expect(plainError('RETRY refused: RETRY is not allowed in state completed', tEn)).toBe('Retrying is not possible while the course is at “Completed”.');
    expect(plainError('something else', tEn)).toBe('something else');
  });
  it('uses the plural rules of the language', () => {
    expect(pluralKey(344, 'app.words.calls', tRu, 'ru')).toBe('344 вызова');
    expect(pluralKey(345, 'app.words.calls', tRu, 'ru')).toBe('345 вызовов');
    expect(pluralKey(21, 'app.words.calls', tRu, 'ru')).toBe('21 вызов');
    expect(pluralKey(1, 'app.words.calls', tEn, 'en')).toBe('1 call');
    expect(pluralKey(1344, 'app.words.calls', tEn, 'en')).toBe('1,344 calls');
  });
  it('writes dates and money in the locale', () => {
    const at = '2026-12-31T14:05:09Z';
    expect(formatDateTime(at, 'ru')).toMatch(/31 дек\. 2026/);
    expect(formatDateTime(at, 'en')).toMatch(/Dec 31, 2026/);
    expect(formatUsd(0.003, 'en')).toBe('$0.003');
    expect(formatUsd(12.5, 'en')).toBe('$12.50');
    expect(formatUsd(0.003, 'ru')).toMatch(/0,003\s\$/);
  });
});
