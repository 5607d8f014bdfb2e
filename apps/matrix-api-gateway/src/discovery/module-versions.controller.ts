import { Controller, Get, Headers, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { ModuleVersions } from './module-versions';
import { ModuleVersionsService } from './module-versions.service';

/** Long enough to spare SDKs that start often a round trip, short enough to see a deployment's change. */
const CACHE_CONTROL = 'public, max-age=300';

/**
 * Service discovery for the Matrix SDKs (reference §4.1, §6): the module → version registry at the path
 * they read it from, after our host. Public, no credential; the adapter adds the ETag (304 on a match).
 */
@Controller('matrix/utils/modules')
export class ModuleVersionsController {
  constructor(private readonly versions: ModuleVersionsService) {}

  @Get('moduleversions.json')
  moduleVersions(
    @Headers('host') host: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): ModuleVersions {
    const answer = this.versions.answer(host);
    // Set here, not with @Header: Nest would send that on a refusal too, and a cache would keep the 400.
    void reply.header('Cache-Control', CACHE_CONTROL);
    return answer;
  }
}
