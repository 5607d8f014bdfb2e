import { nkeys } from '@nats-io/transport-node';
import { matrixNatsUsers, natsAuthorizationConfig } from './nats-authorization';
import {
  downstreamPermissions,
  downstreamProblems,
  mayPublish,
  natsInboxPrefix,
  servicePermissions,
  subjectMatches,
} from './permissions';
import {
  EVENT_ROUTER_ACCESS,
  INCIDENT_SERVICE_ACCESS,
  MATRIX_API_GATEWAY_ACCESS,
  MATRIX_SERVICE_ACCESS,
  PUSH_INGRESS_ACCESS,
  SENSOR_NORMALISER_ACCESS,
  SQL_PROJECTOR_ACCESS,
} from './service-access';
import { Namespace } from './topology.types';

const ROOT = Namespace.ROOT;
const publicKey = (): string => nkeys.createUser().getPublicKey();

describe('subjectMatches', () => {
  it.each([
    ['sensor.raw.>', 'sensor.raw.SMARTCLEAN.k1', true],
    ['sensor.raw.>', 'sensor.raw', false],
    ['matrix.*.scgrids.>', 'matrix.b1.scgrids.ZONE_CREATED.NORMAL', true],
    ['matrix.*.scgrids.>', 'matrix.b1.scworkforcemanagement.TASK_STARTED.NORMAL', false],
    ['$JS.API.INFO', '$JS.API.INFO', true],
    ['$JS.API.CONSUMER.INFO.S.*', '$JS.API.CONSUMER.INFO.S.d.x', false],
  ])('%s matches %s: %s', (pattern, subject, expected) => {
    expect(subjectMatches(pattern, subject)).toBe(expected);
  });
});

