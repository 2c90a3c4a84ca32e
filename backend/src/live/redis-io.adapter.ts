// Socket.IO over the Redis adapter, so rooms span every API process and workers can
// publish with the Redis emitter.
import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import IORedis from 'ioredis';
import type { ServerOptions } from 'socket.io';

export class RedisIoAdapter extends IoAdapter {
  private pub?: IORedis;
  private sub?: IORedis;

  constructor(
    app: INestApplicationContext,
    private readonly redisUrl: string,
    private readonly key: string,
  ) {
    super(app);
  }

  createIOServer(port: number, options?: ServerOptions) {
    const server = super.createIOServer(port, { ...options, cors: { origin: false } });
    this.pub = new IORedis(this.redisUrl);
    this.sub = this.pub.duplicate();
    server.adapter(createAdapter(this.pub, this.sub, { key: this.key }));
    return server;
  }

  async dispose(): Promise<void> {
    this.pub?.disconnect();
    this.sub?.disconnect();
  }
}
