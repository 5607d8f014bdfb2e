import { Injectable } from '@nestjs/common';
import type { ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';
import { escalationLevelName } from './incident-lifecycle';
import { matrixIncident } from './incident-row';
import { IncidentsRepository, type CommentRow } from './incidents.repository';
import { field, object, optionalText, text } from '../ops/args';
import { addressOf, incidentLabel } from './incident-ops';
import { allow, notFound, seconds, type OpGroup, type OpTable } from '../ops/op-table';

const matrixComment = (row: CommentRow) => ({
  CommentId: row.comment_id,
  IncidentId: row.task_id,
  Comment: row.comment,
  UserName: row.user_name,
  CreatedOn: seconds(row.created_on),
  ModifiedOn: seconds(row.modified_on),
});

/** What is recorded on an incident: its comments, its timeline, its attachments. */
@Injectable()
export class CommentActions implements OpGroup {
  readonly ops: OpTable = {
    'scteams.updateIncidentComment': (c, now) => this.updateComment(c, now),
    'scteams.listIncidentComments': (c) => this.listComments(c),
    'scteams.adminDeleteIncidentComment': (c) => this.deleteComment(c),
    'scteams.getIncidentTimeline': (c) => this.timeline(c),
    'scteams.updateUnassignedIncidentAttachments': (c, now) => this.setAttachments(c, now),
  };

  constructor(private readonly incidents: IncidentsRepository) {}

  /** The incident a comment op names: by `zoneId` (open) or `SeatId` (+ `ShiftID`, assigned), or by id alone. */
  private async commented(command: ActionCommandV1): Promise<string> {
    const address = addressOf(command, 'IncidentId', false);
    const row = await this.incidents.find(address);
    const seatId = optionalText(command.args, 'SeatId');
    const shiftId = optionalText(command.args, 'ShiftID');
    if (
      !row ||
      (seatId !== undefined && row.seat_id !== seatId) ||
      (shiftId !== undefined && row.shift_id !== shiftId)
    ) {
      throw notFound(incidentLabel(address));
    }
    return row.task_id;
  }

  private async updateComment(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const comment = object(command.args, 'IncidentComment');
    const commentId = optionalText(comment, 'CommentId', 'IncidentComment.CommentId');
    if (commentId !== undefined && !/^[0-9a-f-]{36}$/i.test(commentId)) {
      throw new CommandError('WRONG_PARAMETERS', 'IncidentComment.CommentId: must be a comment id');
    }
    const body = text(comment, 'Comment', 'IncidentComment.Comment');
    const userName = text(comment, 'UserName', 'IncidentComment.UserName');
    const taskId = await this.commented(command);
    const row = await this.incidents.upsertComment(
      taskId,
      commentId,
      { text: body, userName, by: command.caller.accessKey },
      now,
    );
    if (!row) throw notFound(`comment ${commentId}`);
    return { message: commentId ? 'Comment updated' : 'Comment added', data: matrixComment(row) };
  }

  private async listComments(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const taskId = await this.commented(command);
    return { data: (await this.incidents.comments(taskId)).map(matrixComment) };
  }

  private async deleteComment(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    allow(command, 'admin');
    const comment = object(command.args, 'IncidentComment');
    const commentId = text(comment, 'CommentId', 'IncidentComment.CommentId');
    const taskId = await this.commented(command);
    if (!/^[0-9a-f-]{36}$/i.test(commentId) || !(await this.incidents.deleteComment(taskId, commentId))) {
      throw notFound(`comment ${commentId}`);
    }
    return { message: 'Comment deleted', data: { IncidentId: taskId, CommentId: commentId } };
  }

  private async timeline(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const address = addressOf(command, 'IncidentId', true);
    const row = await this.incidents.find(address);
    if (!row) throw notFound(incidentLabel(address));
    const steps = await this.incidents.timeline(row.task_id);
    return {
      data: steps.map((step) => ({
        Action: step.transition,
        From: step.from_status,
        Status: step.to_status,
        EscalationLevel: escalationLevelName(step.escalation_level),
        SeatId: step.seat_id,
        By: step.by_key,
        Time: Number(step.at),
      })),
    };
  }

  /** `Attachments`: the incident's list of attachment URLs, replaced whole (at most 20, each ≤ 2,048 characters). */
  private async setAttachments(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const address = addressOf(command, 'IncidentId', true);
    const list = field(command.args, 'Attachments');
    if (list === undefined) throw new CommandError('MISSING_PARAMETERS', 'Attachments: is required');
    if (!Array.isArray(list) || list.length > 20) {
      throw new CommandError('WRONG_PARAMETERS', 'Attachments: must be a list of at most 20 URLs');
    }
    list.forEach((item, i) => {
      if (typeof item !== 'string' || item === '' || item.length > 2048) {
        throw new CommandError(
          'WRONG_PARAMETERS',
          `Attachments[${i}]: must be a URL of at most 2048 characters`,
        );
      }
    });
    const row = await this.incidents.setAttachments(address, list as string[], now);
    if (!row) throw notFound(incidentLabel(address));
    return { message: 'Attachments updated', data: matrixIncident(row) };
  }
}
