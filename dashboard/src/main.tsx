import React from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { refresher } from './providers/refresh';
import { clearSession, readSession } from './providers/session';
import { settleSession } from './providers/startup';

void settleSession({
  read: readSession,
  clear: clearSession,
  now: () => Date.now(),
  refresh: (token) => refresher.refresh(token),
  hash: window.location.hash,
  replace: (state, url) => window.history.replaceState(state, '', url),
}).finally(() =>
  createRoot(document.getElementById('root')!).render(
    <React.StrictMode>
      <App />
    </React.StrictMode>,
  ),
);
