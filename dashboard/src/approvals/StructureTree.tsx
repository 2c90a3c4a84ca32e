// A course structure (stage 5's output) as a tree: sections, then their lessons.
// Model text is rendered as text.
import { Box, Typography } from '@mui/material';

interface Lesson {
  lesson_number?: number;
  lesson_title?: string;
  title?: string;
}
interface Section {
  section_number?: number;
  section_title?: string;
  title?: string;
  lessons?: Lesson[];
}

export function isStructure(v: unknown): v is { course_title?: string; sections: Section[] } {
  return !!v && typeof v === 'object' && Array.isArray((v as { sections?: unknown }).sections);
}

export const StructureTree = ({ structure }: { structure: { course_title?: string; sections: Section[] } }) => (
  <Box component="ul" data-testid="structure-tree" sx={{ pl: 2, my: 1 }}>
    {structure.sections.map((s, i) => (
      <li key={i}>
        <Typography variant="body2" sx={{ fontWeight: 500 }}>
          {s.section_number ?? i + 1}. {s.section_title ?? s.title ?? ''}
        </Typography>
        <Box component="ul" sx={{ pl: 2 }}>
          {(s.lessons ?? []).map((l, j) => (
            <li key={j}>
              <Typography variant="body2">
                {s.section_number ?? i + 1}.{l.lesson_number ?? j + 1} {l.lesson_title ?? l.title ?? ''}
              </Typography>
            </li>
          ))}
        </Box>
      </li>
    ))}
  </Box>
);
