// Русский: те же ключи, что в en.ts.
import russianMessages from 'ra-language-russian';
import type { TranslationMessages } from 'react-admin';
import { gatesRu } from './gates.ru';
import { pagesRu, wordsRu } from './pages.ru';

export const ru: TranslationMessages = {
  ...russianMessages,
  ra: {
    ...russianMessages.ra,
    auth: { ...russianMessages.ra.auth, username: 'Эл. почта' },
  },
  app: {
    // gate decisions, the inbox, routing, bulk actions (gates.ru.ts)
    gates: gatesRu,
    ...pagesRu,
    words: wordsRu,
    password: {
      title: 'Смените пароль', explain: 'Вы вошли как %{email} с паролем, который нужно сменить, прежде чем продолжить.',
      current: 'Текущий пароль', new: 'Новый пароль', repeat: 'Новый пароль ещё раз', submit: 'Сменить пароль',
      rules: 'Не короче 12 символов, не из распространённых, не ваш e-mail.', mismatch: 'Новые пароли не совпадают.',
    },
    costs: {
      badRange: 'Начало должно быть не позже конца, и не более чем на два года раньше.', title: 'Расходы', from: 'С', to: 'По', groupBy: 'Группировка', csv: 'Выгрузить CSV', total: 'Итого', calls: 'вызовов', tokens: 'Токены', cost: 'Стоимость',
      groups: { day: 'День', model: 'Модель', stage: 'Этап', course: 'Курс', label: 'Метка', organization: 'Организация' },
      topByCost: 'Самые дорогие %{shown} из %{total} строк; в выгрузке CSV есть все.',
    },
    reconciliation: {
      title: 'Сверка счёта', month: 'Месяц', format: 'Формат файла', chooseFile: 'Выберите выгрузку расхода (CSV)', run: 'Сверить',
      help: 'Загрузите выгрузку расхода провайдера за месяц: CSV активности OpenRouter или CSV со столбцами model,day,input_tokens,output_tokens,cost. Каждая модель и каждый день сравниваются с расходами, записанными нашими трассировками.',
      formats: { auto: 'Определить', openrouter: 'Выгрузка активности OpenRouter', generic: 'model,day,input_tokens,output_tokens,cost' },
      recorded: 'Записано', invoice: 'По счёту', variance: 'Расхождение', day: 'День', model: 'Модель', status: 'Статус', traces: 'Трассировки',
      summary: 'Прочитано строк: %{lines} (%{format}); модель-дней: %{cells}, не совпадает: %{mismatched}',
      unmatched: 'Модели, которых нет в каталоге: %{models}',
      statuses: { match: 'Совпадает', over: 'Счёт больше', under: 'Счёт меньше', not_recorded: 'Нет в наших записях', not_invoiced: 'Нет в счёте' },
    },
    name: 'Mission Control',
    prices: { title: 'Цены моделей, USD за 1 млн токенов', input: 'Вход', output: 'Выход', saved: 'Цена %{model} сохранена', none: 'Нет цены в этой организации: вызовы отклоняются', add: 'Добавить цену' },
    queues: { title: 'Bull Board' },
    alerts: { course_progress_stalled: 'Курс перестал продвигаться', job_without_heartbeat: 'Задача потеряла обработчик', queue_without_consumer: 'В очереди ждут задачи, обработчиков нет', since: 'с %{time}' },
    overview: {
      title: 'Обзор', generating: 'Генерируются', queued: 'В очереди', awaiting: 'Ждут утверждения', failed24h: 'Ошибки за 24 ч',
      costToday: 'Расходы сегодня', costMonth: 'Расходы за месяц', costByDay: 'Расходы по дням и моделям (30 дней)', tokensByStage: 'Токены по этапам (30 дней)',
      stageDurations: 'Длительность этапов p50 / p95, секунды', inputTokens: 'Вход', outputTokens: 'Выход',
    },
    approvals: {
      title: 'Утверждение', empty: 'Ни один курс не ждёт рецензента.', waiting: 'ждёт %{time}', due: 'Срок до %{at}', overdue: 'Срок истёк %{at}',
      output: 'Результат этапа (JSON)', previous: 'Предыдущая попытка отклонена: %{reasons}', diff: 'Изменения после отклонённой попытки (строк: %{count})',
      reject: 'Отклонить', rejectTitle: 'Отклонить этап %{stage} курса «%{title}»', action: 'Затем', rerun: 'Запустить этап заново', cancel: 'Отменить курс', rejected: 'Этап %{stage} отклонён',
      budgetGate: 'Бюджетный шлюз: прогноз %{projected} при бюджете %{budget} (уже потрачено %{spent})', approveBudget: 'Одобрить расход', declineBudget: 'Отказать (отменить курс)', budgetEmpty: 'Ни один курс не ждёт у бюджетного шлюза.',
      reasons: { too_shallow: 'Поверхностно', wrong_audience: 'Не та аудитория', off_topic: 'Не по теме', factual_errors: 'Фактические ошибки', poor_structure: 'Плохая структура', other: 'Другое' },
    },
    course: {
      tabs: { overview: 'Обзор', flight: 'Бортовой самописец', traces: 'Вызовы моделей', lessons: 'Уроки', history: 'История' },
      costChart: 'Расходы по этапам и моделям', noCost: 'Вызовов моделей ещё не было.', phase: 'Фаза',
      confirm: 'Подтвердите: %{action} «%{title}»?',
      history: { id: '№', at: 'Время', event: 'Событие', transition: 'Из → в', actor: 'Кто', where: 'Этап / фаза', percentage: '%', run: 'Запуск', reason: 'Причина' },
      flight: { transition: 'Переходы', call: 'Вызовы моделей', approval: 'Решения', cost: 'Расходы с начала', seconds: 'с от старта' },
    },
    live: { on: 'Обновления в реальном времени', off: 'Нет связи: переподключение' },
    roles: { admin: 'Администратор', ops: 'Эксплуатация', reviewer: 'Рецензент', finance: 'Финансы' },
  },
  resources: {
    jobs: {
      name: 'Задание |||| Очереди',
      fields: {
        state: 'Состояние', courseTitle: 'Курс', stage: 'Этап', phase: 'Фаза', attempt: 'Попытка', ageSeconds: 'Возраст', error: 'Ошибка', worker: 'Обработчик',
        createdAt: 'Создано', q: 'Поиск', stuck: 'Зависшие', actions: 'Действия',
      },
      states: { waiting: 'Ожидает', active: 'Выполняется', delayed: 'Ждёт повтора', failed: 'Ошибка', missing: 'Потеряно', completed: 'Завершено' },
      stuck: 'Зависло', stuckOnly: 'Только зависшие', notStuck: 'Не зависшие', superseded: 'Запуск %{run}, заменён',
      stuckReasons: {
        no_worker: 'Выполняется, но ни один живой обработчик о нём не сообщает: обработчик упал; очередь заберёт задание, когда истечёт блокировка',
        no_consumer: 'Ожидает, а эту очередь не обслуживает ни один живой обработчик',
        over_time: 'Выполняется дольше, чем курс может стоять без движения',
        no_job: 'Курс ждёт это задание, но его нет ни в одной очереди; сверка вернёт его',
      },
      retry: 'Повторить', retried: 'Повтор запущен',
    },
    lessons: {
      statuses: { queued: 'В очереди', generating: 'Генерируется', generated: 'Готов', failed: 'Ошибка' },
      name: 'Урок |||| Уроки',
      noSource: 'Исходного кода ещё нет.',
      fields: { title: 'Название', courseId: 'Курс', ordinal: '№', status: 'Статус', attempts: 'Попытки', error: 'Ошибка' },
    },
    traces: {
      name: 'Вызов модели |||| Вызовы моделей',
      fields: {
        courseTitle: 'Курс', lessonId: 'Урок', 
        createdAt: 'Время', stage: 'Этап', phase: 'Фаза', modelUsed: 'Модель', provider: 'Провайдер', label: 'Метка',
        tokensUsed: 'Токены', inputTokens: 'Входные токены', outputTokens: 'Выходные токены', costUsd: 'Стоимость', durationMs: 'Длительность, мс',
        hasError: 'Ошибка', attempt: 'Попытка', stepName: 'Шаг', courseId: 'Курс', inputData: 'Вход', outputData: 'Выход', errorData: 'Ошибка',
        otelTraceId: 'Трасса OpenTelemetry', openInTracer: 'Открыть в трассировщике',
      },
    },
    courses: {
      name: 'Курс |||| Курсы',
      fields: {
        title: 'Название',
        description: 'Описание',
        language: 'Язык',
        status: 'Статус',
        percentage: 'Прогресс',
        currentStage: 'Этап',
        costUsd: 'Стоимость',
        budgetUsd: 'Бюджет, USD',
        approvalGates: 'Утверждение после этапов',
        createdAt: 'Создан',
        updatedAt: 'Обновлён',
        message: 'Сообщение',
        errorMessage: 'Ошибка',
        stage: 'Этап', createdFrom: 'Создан с', createdTo: 'Создан по',
        q: 'Поиск', qualityLow: 'Низкое качество', contentStyle: 'Стиль подачи',
      },
      status: {
        idle: 'Не запущен',
        queued: 'В очереди',
        generating: 'Генерация',
        completed: 'Готов',
        failed: 'Ошибка',
        cancelled: 'Отменён',
        awaiting: 'Ждёт утверждения · этап %{stage}',
      },
      stages: {
        2: 'Обработка документов',
        3: 'Суммаризация',
        4: 'Анализ',
        5: 'Генерация структуры',
        6: 'Содержание уроков',
        status: { pending: 'Ожидает', active: 'Идёт', completed: 'Готово', error: 'Ошибка', awaiting: 'Ждёт утверждения', skipped: 'Пропущен' },
      },
      languages: { en: 'Английский', ru: 'Русский' },
      actions: { retry: 'Повторить', cancel: 'Отменить', restart: 'Начать заново', start: 'Запустить генерацию', approve: 'Утвердить этап %{stage}', comment: 'Комментарий' },
      notifications: { retry: 'Повтор запущен', cancel: 'Курс отменён', restart: 'Курс запущен заново', started: 'Генерация запущена', approved: 'Этап %{stage} утверждён' },
      bulk: { confirm: '%{action}: выбрано курсов — %{count}?', done: 'Выполнено %{done} из %{total}. %{reason}' },
      eta: 'Осталось около %{time}',
      budget_help: 'Если прогноз полной стоимости его превысит, курс перед уроками ждёт решения финансов',
      gates_help: 'Этапы, после которых рецензент должен утвердить результат, прежде чем конвейер продолжит',
      quality: {
        low: 'Низкое качество',
        low_score: 'Низкое качество %{score}',
        detail: 'Качество %{score} ниже порога %{threshold} (%{method})',
        methods: { lexical: 'лексическое сходство', embedding: 'эмбеддинги' },
      },
      style: {
        title: 'Стиль подачи: %{name}',
        tone: 'Тон', structure: 'Структура', parts: 'Части урока', exercises: 'Типы упражнений', example: 'Пример',
        exercise_types: { self_assessment: 'Самопроверка', case_study: 'Кейс', hands_on: 'Практика', discussion: 'Обсуждение', quiz: 'Тест', simulation: 'Симуляция', reflection: 'Рефлексия' },
      },
      timeline: 'Этапы',
    },
  },
};
