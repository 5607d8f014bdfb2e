import { iso } from '../workforce/inputs';
/*
 * REST v1 views of what incident-service answers in the documented (Matrix) shapes: camelCase, ISO 8601
 * times, `null` for "none" (an open incident's seat `tbp`, a time 0).
 */

type Matrix = Record<string, unknown>;

const orNull = (value: unknown) => (value === undefined || value === '' || value === 'tbp' ? null : value);

export function incidentView(m: Matrix) {
  return {
    incidentId: m['TaskId'] as string,
    pid: m['ID'] as string,
    propId: m['PropID'] as string,
    org: m['Org'] as string,
    zoneId: m['Zone'] as string,
    zoneName: m['ZoneName'] as string,
    zoneCategoryId: orNull(m['ZoneCatId']) as string | null,
    name: m['Name'] as string,
    description: orNull(m['Description']) as string | null,
    priority: m['Priority'] as string,
    status: m['Status'] as string,
    seatId: orNull(m['SeatId']) as string | null,
    escalationLevel: m['EscalationLevel'] as string,
    startBy: iso(m['Start']),
    due: iso(m['End']),
    startedAt: iso(m['AStart']),
    endedAt: iso(m['AEnd']),
    tasks: ((m['Tasks'] as { Name: string; Done: boolean }[]) ?? []).map((t) => ({
      name: t.Name,
      done: t.Done,
    })),
    attachments: (m['Attachments'] as string[]) ?? [],
    eventSource: orNull(m['EventSource']) as string | null,
    reportedBy: orNull(m['By']) as string | null,
    autoAssigned: m['AutoAssigned'] === true,
    createdOn: iso(m['CreatedOn']),
    modifiedOn: iso(m['ModifiedOn']),
  };
}

export const commentView = (m: Matrix) => ({
  commentId: m['CommentId'] as string,
  incidentId: m['IncidentId'] as string,
  comment: m['Comment'] as string,
  userName: m['UserName'] as string,
  createdOn: iso(m['CreatedOn']),
  modifiedOn: iso(m['ModifiedOn']),
});

export const timelineEntryView = (m: Matrix) => ({
  action: m['Action'] as string,
  from: (m['From'] as string | null) ?? null,
  status: m['Status'] as string,
  escalationLevel: m['EscalationLevel'] as string,
  seatId: orNull(m['SeatId']) as string | null,
  by: m['By'] as string,
  at: iso(m['Time']),
});
