import { Injectable } from '@nestjs/common';
import type {
  ActionDefinition,
  ActionRequest,
  ActionResult,
  LocalActionModule,
} from '../actions/action.types';
import { CaselessBody } from '../actions/caseless-body';
import { notFound } from '../registry/registry-error';
import { SeatsService } from '../seats/seats.service';
import { memberGroups, seatDetails } from './member-views';

// The module's envelope: the Java SDK reads `scteamsprop` answers into `SCTPServiceResponse`, whose fields
// are `status` (a string), `message` and `data` — where the workforce module's `ServiceResponse` has `code`.
// The reference documents no example, so `status` carries the workforce module's success value.
const success = (message: string, data: unknown): ActionResult => ({
  envelope: { status: 'SUCCESS', message, data },
});

const propertyOf = (request: ActionRequest) => request.propid ?? request.access.propId ?? '';

/**
 * The members module (`scteamsprop`, ops `scpropteams.*`; reference §4.8, §6): the property's member
 * groups and a seat's details, from the seats incident-service holds (read through SeatsService, which
 * checks the caller may read the property: another tenant's is NOT_FOUND).
 */
export function membersActions(seats: SeatsService): Record<string, ActionDefinition> {
  return {
    // Python SDK `SCPropTeams.getMemberGroup(org, pid, propid)`: no body (`null`), the property in propid.
    'scpropteams.getMemberGroup': {
      module: 'scteamsprop',
      target: 'propid',
      async handle(request) {
        const propId = propertyOf(request);
        const { items } = await seats.list(request.access, propId);
        return success('Successfully fetched member groups', memberGroups(propId, items));
      },
    },
    // Java SDK `getUserDetailsBySeatIdRequestObject(seatId, withProfile)`: `{"SeatId", "WithProfile"}`.
    'scpropteams.getUserDetailsForSeatId': {
      module: 'scteamsprop',
      target: 'propid',
      async handle(request) {
        const body = new CaselessBody(request.body);
        const seatId = body.text('SeatId', true);
        const withProfile = body.flag('WithProfile');
        const { items } = await seats.list(request.access, propertyOf(request));
        const seat = items.find((s) => s.seatId === seatId);
        if (!seat) throw notFound('seat', seatId);
        return success('Successfully fetched user details', seatDetails(seat, withProfile));
      },
    },
  };
}

/** The `scteamsprop` module of the actions API, served here from the seats incident-service owns. */
@Injectable()
export class MembersActions implements LocalActionModule {
  readonly module = 'scteamsprop';
  readonly ops: Record<string, ActionDefinition>;

  constructor(seats: SeatsService) {
    this.ops = membersActions(seats);
  }
}
