import { actionCommandV1, type ActionCommandV1 } from './action-command.v1';

const spec = actionCommandV1('workforce.action.call.v1', 2_000);
const command: ActionCommandV1 = {
  module: 'scworkforcemanagement',
  op: 'scteams.listTeams',
  org: 'ACME',
  pid: 'scnoop',
  propid: 'p1',
  args: {},
  caller: { accessKey: 'AK', org: 'ACME', property: null, role: 'read' },
};

describe('the actions command (v1)', () => {
  it('is a command spec at the subject with the timeout given', () => {
    expect(spec.subject).toBe('workforce.action.call.v1');
    expect(spec.timeoutMs).toBe(2_000);
    expect(actionCommandV1('x.y.z.v1')).not.toHaveProperty('timeoutMs');
  });

  it('takes a call with its arguments and caller', () => {
    expect(spec.decodeRequest(command, spec.subject)).toEqual({ ok: true, value: command });
  });

  it('refuses a call that names no op, no arguments object or no caller, listing each problem', () => {
    const decoded = spec.decodeRequest(
      { ...command, op: '', args: [], caller: { org: 'ACME' } },
      spec.subject,
    );
    expect(decoded).toEqual({
      ok: false,
      errors: [
        'op: must be a non-empty string',
        'args: must be an object',
        'caller: must name the access key and organisation',
      ],
    });
    expect(spec.decodeRequest(null, spec.subject)).toEqual({
      ok: false,
      errors: ['request: must be an object'],
    });
  });

  it('takes the building and zones the gateway resolved, and refuses incomplete ones', () => {
    const resolved = {
      ...command,
      building: { pid: 'b1', org: 'ACME', propId: 'p1', name: 'HQ', timeZone: 'Asia/Singapore' },
      zones: { z1: { name: 'Washroom 1', categoryId: null } },
      property: { org: 'ACME', propId: 'p1' },
    };
    expect(spec.decodeRequest(resolved, spec.subject)).toEqual({ ok: true, value: resolved });
    expect(
      spec.decodeRequest(
        { ...command, building: { pid: 'b1' }, zones: { z1: 'x' }, property: { org: 'ACME' } },
        spec.subject,
      ),
    ).toEqual({
      ok: false,
      errors: [
        'building: must name the pid, org, propId, name and timeZone',
        'property: must name the org and propId',
        'zones: must map zone ids to their name and category',
      ],
    });
  });

  it('takes a result and refuses one with a status that is not a success', () => {
    const reply = { status: 201, message: 'Created', data: { id: 't1' }, extra: { LEK: 't1' } };
    expect(spec.decodeReply(reply, spec.subject)).toEqual({ ok: true, value: reply });
    expect(spec.decodeReply({ status: 500 }, spec.subject)).toEqual({
      ok: false,
      errors: ['status: must be a 2xx status'],
    });
  });
});
