// A lesson's TSX source, highlighted (loaded lazily with the lesson page). Tokens are
// rendered as text.
import { Box } from '@mui/material';
import { highlight, type TokenKind } from './highlight';

const COLORS: Record<TokenKind, string | undefined> = {
  // At least 4.5:1 against the light grey background (WCAG AA, checked by axe in the browser tests).
  comment: '#57606a', string: '#116329', number: '#0550ae', keyword: '#a40e26', tag: '#6639ba', type: '#953800', punct: undefined, text: undefined,
};

export default function LessonSource({ source }: { source: string }) {
  return (
    <Box component="pre" data-testid="lesson-source" sx={{ fontSize: 13, bgcolor: 'action.hover', p: 2, overflow: 'auto', maxHeight: 560 }}>
      {highlight(source).map((t, i) => (COLORS[t.kind] ? <span key={i} style={{ color: COLORS[t.kind] }} data-token={t.kind}>{t.text}</span> : t.text))}
    </Box>
  );
}
