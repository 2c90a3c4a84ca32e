import russianMessages from 'ra-language-russian';

export const ru = {
  ...russianMessages,
  mc: {
    status: { idle: 'Не начат', queued: 'В очереди', generating: 'Генерация', completed: 'Готов', failed: 'Ошибка', cancelled: 'Отменён', awaiting: 'Ждёт утверждения' },
    stage: { pending: 'ожидает', active: 'идёт', completed: 'готово', error: 'ошибка', awaiting: 'ждёт утверждения', skipped: 'пропущен' },
    action: { start: 'Запустить генерацию', approve: 'Утвердить', comment: 'Комментарий' },
    eta: 'Осталось около %{time}',
    notify: { started: 'Генерация запущена', approved: 'Этап утверждён' },
  },
  resources: {
    courses: {
      name: 'Курс |||| Курсы',
      fields: {
        title: 'Название', description: 'Описание', status: 'Статус', percentage: 'Прогресс', currentStage: 'Этап',
        costUsd: 'Стоимость', updatedAt: 'Обновлён', createdAt: 'Создан', language: 'Язык', approvalGates: 'Этапы с утверждением',
        contentStyle: 'Стиль', message: 'Сообщение', q: 'Поиск',
      },
    },
  },
};
