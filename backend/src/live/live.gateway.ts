// The /live namespace: a client authenticates in the handshake (`auth.token`) and joins
// its organization's room; it may also join a course room after the same check the
// REST route makes. It never receives another organization's events.
import { Logger } from '@nestjs/common';
import { ConnectedSocket, MessageBody, OnGatewayConnection, OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { DataSource } from 'typeorm';
import { AuthService } from '../auth/auth.service';
import { UuidSchema } from '../common/zod.pipe';
import { courseRoom, LIVE_NAMESPACE, orgRoom } from '../repositories/live.publisher';

@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway implements OnGatewayInit, OnGatewayConnection {
  private readonly logger = new Logger('LiveGateway');

  constructor(
    private readonly auth: AuthService,
    private readonly ds: DataSource,
  ) {}

  /** The handshake itself is refused without a valid token: the client gets connect_error. */
  afterInit(namespace: Namespace): void {
    namespace.use((socket, next) => {
      const token = typeof socket.handshake.auth?.token === 'string' ? socket.handshake.auth.token : undefined;
      if (!token) return next(new Error('missing token (auth.token)'));
      this.auth.verify(token).then(
        (user) => {
          if (!user) return next(new Error('invalid or expired token'));
          socket.data.user = user;
          next();
        },
        () => next(new Error('invalid or expired token')),
      );
    });
  }

  async handleConnection(client: Socket): Promise<void> {
    const user = client.data.user;
    if (!user) {
      client.disconnect(true);
      return;
    }
    await client.join(orgRoom(user.organizationId));
  }

  @SubscribeMessage('course.subscribe')
  async subscribe(@ConnectedSocket() client: Socket, @MessageBody() body: { courseId?: unknown }) {
    const user = client.data.user;
    const id = UuidSchema.safeParse(body?.courseId);
    if (!user || !id.success) return { ok: false, error: 'courseId: must be a UUID' };
    const rows = await this.ds.query(`SELECT 1 FROM courses WHERE id = $1 AND organization_id = $2`, [id.data, user.organizationId]);
    if (!rows[0]) return { ok: false, error: 'course not found' };
    await client.join(courseRoom(id.data));
    return { ok: true };
  }
}
