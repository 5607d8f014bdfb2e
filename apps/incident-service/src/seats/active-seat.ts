import type { ActionCommandV1 } from '@matrix/contracts';
import { text } from '../ops/args';
import { building, notFound } from '../ops/op-table';
import type { SeatsRepository } from './seats.repository';

/** The seat a body names (`SeatId`), active and of the building's property. */
export async function activeSeat(
  seats: SeatsRepository,
  command: ActionCommandV1,
  args = command.args,
  path = 'SeatId',
  key = 'SeatId',
): Promise<string> {
  const seatId = text(args, key, path);
  const seat = await seats.findActive(building(command).propId, seatId);
  if (!seat) throw notFound(`seat ${seatId}`);
  return seatId;
}
