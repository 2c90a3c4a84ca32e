// The /live namespace: a client authenticates in the handshake (`auth.token`) and joins
// its organization's room; it may also join a course room after the same check the
// REST route makes (`courses.read` in the permission table). It never receives another organization's events. A socket lives as
// long as its token: at the token's expiry it is told (`session.expired`) and
// disconnected, unless the client sent a fresh token of the same user (`auth.renew`);
// a user disabled or given another role is disconnected at the next check.
import { Logger, OnModuleDestroy } from '@nestjs/common';
import { ConnectedSocket, MessageBody, OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { AuthService } from '../auth/auth.service';
import { can } from '../auth/permissions';
import { UuidSchema } from '../common/zod.pipe';
import { TenantScope } from '../repositories/tenant/tenant-scope';
import { courseRoom, LIVE_NAMESPACE, liveRoomsOf } from '../repositories/live.publisher';

const RECHECK_MS = 15_000;

@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger('LiveGateway');
  private namespace?: Namespace;
  private recheck?: NodeJS.Timeout;

  constructor(
    private readonly auth: AuthService,
    private readonly scope: TenantScope,
  ) {}

  /** The handshake itself is refused without a valid token: the client gets connect_error. */
  afterInit(namespace: Namespace): void {
    this.namespace = namespace;
    namespace.use((socket, next) => {
      const token = typeof socket.handshake.auth?.token === 'string' ? socket.handshake.auth.token : undefined;
      if (!token) return next(new Error('missing token (auth.token)'));
      this.auth.verify(token).then(
        (user) => {
          if (!user) return next(new Error('invalid or expired token'));
          if (user.passwordChangeRequired) return next(new Error('password change required: set a new password first'));
          socket.data.user = user;
          socket.data.token = token;
          next();
        },
        () => next(new Error('invalid or expired token')),
      );
    });
    this.recheck = setInterval(() => void this.recheckAll(), RECHECK_MS);
    this.recheck.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.recheck);
  }

  async handleConnection(client: Socket): Promise<void> {
    const user = client.data.user;
    if (!user) {
      client.disconnect(true);
      return;
    }
    this.armExpiry(client);
    // One room per live action the role may do: each event reaches only who may receive it.
    await client.join(liveRoomsOf(user));
  }

  handleDisconnect(client: Socket): void {
    clearTimeout(client.data.expiry);
  }

  private armExpiry(client: Socket): void {
    clearTimeout(client.data.expiry);
    const ms = Math.max(0, client.data.user.expiresAt - Date.now());
    client.data.expiry = setTimeout(() => this.end(client, 'token expired'), Math.min(ms, 2 ** 31 - 1));
  }

  private end(client: Socket, reason: string): void {
    client.emit('session.expired', { reason });
    client.disconnect(true);
  }

  /** Tokens whose user was disabled or changed role since the handshake end their socket. */
  private async recheckAll(): Promise<void> {
    const sockets = this.namespace ? [...this.namespace.sockets.values()] : [];
    for (const s of sockets) {
      const user = await this.auth.verify(s.data.token).catch(() => null);
      if (!user) this.end(s, 'token no longer valid');
    }
  }

  @SubscribeMessage('auth.renew')
  async renew(@ConnectedSocket() client: Socket, @MessageBody() body: { token?: unknown }) {
    const token = typeof body?.token === 'string' && body.token.length < 4096 ? body.token : undefined;
    const user = token ? await this.auth.verify(token) : null;
    if (!user || user.id !== client.data.user?.id) return { ok: false, error: 'token: not a valid token of this user' };
    // A renewed token may carry another role: the socket's rooms follow it.
    const rooms = new Set(liveRoomsOf(user));
    for (const room of liveRoomsOf(client.data.user)) if (!rooms.has(room)) await client.leave(room);
    await client.join([...rooms]);
    client.data.user = user;
    client.data.token = token;
    this.armExpiry(client);
    return { ok: true, expiresAt: new Date(user.expiresAt).toISOString() };
  }

  @SubscribeMessage('course.subscribe')
  async subscribe(@ConnectedSocket() client: Socket, @MessageBody() body: { courseId?: unknown }) {
    const user = client.data.user;
    const id = UuidSchema.safeParse(body?.courseId);
    if (!user || !id.success) return { ok: false, error: 'courseId: must be a UUID' };
    if (!can(user, 'courses.read')) return { ok: false, error: 'your role may not follow courses' };
    const visible = await this.scope.run(user.organizationId, (repos) => repos.documents.courseExists(id.data));
    if (!visible) return { ok: false, error: 'course not found' };
    await client.join(courseRoom(id.data));
    return { ok: true };
  }
}