describe('service permissions', () => {
  it.each(
    (
      [
        [PUSH_INGRESS_ACCESS, 'sensor.raw.SMARTCLEAN.key1', true],
        [PUSH_INGRESS_ACCESS, 'matrix.b1.scgrids.ZONE_CREATED.NORMAL', false],
        [PUSH_INGRESS_ACCESS, 'sensor.data.b1.SMARTCLEAN.PPLCTR', false],
        [PUSH_INGRESS_ACCESS, '$KV.INGEST_KEYS.key1', false],
        [PUSH_INGRESS_ACCESS, '$JS.API.STREAM.MSG.GET.KV_INGEST_KEYS', true],
        [SENSOR_NORMALISER_ACCESS, 'sensor.data.b1.SMARTCLEAN.PPLCTR', true],
        [SENSOR_NORMALISER_ACCESS, 'sensor.rejected.unknown_device', true],
        [SENSOR_NORMALISER_ACCESS, '$KV.INGEST_KEYS.key1', false],
        [SENSOR_NORMALISER_ACCESS, '$KV.DEVICE_SLOTS.alias', false],
        [SENSOR_NORMALISER_ACCESS, '$JS.API.CONSUMER.MSG.NEXT.SENSOR_RAW.sensor-normaliser-raw', true],
        [SENSOR_NORMALISER_ACCESS, '$JS.API.CONSUMER.MSG.NEXT.SENSOR_DATA.sql-projector-sensor-data', false],
        [SENSOR_NORMALISER_ACCESS, '$JS.ACK.SENSOR_RAW.sensor-normaliser-raw.1.2.3.4.5', true],
        [SENSOR_NORMALISER_ACCESS, 'dlq.sensor.raw.SMARTCLEAN.key1', true],
        [SENSOR_NORMALISER_ACCESS, '$JS.API.STREAM.DELETE.SENSOR_RAW', false],
        [MATRIX_API_GATEWAY_ACCESS, '$KV.INGEST_KEYS.key1', true],
        [MATRIX_API_GATEWAY_ACCESS, 'matrix.b1.scgrids.ZONE_CREATED.NORMAL', true],
        [MATRIX_API_GATEWAY_ACCESS, 'matrix.b1.scworkforcemanagement.INCIDENT_CREATED.HIGH', false],
        [MATRIX_API_GATEWAY_ACCESS, 'workforce.action.call.v1', true],
        [MATRIX_API_GATEWAY_ACCESS, '$JS.API.STREAM.INFO.KV_CONSUMER_LEASES', true],
        [MATRIX_API_GATEWAY_ACCESS, '$JS.API.STREAM.MSG.GET.KV_CONSUMER_LEASES', false],
        [PUSH_INGRESS_ACCESS, '$JS.API.STREAM.INFO.KV_CONSUMER_LEASES', false],
        [INCIDENT_SERVICE_ACCESS, 'matrix.b1.scworkforcemanagement.INCIDENT_CREATED.HIGH', true],
        [INCIDENT_SERVICE_ACCESS, 'matrix.b1.eventrouter.SUBSCRIPTION_DISABLED.HIGH', false],
        [EVENT_ROUTER_ACCESS, 'matrix.org1.eventrouter.SUBSCRIPTION_DISABLED.HIGH', true],
        [EVENT_ROUTER_ACCESS, 'dlq.router.webhook.sub-1', true],
        [EVENT_ROUTER_ACCESS, '$JS.API.CONSUMER.CREATE.MATRIX_EVENTS.replay_1.matrix.>', true],
        [SQL_PROJECTOR_ACCESS, 'sensor.data.b1.SMARTCLEAN.PPLCTR', false],
        [SQL_PROJECTOR_ACCESS, '$JS.API.CONSUMER.INFO.SENSOR_DATA.sql-projector-sensor-data', true],
      ] as const
    ).map(([access, subject, expected]) => [access.name, subject, expected, access] as const),
  )('%s publishes %s: %s', (_name, subject, expected, access) => {
    expect(mayPublish(servicePermissions(access, ROOT), subject)).toBe(expected);
  });

  it('prefixes every subject, stream and durable with the namespace', () => {
    const ns = new Namespace('blue');
    const permissions = servicePermissions(SENSOR_NORMALISER_ACCESS, ns);
    expect(mayPublish(permissions, 'blue.sensor.data.b1.SMARTCLEAN.PPLCTR')).toBe(true);
    expect(mayPublish(permissions, 'sensor.data.b1.SMARTCLEAN.PPLCTR')).toBe(false);
    expect(
      mayPublish(permissions, '$JS.API.CONSUMER.MSG.NEXT.BLUE_SENSOR_RAW.blue-sensor-normaliser-raw'),
    ).toBe(true);
    expect(mayPublish(permissions, '$JS.API.STREAM.INFO.KV_BLUE_DEVICE_SLOTS')).toBe(true);
    expect(permissions.subscribe).toContain('_INBOX_blue-sensor-normaliser.>');
  });

  it('subscribes to its own inbox and the commands it serves, and answers only those that serve', () => {
    const router = servicePermissions(EVENT_ROUTER_ACCESS, ROOT);
    expect(router.subscribe).toContain('_INBOX_event-router.>');
    expect(router.subscribe).toContain('router.subscription.create.v1');
    expect(router.subscribe.some((s) => s.startsWith('_INBOX.'))).toBe(false);
    expect(router.allowResponses).toBe(true);
    expect(servicePermissions(PUSH_INGRESS_ACCESS, ROOT).allowResponses).toBe(false);
  });

  it("lets no service but the gateway write the registry's KV buckets, and only sensor-normaliser its leases", () => {
    for (const access of MATRIX_SERVICE_ACCESS) {
      const writes = servicePermissions(access, ROOT).publish.filter((s) => s.startsWith('$KV.'));
      expect([access.name, writes]).toEqual([
        access.name,
        access === MATRIX_API_GATEWAY_ACCESS
          ? ['$KV.DEVICE_SLOTS.>', '$KV.INGEST_KEYS.>', '$KV.PRINCIPALS.>']
          : access === SENSOR_NORMALISER_ACCESS
            ? ['$KV.CONSUMER_LEASES.>']
            : [],
      ]);
    }
  });
});

