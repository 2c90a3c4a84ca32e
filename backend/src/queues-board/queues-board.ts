// Mounts Bull Board (all our BullMQ queues) under /api/queues-board on the API's
// fastify instance, behind the board cookie check (see board-session.ts).
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { JwtService } from '@nestjs/jwt';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { QueueRepository } from '../repositories/queue.repository';
import { SignInRepository } from '../repositories/tenant/sign-in.repository';
import { BOARD_PATH, checkBoardAccess } from './board-session';

export async function mountQueuesBoard(app: NestFastifyApplication): Promise<void> {
  const queues = app.get(QueueRepository);
  const jwt = new JwtService();
  const users = app.get(SignInRepository);
  const config = app.get<AppConfig>(APP_CONFIG);
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BOARD_PATH);
  createBullBoard({
    queues: queues.allQueues().map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Mission Control queues' } },
  });
  await app.register((async (instance: FastifyInstance) => {
    instance.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      const denied = await checkBoardAccess(jwt, users, config.jwt, req.headers.cookie);
      if (denied) return reply.code(denied.status).send({ statusCode: denied.status, message: denied.message });
    });
    await instance.register(serverAdapter.registerPlugin() as never, { prefix: BOARD_PATH });
  }) as never);
}
