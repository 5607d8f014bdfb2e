/*
 * ⚠️ The attendance module of the Matrix actions API (`attendance`, ops `scattendance.*`, reference §4.7):
 * third-party clock-in/out (kiosks, fingerprint or face-recognition terminals). The gateway forwards its
 * calls to incident-service, which owns shifts, as the same `ActionCommandV1` as the workforce module on
 * its own subject (`actionCommandV1(ATTENDANCE_ACTIONS_SUBJECT)`). The subject is a persistent name: the
 * gateway and incident-service of one deployment must agree on it.
 */

/** The command subject of the attendance module (`attendance`, ops `scattendance.*`), served by incident-service. */
export const ATTENDANCE_ACTIONS_SUBJECT = 'attendance.action.call.v1';

/** The clock events an integration sends (`scattendance.attendanceEvent` `Event`). */
export const ATTENDANCE_EVENT_TYPES_V1 = ['CLOCK_IN', 'CLOCK_OUT'] as const;
export type AttendanceEventTypeV1 = (typeof ATTENDANCE_EVENT_TYPES_V1)[number];

/** An attendance integration as `scattendance.readIntegration` answers it (reference §4.7). */
export interface AttendanceIntegrationV1 {
  Org: string;
  IntegrationId: string;
  /** The building an event is applied in when the call names none (`pid=scnoop`). */
  DefaultPID: string;
  /** The property. */
  ID: string;
  /** The integration's person id → the Matrix SeatId it clocks. */
  UserMap: Record<string, string>;
  Description: string;
  /** Epoch seconds. */
  Updated: number;
  Created: number;
}

/** `output` of `scattendance.attendanceEvent` (reference §4.7): the event as applied to the Matrix seat. */
export interface AttendanceEventOutputV1 {
  /** The Matrix seat (as `MatrixSeatId`). */
  ID: string;
  Event: AttendanceEventTypeV1;
  /** Epoch seconds: the body's `Time`, or when the event was received. */
  Time: number;
  IntegrationId: string;
  PropId: string;
  Org: string;
  PID: string;
  /** The integration's own person id (the body's `ID`). */
  SourceSeatId: string;
  MatrixSeatId: string;
  /** Ours (not in the reference): the shift the event started or ended. */
  ShiftId: string;
}
