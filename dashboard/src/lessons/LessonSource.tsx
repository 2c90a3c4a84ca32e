// A lesson's TSX source, highlighted (loaded lazily with the lesson page). Tokens are
// rendered as text.
import { Box } from '@mui/material';
import { highlight, type TokenKind } from './highlight';

const COLORS: Record<TokenKind, string | undefined> = {
  comment: '#6a737d', string: '#22863a', number: '#005cc5', keyword: '#d73a49', tag: '#6f42c1', type: '#e36209', punct: undefined, text: undefined,
};

export default function LessonSource({ source }: { source: string }) {
  return (
    <Box component="pre" data-testid="lesson-source" sx={{ fontSize: 13, bgcolor: 'action.hover', p: 2, overflow: 'auto', maxHeight: 560 }}>
      {highlight(source).map((t, i) => (COLORS[t.kind] ? <span key={i} style={{ color: COLORS[t.kind] }} data-token={t.kind}>{t.text}</span> : t.text))}
    </Box>
  );
}
