import type { SeatV1 } from '@matrix/contracts';
import { memberGroups, seatDetails } from './member-views';

const seat = (seatId: string, userGroup: string, status: SeatV1['status'] = 'ACTIVE'): SeatV1 => ({
  seatId,
  org: 'ACME',
  propId: 'hq',
  userName: `name of ${seatId}`,
  userGroup,
  status,
  createdOn: '2026-12-01T08:00:00.000Z',
  modifiedOn: '2026-12-02T09:30:00.000Z',
});

describe('memberGroups', () => {
  it('makes one group per user group, counting its seats active or not, ordered by group id', () => {
    const seats = [
      seat('hq_001', 'HOUSEKEEPING'),
      seat('hq_002', 'FM'),
      seat('hq_003', 'HOUSEKEEPING', 'INACTIVE'),
    ];
    expect(memberGroups('hq', seats)).toEqual([
      { ID: 'hq', GroupId: 'FM', GroupName: 'FM', SeatsAssociated: 1 },
      { ID: 'hq', GroupId: 'HOUSEKEEPING', GroupName: 'HOUSEKEEPING', SeatsAssociated: 2 },
    ]);
  });

  it('answers no groups for a property without seats', () => {
    expect(memberGroups('hq', [])).toEqual([]);
  });
});

describe('seatDetails', () => {
  it('gives the seat in the Seats model with epoch seconds and no profile unless asked', () => {
    expect(seatDetails(seat('hq_001', 'FM'), false)).toEqual({
      SeatId: 'hq_001',
      OrgId: 'ACME',
      PropId: 'hq',
      UserGroup: 'FM',
      MemberGroupId: 'FM',
      Status: 'ACTIVE',
      Created: 1796112000,
      Modified: 1796203800,
    });
  });

  it('adds the profile with the seat’s name when asked', () => {
    expect(seatDetails(seat('hq_001', 'FM'), true)).toMatchObject({
      Profile: { FirstName: 'name of hq_001' },
    });
  });
});
