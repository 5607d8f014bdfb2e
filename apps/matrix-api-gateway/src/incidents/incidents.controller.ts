import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBody, ApiParam, ApiQuery } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { RegistryAccess } from '../auth/registry-access';
import type { Principal } from '../credentials/principal';
import { IdempotencyInterceptor } from '../rest/idempotency.interceptor';
import { ApiAnswer, ApiIdempotencyKey, ApiNoContent, ApiOp, ApiPaging, ApiProblems } from '../rest/rest.api';
import {
  IncidentCommentDto,
  IncidentCommentInputDto,
  IncidentCommentListDto,
  IncidentDto,
  IncidentInputDto,
  IncidentPage,
  IncidentTimelineDto,
  IncidentTransitionDto,
} from './incidents.api';
import { IncidentsService } from './incidents.service';

const TAG = 'Incidents';
const INCIDENT_ID = ApiParam({ name: 'incidentId', description: 'incident id (19 digits)' });

/** REST v1 incidents of a building (owned by incident-service): one-line delegations to IncidentsService. */
@Controller('v1/buildings/:pid/incidents')
@UseGuards(AuthGuard)
@UseInterceptors(IdempotencyInterceptor)
@ApiProblems(400, 401, 403, 404, 429, 503)
@ApiParam({ name: 'pid', description: 'building (project) id' })
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Post()
  @ApiOp(TAG, 'createIncident', 'Create an incident in a zone of the building: open, or assigned to a seat')
  @ApiBody({ type: IncidentInputDto })
  @ApiIdempotencyKey('retry-safe POST')
  @ApiProblems(409)
  @ApiAnswer(201, IncidentDto)
  create(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
    @Body() body: unknown,
  ) {
    return this.incidents.create({ access, principal }, pid, body, new Date());
  }

  @Get()
  @ApiOp(TAG, 'listIncidents', 'Incidents of the building, newest start-by first')
  @ApiQuery({ name: 'zoneId', required: false, type: String, description: 'only this zone’s' })
  @ApiQuery({
    name: 'status',
    required: false,
    type: String,
    description: 'NOT_ASSIGNED, ASSIGNED, STARTED, COMPLETED, INCOMPLETE; comma-separated or repeated',
  })
  @ApiQuery({ name: 'from', required: false, type: String, description: 'start-by at or after (ISO 8601)' })
  @ApiQuery({ name: 'to', required: false, type: String, description: 'start-by before (ISO 8601)' })
  @ApiPaging({ maximum: 1000, description: 'page size, default 100' })
  @ApiAnswer(200, IncidentPage)
  list(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
    @Query() query: Record<string, unknown>,
  ) {
    return this.incidents.list({ access, principal }, pid, query);
  }

  @Get(':incidentId')
  @ApiOp(TAG, 'getIncident', 'One incident of the building')
  @INCIDENT_ID
  @ApiAnswer(200, IncidentDto)
  get(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
    @Param('incidentId') incidentId: string,
  ) {
    return this.incidents.get({ access, principal }, pid, incidentId);
  }

  @Post(':incidentId/transitions')
  @HttpCode(200)
  @ApiOp(
    TAG,
    'transitionIncident',
    'Move an incident along its lifecycle: assign, start, complete, escalate; reassign or reopen (admin). 409 names the rule that refuses it',
  )
  @INCIDENT_ID
  @ApiBody({ type: IncidentTransitionDto })
  @ApiIdempotencyKey('retry-safe POST')
  @ApiProblems(409)
  @ApiAnswer(200, IncidentDto)
  transition(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
    @Param('incidentId') incidentId: string,
    @Body() body: unknown,
  ) {
    return this.incidents.transition({ access, principal }, pid, incidentId, body);
  }

  @Get(':incidentId/comments')
  @ApiOp(TAG, 'listIncidentComments', 'Comments of an incident, oldest first')
  @INCIDENT_ID
  @ApiAnswer(200, IncidentCommentListDto)
  comments(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
    @Param('incidentId') incidentId: string,
  ) {
    return this.incidents.comments({ access, principal }, pid, incidentId);
  }

  @Post(':incidentId/comments')
  @ApiOp(TAG, 'addIncidentComment', 'Comment on an incident')
  @INCIDENT_ID
  @ApiBody({ type: IncidentCommentInputDto })
  @ApiIdempotencyKey('retry-safe POST')
  @ApiProblems(409)
  @ApiAnswer(201, IncidentCommentDto)
  addComment(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
    @Param('incidentId') incidentId: string,
    @Body() body: unknown,
  ) {
    return this.incidents.addComment({ access, principal }, pid, incidentId, body);
  }

  @Delete(':incidentId/comments/:commentId')
  @HttpCode(204)
  @ApiOp(TAG, 'deleteIncidentComment', 'Remove a comment of an incident (admin)')
  @INCIDENT_ID
  @ApiParam({ name: 'commentId', description: 'comment id (UUID)' })
  @ApiNoContent('Removed')
  async deleteComment(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
    @Param('incidentId') incidentId: string,
    @Param('commentId') commentId: string,
  ): Promise<void> {
    await this.incidents.deleteComment({ access, principal }, pid, incidentId, commentId);
  }

  @Get(':incidentId/timeline')
  @ApiOp(TAG, 'getIncidentTimeline', 'One entry per transition of an incident, oldest first')
  @INCIDENT_ID
  @ApiAnswer(200, IncidentTimelineDto)
  timeline(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
    @Param('incidentId') incidentId: string,
  ) {
    return this.incidents.timeline({ access, principal }, pid, incidentId);
  }
}
