// Rate limits on the expensive routes: a fixed window per caller in Redis, shared by
// every API process. `@RateLimit(name, points, seconds)` on a route; the AccessGuard
// applies it after authentication. RATE_LIMIT_FACTOR scales every limit (0 turns them off).
import { Inject, Injectable, SetMetadata } from '@nestjs/common';
import type IORedis from 'ioredis';
import { REDIS } from '../app/tokens';
import { TooManyError } from '../common/errors.filter';
import { APP_CONFIG, AppConfig } from '../config/app-config';

export const RATE_LIMIT_KEY = 'mc:rate-limit';

export interface RateRule {
  name: string;
  points: number;
  seconds: number;
}

export const RateLimit = (name: string, points: number, seconds: number) => SetMetadata(RATE_LIMIT_KEY, { name, points, seconds } satisfies RateRule);

@Injectable()
export class RateLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: IORedis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts one hit of `who` against the rule; 429 past its points. */
  async hit(rule: RateRule, who: string): Promise<void> {
    const factor = this.config.access.rateLimitFactor;
    if (factor === 0) return;
    const points = Math.max(1, Math.round(rule.points * factor));
    const window = Math.floor(Date.now() / 1000 / rule.seconds);
    const key = `${this.config.queuePrefix}:rl:${rule.name}:${who}:${window}`;
    const [[, count]] = (await this.redis
      .multi()
      .incr(key)
      .expire(key, rule.seconds + 1)
      .exec()) as [[Error | null, number]];
    if (count > points) {
      const retry = (window + 1) * rule.seconds - Date.now() / 1000;
      throw new TooManyError(`rate limit: at most ${points} ${rule.name} requests per ${rule.seconds} s; try again in ${Math.ceil(retry)} s`, retry);
    }
  }

  /** Failed sign-ins per account and per address; past the limit sign-in is locked for a while. */
  async checkLogin(email: string, ip: string): Promise<void> {
    const { loginMaxFailures } = this.config.access;
    const keys = [this.loginKey('email', email), this.loginKey('ip', ip)];
    const [byEmail, byIp] = await this.redis.mget(...keys);
    if (Number(byEmail ?? 0) >= loginMaxFailures || Number(byIp ?? 0) >= loginMaxFailures * 10) {
      const ttl = Math.max(...(await Promise.all(keys.map((k) => this.redis.ttl(k)))), 1);
      throw new TooManyError(`too many failed sign-ins; try again in ${ttl} s`, ttl);
    }
  }

  async loginFailed(email: string, ip: string): Promise<void> {
    const lock = this.config.access.loginLockSeconds;
    const m = this.redis.multi();
    for (const key of [this.loginKey('email', email), this.loginKey('ip', ip)]) m.incr(key).expire(key, lock);
    await m.exec();
  }

  async loginSucceeded(email: string): Promise<void> {
    await this.redis.del(this.loginKey('email', email));
  }

  private loginKey(kind: 'email' | 'ip', value: string): string {
    return `${this.config.queuePrefix}:login-failures:${kind}:${value.toLowerCase()}`;
  }
}
