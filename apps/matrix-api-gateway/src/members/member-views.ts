import type { SeatV1 } from '@matrix/contracts';

/*
 * Seats in the shapes of the Java SDK's `scteamsprop` models (reference §7.4: `Seats`, `User`,
 * `MemberGroup`), PascalCase, epoch seconds. The gateway's seats (owned by incident-service) carry a
 * name, a user group and a status; what the models have beyond that (user accounts, reporting lines,
 * cards, availability) is not held here and is left out, as absent values are in the documented examples.
 */

const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/**
 * A property's member groups. Seats here belong to a user group (HOUSEKEEPING, FM, …) and to nothing
 * else, so each user group in use is a member group: `GroupId` = `GroupName` = the user group, and
 * `SeatsAssociated` counts its seats (active or not), by group id.
 */
export function memberGroups(propId: string, seats: readonly SeatV1[]): Record<string, unknown>[] {
  const counts = new Map<string, number>();
  for (const seat of seats) counts.set(seat.userGroup, (counts.get(seat.userGroup) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, count]) => ({ ID: propId, GroupId: group, GroupName: group, SeatsAssociated: count }));
}

/**
 * A seat as the `Seats` model; with `Profile` (the `User` model) when asked for. A seat holds one name,
 * so the profile's `FirstName` is the whole of it.
 */
export function seatDetails(seat: SeatV1, withProfile: boolean): Record<string, unknown> {
  return {
    SeatId: seat.seatId,
    OrgId: seat.org,
    PropId: seat.propId,
    UserGroup: seat.userGroup,
    MemberGroupId: seat.userGroup,
    Status: seat.status,
    Created: epoch(seat.createdOn),
    Modified: epoch(seat.modifiedOn),
    ...(withProfile ? { Profile: { FirstName: seat.userName } } : {}),
  };
}
