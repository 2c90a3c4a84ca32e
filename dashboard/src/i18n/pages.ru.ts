// Русские слова для идентификаторов машины и страниц бюджетов, цен, вызовов, уроков и
// «не найдено» (вливаются в ru.ts под `app`).
export const wordsRu = {
  stageN: 'Этап %{n}',
  stageNamed: 'Этап %{n} · %{name}',
  awaitingAt: '%{stage}: ожидает утверждения',
  notAllowed: 'Действие «%{action}» недоступно, пока курс в состоянии «%{state}».',
  otherGate: 'Курс ожидает решения на этапе «%{waiting}», а не «%{asked}».',
  labels: { first_try: 'Первая попытка', retry: 'Повтор', fallback: 'Резервная модель', repair: 'Починка JSON', rerun: 'Перезапуск' },
  states: {
    idle: 'Не начат', queued: 'В очереди', completed: 'Завершён', failed: 'Ошибка', cancelled: 'Отменён',
  },
  events: {
    START: 'Запуск', PHASE_STARTED: 'Шаг начат', PROGRESS: 'Прогресс', PHASE_DONE: 'Шаг завершён', PHASE_FAILED: 'Шаг не удался',
    APPROVE: 'Утверждено', REJECT: 'Отклонено', RETRY: 'Повтор', CANCEL: 'Отмена', RESTART: 'Перезапуск с начала', ESCALATE: 'Эскалация',
  },
  actions: {
    START: 'Запуск', APPROVE: 'Утверждение', REJECT: 'Отклонение', RETRY: 'Повтор', CANCEL: 'Отмена', RESTART: 'Перезапуск', ESCALATE: 'Эскалация',
    PHASE_DONE: 'Завершение шага', PHASE_FAILED: 'Сбой шага', PHASE_STARTED: 'Начало шага', PROGRESS: 'Отчёт о прогрессе',
  },
  actors: { user: 'Человек', worker: 'Обработчик', system: 'Система' },
  phases: {
    document: 'Извлечение текста', summarize: 'Суммаризация документов', phase_1_classifier: 'Классификация темы', phase_2_scope: 'Рамки курса',
    phase_3_expert: 'Экспертный анализ', phase_4_synthesis: 'Синтез', phase_5_assembly: 'Сборка анализа', metadata: 'Метаданные курса',
    sections: 'Разделы', validation: 'Проверка качества', saving: 'Сохранение результатов', lessons: 'Написание уроков', lesson: 'Написание урока',
  },
  notFound: { course: 'Такого курса нет (или он не в вашей организации).', lesson: 'Такого урока нет.', trace: 'Такого вызова модели нет.', model: 'Этой модели нет в каталоге.', job: 'Такого задания нет.' },
  calls: 'вызов|вызова|вызовов|вызова',
  lessonsCount: 'урок|урока|уроков|урока',
  sectionsCount: 'раздел|раздела|разделов|раздела',
  lessonNo: 'Урок %{n}',
  seconds: 'с',
};

export const pagesRu = {
  notFound: { title: 'Страница не найдена', course: 'По этому адресу нет курса. Возможно, он удалён или ссылка неверна.', page: 'По этому адресу ничего нет.', back: 'К списку курсов' },
  budgets: {
    title: 'Бюджеты', month: 'Месяц %{month}', spent: 'Потрачено', budget: 'Месячный бюджет', none: 'Месячный бюджет не задан: расходы не ограничены.', percent: '%{percent}% бюджета',
    thresholds: 'Пороги оповещений', threshold: 'Порог', amount: 'Сумма', crossedAt: 'Пройден', notCrossed: 'Ещё нет',
    edit: 'Изменить бюджет', budgetInput: 'Месячный бюджет, USD (пусто — без бюджета)', thresholdsInput: 'Пороги, % бюджета, через запятую', save: 'Сохранить бюджет', saved: 'Бюджет сохранён',
    badThresholds: 'Пороги — целые проценты от 1 до 1000, без повторов.',
  },
  priceForm: {
    edit: 'Изменить цену', title: 'Новая цена для %{model}', input: 'Вход, USD за 1 млн токенов', output: 'Выход, USD за 1 млн токенов', effective: 'Вступает в силу',
    now: 'Сейчас', later: 'Позже', effectiveAt: 'Действует с', current: 'Цена сейчас: %{input} вход / %{output} выход',
    preview: 'Предпросмотр пересчёта', previewTitle: 'Сколько стоили бы последние 30 дней по этой цене', previewNote: 'Пробный расчёт: ничего не меняется. Новая цена применяется только к будущим вызовам; прошлые сохраняют начисленное.',
    before: 'Начислено', after: 'По новой цене', delta: 'Разница', calls: 'Вызовы', confirm: 'Сохранить новую цену', confirmText: 'Сохранить %{input} вход / %{output} выход за 1 млн токенов для %{model}, с %{when}?',
    invalid: 'Введите цену от 0 до 10 000.', pastDate: 'Дата не может быть в прошлом.', noPreview: 'За последние 30 дней вызовов этой модели не было.',
  },
  traces: { json: { search: 'Поиск в поле «%{name}»', empty: 'Ничего не найдено.', matches: 'Совпадений: %{count}' }, course: 'Курс', lesson: 'Урок', openTrace: 'Открыть вызов модели' },
  lessons: { title: 'Урок %{n} · %{title}', course: 'Курс' },
  diff: { title: 'Что изменилось после отклонённой попытки', added: 'Добавлено', removed: 'Удалено', changed: 'Изменено', section: 'Раздел %{n}', lesson: 'Урок %{n}', unchanged: 'Структура не изменилась.', field: '%{field}: %{from} → %{to}' },
};
