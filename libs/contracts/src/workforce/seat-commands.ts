import type { Checked } from '../subscriptions/subscription.v1';
import { isObject, objectReply, scopedRequest } from './command-decoders';

/*
 * ⚠️ Seats (the Matrix documentation, §7.4 "Seat"): the people of a property who receive incidents,
 * owned by incident-service and managed over the gateway's REST v1 `/v1/properties/{propId}/seats`,
 * which forwards these commands after checking the caller may touch the property.
 */

export const SEAT_STATUSES = ['ACTIVE', 'INACTIVE'] as const;
export type SeatStatusV1 = (typeof SEAT_STATUSES)[number];

/** A seat: `seatId` = `<propId>_<nnn>`, numbered by incident-service in creation order. */
export interface SeatV1 {
  seatId: string;
  org: string;
  propId: string;
  userName: string;
  userGroup: string;
  status: SeatStatusV1;
  createdOn: string;
  modifiedOn: string;
}

export interface SeatInputV1 {
  userName: string;
  userGroup: string;
  status?: SeatStatusV1;
}

export type SeatUpdateV1 = Partial<SeatInputV1>;

export interface SeatScopeV1 {
  org: string;
  propId: string;
}

const FIELDS = ['userName', 'userGroup', 'status'];

/** Checks a seat's input (every field when `partial` is false), naming each problem. */
export function checkSeatInput(json: unknown, partial = false): Checked<SeatInputV1> {
  if (!isObject(json)) return { ok: false, errors: ['body: must be an object'] };
  const problems: string[] = [];
  for (const key of Object.keys(json)) {
    if (!FIELDS.includes(key)) problems.push(`${key}: is not a field of a seat`);
  }
  for (const key of ['userName', 'userGroup'] as const) {
    const value = json[key];
    if (value === undefined) {
      if (!partial) problems.push(`${key}: is required`);
    } else if (typeof value !== 'string' || value.trim() === '' || value.length > 200) {
      problems.push(`${key}: must be a non-empty string of at most 200 characters`);
    }
  }
  if (json.status !== undefined && !(SEAT_STATUSES as readonly unknown[]).includes(json.status)) {
    problems.push(`status: must be one of ${SEAT_STATUSES.join(', ')}`);
  }
  return problems.length
    ? { ok: false, errors: problems }
    : { ok: true, value: json as unknown as SeatInputV1 };
}

const request = <T>(check: (json: Record<string, unknown>, problems: string[]) => void) =>
  scopedRequest<T>(['org', 'propId'], check);
const reply = objectReply;

const input = (partial: boolean) => (json: Record<string, unknown>, problems: string[]) => {
  const checked = checkSeatInput(json.input, partial);
  if (!checked.ok) problems.push(...checked.errors.map((e) => `input.${e}`));
};

/** The seat commands incident-service serves (structurally `CommandSpec`s of @matrix/messaging). */
export const SEAT_COMMANDS = {
  create: {
    subject: 'workforce.seat.create.v1',
    decodeRequest: request<SeatScopeV1 & { input: SeatInputV1 }>(input(false)),
    decodeReply: reply<SeatV1>(),
  },
  list: {
    subject: 'workforce.seat.list.v1',
    decodeRequest: request<SeatScopeV1>(() => undefined),
    decodeReply: reply<{ items: SeatV1[] }>(),
  },
  update: {
    subject: 'workforce.seat.update.v1',
    decodeRequest: request<SeatScopeV1 & { seatId: string; input: SeatUpdateV1 }>((json, problems) => {
      if (typeof json.seatId !== 'string' || json.seatId === '') problems.push('seatId: must be a seat id');
      input(true)(json, problems);
    }),
    decodeReply: reply<SeatV1>(),
  },
  /** Refused (`CONFLICT`) while the seat has an assigned or started incident. */
  delete: {
    subject: 'workforce.seat.delete.v1',
    decodeRequest: request<SeatScopeV1 & { seatId: string; by: string }>((json, problems) => {
      if (typeof json.seatId !== 'string' || json.seatId === '') problems.push('seatId: must be a seat id');
      if (typeof json.by !== 'string' || json.by === '') problems.push('by: must name the caller');
    }),
    decodeReply: reply<{ seatId: string }>(),
  },
} as const;
