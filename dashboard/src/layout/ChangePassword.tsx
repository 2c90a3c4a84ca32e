// The only page of a user who signed in with a password they must change (the one the
// bootstrap gave the first admin): every other API route answers 403 until then. Sends
// POST /api/auth/password; the answer is a new session, which replaces the old one.
import { Alert, Box, Button, Card, CardContent, TextField, Typography } from '@mui/material';
import { useState, type FormEvent } from 'react';
import { LocalesMenuButton, useLogout, useTranslate } from 'react-admin';
import { errorMessage } from '../providers/errors';
import { readSession, writeSession, type SessionUser } from '../providers/session';

export const ChangePasswordScreen = () => {
  const translate = useTranslate();
  const logout = useLogout();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const session = readSession();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (next !== repeat) return setError(translate('app.password.mismatch'));
    setBusy(true);
    try {
      const res = await fetch('/api/auth/password', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${session?.token ?? ''}` },
        body: JSON.stringify({ currentPassword: current, newPassword: next }),
      });
      const body = (await res.json().catch(() => null)) as {
        accessToken?: string;
        refreshToken?: string;
        expiresIn?: number;
        user?: SessionUser;
        message?: unknown;
      } | null;
      if (res.status === 401) return void logout();
      if (!res.ok || !body?.accessToken || !body.user) return setError(errorMessage({ body }));
      writeSession(body.accessToken, body.user, { refreshToken: body.refreshToken, expiresIn: body.expiresIn, receivedAt: Date.now() });
      window.location.reload();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box component="main" sx={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', p: 2 }}>
      <Card sx={{ width: '100%', maxWidth: 420 }}>
        <CardContent>
          <Box sx={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
            <Typography variant="h5" component="h1">
              {translate('app.password.title')}
            </Typography>
            <LocalesMenuButton />
          </Box>
          <Typography variant="body2" sx={{ my: 1 }}>
            {translate('app.password.explain', { email: session?.user.email ?? '' })}
          </Typography>
          <form onSubmit={submit} noValidate>
            <TextField
              label={translate('app.password.current')}
              type="password"
              name="currentPassword"
              autoComplete="current-password"
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
              fullWidth
              margin="dense"
              required
            />
            <TextField
              label={translate('app.password.new')}
              type="password"
              name="newPassword"
              autoComplete="new-password"
              value={next}
              onChange={(e) => setNext(e.target.value)}
              fullWidth
              margin="dense"
              required
              helperText={translate('app.password.rules')}
            />
            <TextField
              label={translate('app.password.repeat')}
              type="password"
              name="repeatPassword"
              autoComplete="new-password"
              value={repeat}
              onChange={(e) => setRepeat(e.target.value)}
              fullWidth
              margin="dense"
              required
            />
            {error && (
              <Alert severity="error" role="alert" sx={{ my: 1 }}>
                {error}
              </Alert>
            )}
            <Box sx={{ display: 'flex', gap: 1, mt: 2 }}>
              <Button type="submit" variant="contained" disabled={busy || !current || !next || !repeat}>
                {translate('app.password.submit')}
              </Button>
              <Button onClick={() => logout()}>{translate('ra.auth.logout')}</Button>
            </Box>
          </form>
        </CardContent>
      </Card>
    </Box>
  );
};