describe('downstream permissions', () => {
  const team = { name: 'cleaning-team', durables: ['cleaning-team-board'] };

  it('reads the public streams through its own durables and publishes nothing into them', () => {
    const permissions = downstreamPermissions(team, ROOT);
    expect(permissions.subscribe).toEqual(['_INBOX_cleaning-team.>', 'matrix.>', 'sensor.data.>']);
    for (const subject of [
      '$JS.API.CONSUMER.CREATE.MATRIX_EVENTS.cleaning-team-board.matrix.>',
      '$JS.API.CONSUMER.MSG.NEXT.SENSOR_DATA.cleaning-team-board',
      '$JS.ACK.MATRIX_EVENTS.cleaning-team-board.1.2.3.4.5',
    ]) {
      expect([subject, mayPublish(permissions, subject)]).toEqual([subject, true]);
    }
    for (const subject of [
      'matrix.b1.scgrids.ZONE_CREATED.NORMAL',
      'sensor.data.b1.SMARTCLEAN.PPLCTR',
      '$KV.INGEST_KEYS.k',
      '$JS.API.CONSUMER.MSG.NEXT.MATRIX_EVENTS.sql-projector-matrix-events',
      '$JS.API.CONSUMER.CREATE.SENSOR_RAW.cleaning-team-board',
      '$JS.API.CONSUMER.CREATE.MATRIX_EVENTS.other-board',
      '$JS.API.STREAM.DELETE.MATRIX_EVENTS',
    ]) {
      expect([subject, mayPublish(permissions, subject)]).toEqual([subject, false]);
    }
  });

  it('names what is wrong with a declaration', () => {
    expect(downstreamProblems(team, ['push-ingress'])).toEqual([]);
    expect(
      downstreamProblems({ name: 'push-ingress', durables: ['board', 'push-ingress-x.y'] }, ['push-ingress']),
    ).toEqual([
      'downstream user "push-ingress" is the name of a Matrix user',
      'durable "board" of push-ingress must start with "push-ingress-"',
      'durable "push-ingress-x.y" must match /^[A-Za-z0-9_-]+$/',
    ]);
  });
});

describe('the generated authorization block', () => {
  it('has every Matrix user and the downstream teams, with their keys', () => {
    const keys: Record<string, string> = {};
    for (const name of [...MATRIX_SERVICE_ACCESS.map((a) => a.name), 'matrix-cli', 'cleaning-team']) {
      keys[name] = publicKey();
    }
    const users = matrixNatsUsers(keys, ROOT, [{ name: 'cleaning-team', durables: ['cleaning-team-board'] }]);
    expect(users.map((u) => `${u.name}:${u.kind}`)).toEqual([
      'matrix-api-gateway:service',
      'push-ingress:service',
      'sensor-normaliser:service',
      'sql-projector:service',
      'event-router:service',
      'incident-service:service',
      'matrix-cli:admin',
      'cleaning-team:downstream',
    ]);
    const text = natsAuthorizationConfig(users, ROOT);
    expect(text).toContain(`nkey: "${keys['push-ingress']}"`);
    expect(text).toContain('subscribe: { allow: ["_INBOX_push-ingress.>"] }');
    expect(text.match(/nkey: /g)).toHaveLength(8);
  });

  it('names every missing or bad key at once', () => {
    expect(() => matrixNatsUsers({ 'push-ingress': 'SUAXYZ' }, ROOT)).toThrow(
      /no public key for matrix-api-gateway[\s\S]*the key of push-ingress is not an nkey user public key[\s\S]*no public key for matrix-cli/,
    );
  });

  it('refuses one key for two users', () => {
    const key = publicKey();
    const keys = Object.fromEntries(
      [...MATRIX_SERVICE_ACCESS.map((a) => a.name), 'matrix-cli'].map((name) => [name, publicKey()]),
    );
    expect(() => matrixNatsUsers({ ...keys, 'push-ingress': key, 'event-router': key }, ROOT)).toThrow(
      /one key is given to push-ingress and event-router/,
    );
  });
});

describe('natsInboxPrefix', () => {
  it('is the user name, namespaced, and refuses a name that is not one subject token', () => {
    expect(natsInboxPrefix('push-ingress', ROOT)).toBe('_INBOX_push-ingress');
    expect(natsInboxPrefix('push-ingress', new Namespace('blue'))).toBe('_INBOX_blue-push-ingress');
    expect(() => natsInboxPrefix('a.b', ROOT)).toThrow(/NATS user "a.b"/);
  });
});
