// The /live namespace: a client authenticates in the handshake (`auth.token`) and joins
// its organization's room; it may also join a course room after the same check the
// REST route makes. It never receives another organization's events.
import { Logger } from '@nestjs/common';
import { ConnectedSocket, MessageBody, OnGatewayConnection, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { DataSource } from 'typeorm';
import { AuthService } from '../auth/auth.service';
import { UuidSchema } from '../common/zod.pipe';
import { courseRoom, LIVE_NAMESPACE, orgRoom } from '../repositories/live.publisher';

@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway implements OnGatewayConnection {
  private readonly logger = new Logger('LiveGateway');

  constructor(
    private readonly auth: AuthService,
    private readonly ds: DataSource,
  ) {}

  async handleConnection(client: Socket): Promise<void> {
    const token = typeof client.handshake.auth?.token === 'string' ? client.handshake.auth.token : undefined;
    const user = token ? await this.auth.verify(token) : null;
    if (!user) {
      client.emit('error', { message: 'invalid or missing token' });
      client.disconnect(true);
      return;
    }
    client.data.user = user;
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
