import { LessonAnswerSchema } from './lesson.job';
import { lessonImportProblem, lessonImports } from './lesson-imports';

const lesson = (head: string) =>
  `${head}\nexport default function L() { const [n, setN] = useState(0); return <button onClick={() => setN(n + 1)}>{n}</button>; }`;

describe('lesson imports', () => {
  it('lists what a lesson imports, statically or by a literal dynamic import', () => {
    expect(
      lessonImports(
        lesson(`import React, { useState } from 'react';\nimport {\n  a,\n  b\n} from "lodash";\nimport 'left-pad';\nexport { c } from './c';`),
      )?.sort(),
    ).toEqual(['./c', 'left-pad', 'lodash', 'react']);
    expect(lessonImports(`export default async function L() { const m = await import('chart.js'); return null; }`)).toEqual(['chart.js']);
  });

  it('allows react only, and says what it refused and what is allowed', () => {
    expect(lessonImportProblem(lesson(`import React, { useState } from 'react';`))).toBeNull();
    expect(lessonImportProblem(lesson(`import { useState } from 'react';\nimport _ from 'lodash';`))).toMatch(
      /imports "lodash".*only react, react\/jsx-runtime/,
    );
    expect(lessonImportProblem(lesson(`import { useState } from 'react';\nimport { x } from './helpers';`))).toMatch(/"\.\/helpers"/);
  });

  it('leaves a lesson that does not compile to the compiler', () => {
    expect(lessonImportProblem(`import _ from 'lodash'; export default () => <p>hi</a>;`)).toBeNull();
  });

  it('is part of the answer schema, naming the field', () => {
    const r = LessonAnswerSchema.safeParse({ tsx: lesson(`import { useState } from 'react';\nimport dayjs from 'dayjs';`) });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path: ['tsx'], message: expect.stringMatching(/"dayjs"/) });
    expect(LessonAnswerSchema.safeParse({ tsx: lesson(`import { useState } from 'react';`) }).success).toBe(true);
  });
});
