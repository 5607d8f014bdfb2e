/*
 * ⚠️ The `Meta` of the shift events of the Matrix Event Bus (module `scworkforcemanagement`), which the
 * Matrix documentation leaves open (it documents only the incident `Meta`, §2.4): `SHIFT_STARTED`,
 * `SHIFT_COMPLETED`, `SHIFT_DELAYED`, `SHIFT_ABSENT` carry one {@link ShiftEventMetaV1};
 * `SHIFTS_PUBLISHED` (one per publish call) carries {@link ShiftsPublishedMetaV1}. Subscribers read these
 * fields: additive changes only (a new optional field); a breaking change is a `…V2` beside this one.
 */

export const SHIFT_STATUSES_V1 = [
  'UNPUBLISHED',
  'PUBLISHED',
  'STARTED',
  'COMPLETED',
  'ABSENT',
  'ON_LEAVE',
] as const;
export type ShiftStatusV1 = (typeof SHIFT_STATUSES_V1)[number];

/** The shift events and their documented priorities (the Matrix documentation, §2.3). */
export const SHIFT_EVENT_IDS_V1 = [
  'SHIFTS_PUBLISHED',
  'SHIFT_STARTED',
  'SHIFT_DELAYED',
  'SHIFT_ABSENT',
  'SHIFT_COMPLETED',
] as const;
export type ShiftEventIdV1 = (typeof SHIFT_EVENT_IDS_V1)[number];

/** One shift, as its events describe it: ids, seat, zones, planned and actual times, status. */
export interface ShiftEventMetaV1 {
  /** Always `SHIFT`. */
  Type: 'SHIFT';
  /** UUID of the shift. */
  ShiftId: string;
  /** The seat (person) working it, `<propid>_<nnn>`. */
  SeatId: string;
  /** Building id (the event's principal). */
  ID: string;
  /** Property id. */
  PropID: string;
  /** The status after the change. */
  Status: ShiftStatusV1;
  /** Started (or still not started) later than Start + DELAYED_SHIFT_THRESHOLD. */
  Delayed: boolean;
  /** Planned start and end, epoch seconds. */
  Start: number;
  End: number;
  /** Actual clock-in and clock-out, epoch seconds; 0 until they happen. */
  AStart: number;
  AEnd: number;
  /** IANA time zone of the shift. */
  TimeZone: string;
  /** The planned start as the shift's wall clock shows it, `YYYYMMDDHHMMSS`. */
  LocalTime: string;
  /** Zone id → zone name of the zones it serves; empty = every zone of the building. */
  Zones: Record<string, string>;
  /** An ad hoc (unscheduled) shift. */
  Adhoc: boolean;
  /** The TaskIds of its task groups. */
  TaskGroups: string[];
  /** Who caused the change: the API access key, or `shift-timer` for a deadline. */
  By: string;
}

/** `SHIFTS_PUBLISHED`: the shifts one publish call published (at most 200), in start order. */
export interface ShiftsPublishedMetaV1 {
  Type: 'SHIFTS';
  /** Building id (the event's principal). */
  ID: string;
  PropID: string;
  /** How many shifts the call published (= `Shifts.length`). */
  Count: number;
  Shifts: Omit<ShiftEventMetaV1, 'By'>[];
  By: string;
}
