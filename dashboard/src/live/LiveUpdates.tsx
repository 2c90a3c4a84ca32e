// The dashboard's one socket to /live. Events become react-query cache updates (the
// course lists and the open course change in place), and every (re)connect refetches
// what is on screen, because events sent while disconnected are lost. The token is read
// afresh at each connection attempt, and each renewed token is handed to the open socket
// (`auth.renew`), so a page left open stays live past the token's lifetime; a sign-in
// the API ended signs out. Shows a small dot in the app bar: live or not.
import { Box, Tooltip } from '@mui/material';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useLogout, useTranslate } from 'react-admin';
import { io, type Socket } from 'socket.io-client';
import { refresher } from '../providers/refresh';
import { readSession } from '../providers/session';
import type { Course } from '../types';
import { applyCourseUpdate, applyToList, type CourseUpdatedEvent } from './liveCache';

/** Queries that a server event makes stale but that cannot be patched in place. */
const AGGREGATES = [['overview'], ['approvals'], ['courses', 'timeline'], ['courses', 'costs'], ['jobs']];
const AGGREGATE_REFRESH_MS = 3000;
/** The approvals inbox (and a course page's gate) follow gates within a second: a gate reached appears, a decided one leaves. */
const APPROVALS_REFRESH_MS = 300;
const AWAITING = /_awaiting_approval$/;

function throttled(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      fn();
    }, ms);
  };
}

export function connectLive(
  queryClient: QueryClient,
  onState: (connected: boolean) => void,
  onSignedOut: () => void = () => undefined,
): { socket: Socket; close: () => void } {
  let closed = false;
  const socket = io('/live', {
    // A function: called at every connection attempt, so a reconnect uses the current
    // token (renewed first when it is due, e.g. after the laptop slept).
    auth: (cb) =>
      void refresher
        .currentToken()
        .catch(() => readSession()?.token)
        .then((token) => cb({ token: token ?? '' })),
    transports: ['websocket'],
  });
  const refreshAggregates = throttled(() => {
    for (const queryKey of AGGREGATES) void queryClient.invalidateQueries({ queryKey });
  }, AGGREGATE_REFRESH_MS);
  const refreshLists = throttled(() => void queryClient.invalidateQueries({ queryKey: ['courses', 'getList'] }), 1000);
  const refreshApprovals = throttled(() => void queryClient.invalidateQueries({ queryKey: ['approvals'] }), APPROVALS_REFRESH_MS);
  /** Whether the event opens or closes a gate someone may be looking at. */
  const touchesGate = (e: CourseUpdatedEvent) =>
    AWAITING.test(e.generationStatus) || (queryClient.getQueryData<{ courseId: string }[]>(['approvals']) ?? []).some((i) => i.courseId === String(e.id));

  socket.on('connect', () => {
    onState(true);
    // Whatever happened while we were away is only in the database: fetch it again.
    void queryClient.invalidateQueries({ refetchType: 'active' });
  });
  socket.on('disconnect', () => onState(false));
  socket.on('connect_error', () => {
    onState(false);
    // A refused handshake (e.g. an expired token) is not retried by the client itself.
    if (!socket.active)
      setTimeout(() => {
        if (!closed && readSession()) socket.connect();
      }, 5000);
  });

  // A renewed token reaches the server before the old one's expiry closes the socket.
  const unsubscribe = refresher.subscribe((token) => {
    if (token === null) return onSignedOut();
    if (socket.connected) socket.emit('auth.renew', { token });
  });
  // The server closes the socket at the token's expiry (a renewal came too late, e.g. a
  // sleeping tab): renew and connect again.
  socket.on('session.expired', () => {
    void refresher
      .currentToken()
      .then((token) => {
        if (token && !closed) socket.connect();
      })
      .catch(() => undefined);
  });

  socket.on('course.updated', (e: CourseUpdatedEvent) => {
    let missing = false;
    for (const [key, list] of queryClient.getQueriesData<{ data: Course[] }>({ queryKey: ['courses', 'getList'] })) {
      const { list: next, found } = applyToList(list, e);
      if (found) queryClient.setQueryData(key, next);
      else missing = true;
    }
    queryClient.setQueriesData<Course>({ queryKey: ['courses', 'getOne'] }, (c) => (c ? applyCourseUpdate(c, e) : c));
    // A course that is not on a cached page (new, or moved by a filter): ask for the page again.
    if (missing) refreshLists();
    if (touchesGate(e)) refreshApprovals();
    refreshAggregates();
  });
  for (const event of ['approval.requested', 'approval.escalated']) socket.on(event, refreshApprovals);
  for (const event of ['alert.raised', 'alert.cleared']) socket.on(event, () => void queryClient.invalidateQueries({ queryKey: ['alerts'] }));
  for (const event of ['approval.requested', 'approval.escalated', 'cost.updated', 'trace.created']) socket.on(event, refreshAggregates);
  return {
    socket,
    close: () => {
      closed = true;
      unsubscribe();
      socket.removeAllListeners();
      socket.disconnect();
    },
  };
}

export const LiveUpdates = () => {
  const queryClient = useQueryClient();
  const translate = useTranslate();
  const logout = useLogout();
  const logoutRef = useRef(logout);
  logoutRef.current = logout;
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const live = connectLive(queryClient, setConnected, () => void logoutRef.current());
    return live.close;
  }, [queryClient]);
  return (
    <Tooltip title={translate(connected ? 'app.live.on' : 'app.live.off')}>
      <Box
        data-testid="live-status"
        data-connected={connected}
        role="img"
        sx={{ width: 10, height: 10, borderRadius: '50%', mx: 1, bgcolor: connected ? 'success.light' : 'grey.500' }}
      />
    </Tooltip>
  );
};
