import { Body, Controller, Delete, Get, HttpCode, Param, Patch, UseGuards } from '@nestjs/common';
import { ApiBody, ApiParam } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { RegistryAccess } from '../auth/registry-access';
import type { Principal } from '../credentials/principal';
import { ApiAnswer, ApiNoContent, ApiOp, ApiProblems } from '../rest/rest.api';
import { SolutionDto, SolutionListDto, SolutionParamsDto } from './solutions.api';
import { SolutionsService } from './solutions.service';

const TAG = 'Solutions';
const SLOT_TYPE = ApiParam({
  name: 'slotType',
  description: 'a watched slot type, with or without its provider (PPLCTR, SMARTCLEAN%23PPLCTR), any case',
});

/**
 * REST v1 settings of a building's solutions (owned by incident-service): one-line delegations to
 * SolutionsService. No POST, so no Idempotency-Key: a PATCH or DELETE again leaves the same settings.
 */
@Controller('v1/buildings/:pid/solutions')
@UseGuards(AuthGuard)
@ApiProblems(400, 401, 403, 404, 429, 503)
@ApiParam({ name: 'pid', description: 'building (project) id' })
export class SolutionsController {
  constructor(private readonly solutions: SolutionsService) {}

  @Get()
  @ApiOp(
    TAG,
    'listSolutions',
    'The settings of the rules that raise incidents from sensor data, per watched slot type (getSolutionSettings)',
  )
  @ApiAnswer(200, SolutionListDto)
  list(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
  ) {
    return this.solutions.list({ access, principal }, pid);
  }

  @Get(':slotType')
  @ApiOp(TAG, 'getSolution', 'The settings of one slot type; 404 for a slot type no solution watches')
  @SLOT_TYPE
  @ApiAnswer(200, SolutionDto)
  get(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
    @Param('slotType') slotType: string,
  ) {
    return this.solutions.get({ access, principal }, pid, slotType);
  }

  @Patch(':slotType')
  @ApiOp(
    TAG,
    'updateSolution',
    'Change parameters of the slot type (admin; updateSolutionSettings); the others keep their value. 400 names a parameter the slot type does not take or a value out of range',
  )
  @SLOT_TYPE
  @ApiBody({ type: SolutionParamsDto, description: 'one or more of the slot type’s parameters' })
  @ApiAnswer(200, SolutionDto)
  update(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
    @Param('slotType') slotType: string,
    @Body() body: unknown,
  ) {
    return this.solutions.update({ access, principal }, pid, slotType, body);
  }

  @Delete(':slotType')
  @HttpCode(204)
  @ApiOp(
    TAG,
    'resetSolution',
    'Every parameter of the slot type back to its default (admin; updateSolutionSettings with Reset); GET answers the defaults',
  )
  @SLOT_TYPE
  @ApiNoContent('Reset (also when nothing was changed)')
  async reset(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
    @Param('slotType') slotType: string,
  ): Promise<void> {
    await this.solutions.reset({ access, principal }, pid, slotType);
  }
}
