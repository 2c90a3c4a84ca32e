// The deployment's platform organization (`organizations.is_platform`, at most one; its
// admins are the operators, auth/permissions.ts). For the bootstrap and the demo seed.
import { Injectable } from '@nestjs/common';
import { SystemDb } from './system-db';

@Injectable()
export class PlatformSystemRepository {
  constructor(private readonly db: SystemDb) {}

  /** Makes `organizationId` the platform organization (and no other). False when there is no such organization. */
  async markPlatform(organizationId: string): Promise<boolean> {
    return this.db.run(async (db) => {
      const found = await db.query<{ id: string }>(`SELECT id FROM organizations WHERE id = $1 FOR UPDATE`, [organizationId]);
      if (found.length === 0) return false;
      await db.query(`UPDATE organizations SET is_platform = false WHERE is_platform AND id <> $1`, [organizationId]);
      await db.query(`UPDATE organizations SET is_platform = true WHERE id = $1 AND NOT is_platform`, [organizationId]);
      return true;
    });
  }

  /** The platform organization's id, if one is marked. */
  async platformOrganizationId(): Promise<string | undefined> {
    const rows = await this.db.autocommit.query<{ id: string }>(`SELECT id FROM organizations WHERE is_platform`);
    return rows[0]?.id;
  }
}
