// POST /api/queues-board-session: mints the board cookie, for the deployment's operators
// only (`queues.board`): Bull Board shows and controls every organization's jobs. The
// board checks the cookie again on every request (403 for anyone else, 401 without one).
import { Body, Controller, HttpCode, Inject, Post, Res, UnauthorizedException } from '@nestjs/common';
import { z } from 'zod';
import { ZodPipe } from '../common/zod.pipe';
import { JwtService } from '@nestjs/jwt';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RateLimit } from '../auth/rate-limit';
import type { FastifyReply } from 'fastify';
import { Can, AuthUser, CurrentUser } from '../auth/access.decorators';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { TenantScope } from '../repositories/tenant/tenant-scope';
import { BOARD_PATH, BOARD_TTL_SECONDS, boardCookie, mintBoardToken } from './board-session';
import { ApiJson } from '../openapi/api-doc.decorators';
import { BoardSessionSchema } from './board-session.responses';

@ApiTags('queues')
@ApiBearerAuth()
@Controller('queues-board-session')
export class QueuesBoardController {
  // Signs with an explicit secret and audience: no need for the API module's JwtModule.
  private readonly jwt = new JwtService();

  constructor(
    private readonly scope: TenantScope,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @RateLimit('queues-board-session', 30, 60)
  @HttpCode(201)
  @Can('queues.board')
  @ApiJson(BoardSessionSchema, { summary: 'Open Bull Board: sets its session cookie (platform operators)' })
  async session(
    @CurrentUser() user: AuthUser,
    @Body(new ZodPipe(z.object({}).strict().optional())) _body: object | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const tokenVersion = await this.scope.run(user.organizationId, (repos) => repos.users.tokenVersion(user.id));
    if (tokenVersion === undefined) throw new UnauthorizedException('this sign-in has ended; sign in again');
    const token = await mintBoardToken(this.jwt, this.config.jwt, { id: user.id, organizationId: user.organizationId, role: user.role, tokenVersion });
    res.header('set-cookie', boardCookie(token, this.config.env === 'production'));
    return { url: `${BOARD_PATH}/`, expiresIn: BOARD_TTL_SECONDS, allowed: true as const };
  }
}
