// A lesson's TSX source, highlighted (loaded lazily with the lesson page). Tokens are
// rendered as text.
import { Box } from '@mui/material';
import { highlight, type TokenKind } from './highlight';

const COLORS: Record<TokenKind, string | undefined> = {
  // GitHub's palette darkened to 4.5:1 on the grey background (WCAG AA, axe-core color-contrast).
  comment: '#57606a',
  string: '#116329',
  number: '#0550ae',
  keyword: '#a40e26',
  tag: '#5a32a3',
  type: '#873000',
  punct: undefined,
  text: undefined,
};

export default function LessonSource({ source }: { source: string }) {
  return (
    <Box
      component="pre"
      tabIndex={0}
      data-testid="lesson-source"
      sx={{ fontSize: 13, bgcolor: 'action.hover', p: 2, overflow: 'auto', maxHeight: 560, maxWidth: '100%' }}
    >
      {highlight(source).map((t, i) =>
        COLORS[t.kind] ? (
          <span key={i} style={{ color: COLORS[t.kind] }} data-token={t.kind}>
            {t.text}
          </span>
        ) : (
          t.text
        ),
      )}
    </Box>
  );
}
