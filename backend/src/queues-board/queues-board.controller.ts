// POST /api/queues-board-session: mints the board cookie. Any role may ask, so that the
// board itself answers 403 to a role without access (finance, reviewer) and 401
// without a cookie; the dashboard only offers the menu entry to admins and ops.
import { Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RateLimit } from '../auth/rate-limit';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { ALL_ROLES, Allow, AuthUser, CurrentUser } from '../auth/access.decorators';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { BOARD_PATH, BOARD_ROLES, BOARD_TTL_SECONDS, boardCookie, mintBoardToken } from './board-session';

@ApiTags('queues')
@ApiBearerAuth()
@Controller('queues-board-session')
export class QueuesBoardController {
  // Signs with an explicit secret and audience: no need for the API module's JwtModule.
  private readonly jwt = new JwtService();

  constructor(
    private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @RateLimit('queues-board-session', 30, 60)
  @HttpCode(201)
  @Allow(...ALL_ROLES)
  async session(@CurrentUser() user: AuthUser, @Res({ passthrough: true }) res: FastifyReply) {
    const [row] = await this.ds.query(`SELECT token_version FROM users WHERE id = $1`, [user.id]);
    const token = await mintBoardToken(this.jwt, this.config.jwt, { id: user.id, role: user.role, tokenVersion: row.token_version });
    res.header('set-cookie', boardCookie(token, this.config.env === 'production'));
    return { url: `${BOARD_PATH}/`, expiresIn: BOARD_TTL_SECONDS, allowed: BOARD_ROLES.includes(user.role) };
  }
}
