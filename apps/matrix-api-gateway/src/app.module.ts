import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ATTENDANCE_ACTIONS_SUBJECT, WORKFORCE_ACTIONS_SUBJECT } from '@matrix/contracts';
import { MessagingModule } from '@matrix/messaging';
import { PersistenceModule } from '@matrix/persistence';
import { PlatformModule } from '@matrix/platform';
import type { ActionModuleDeclaration } from './actions/action-modules';
import { ActionsModule } from './actions/actions.module';
import { AuthModule } from './auth/auth.module';
import { EventLogsModule } from './event-logs/event-logs.module';
import { GATEWAY_CONFIG } from './config/gateway-config.token';
import type { MatrixApiGatewayConfig } from './config/matrix-api-gateway.config';
import { ServiceDiscoveryModule } from './discovery/service-discovery.module';
import { GatewayExceptionFilter } from './gateway-exception.filter';
import { IncidentsModule } from './incidents/incidents.module';
import { IngestKeysModule } from './ingest-keys/ingest-keys.module';
import { JetStreamCapacityModule } from './jetstream-capacity/jetstream-capacity.module';
import { MembersActions } from './members/members.actions';
import { MembersModule } from './members/members.module';
import { persistenceOptions } from './persistence-options';
import { PropertyAccessKeysModule } from './access-keys/property-access-keys.module';
import { DeviceManagementActions } from './registry/device-management.actions';
import { GridsActions } from './registry/grids.actions';
import { RegistryModule } from './registry/registry.module';
import { RestModule } from './rest/rest.module';
import { SeatsModule } from './seats/seats.module';
import { MetricsActions } from './sensor-data/metrics.actions';
import { SensorDataModule } from './sensor-data/sensor-data.module';
import { SqlRolesModule } from './sql-roles/sql-roles.module';
import { SqlSinksModule } from './sql-sinks/sql-sinks.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import { WorkforceModule } from './workforce/workforce.module';

/**
 * The workforce module (`scworkforcemanagement`, ops `scteams.*`), owned by incident-service: the gateway
 * resolves the building and the zones the documented bodies name (`zoneId`/`ZoneID`, `Incident.Zone`, `Taskgroup.Zone`, a timesheet's `TimeSheet.Zones`, …).
 */
export const WORKFORCE_ACTIONS: ActionModuleDeclaration = {
  module: 'scworkforcemanagement',
  opPrefix: 'scteams.',
  forwardTo: WORKFORCE_ACTIONS_SUBJECT,
  resolve: {
    zoneKeys: [
      'zoneId',
      'zoneId[]',
      'Incident.Zone',
      'Taskgroup.Zone',
      'UpdateIncident.Zones.NewZoneId',
      'SeatAvailabilityZones.Zones.*{}',
      'Availabilities[].Zones{}',
      'Schedule[].shift.Zones{}',
      'Schedule[].taskGroup[].Zone',
      'Zones{}',
      'Shift.Zones{}',
      'TaskGroups[].Zone',
      'AddTaskGroups[].Zone',
      'TimeSheet.Zones{}',
    ],
  },
};

/**
 * The attendance module (`attendance`, ops `scattendance.*`, reference §4.7), owned by incident-service
 * (shifts): the gateway resolves the building a `pid` names, or the property of a call without one.
 */
export const ATTENDANCE_ACTIONS: ActionModuleDeclaration = {
  module: 'attendance',
  opPrefix: 'scattendance.',
  forwardTo: ATTENDANCE_ACTIONS_SUBJECT,
  resolve: { zoneKeys: [] },
};

/**
 * The modules of the Matrix actions API: served here by a feature's handler, or forwarded to the service
 * that owns the data (e.g. `{ module: 'scworkforcemanagement', opPrefix: 'scteams.', forwardTo: <subject> }`).
 */
export const ACTION_MODULES: readonly ActionModuleDeclaration[] = [
  GridsActions,
  DeviceManagementActions,
  MembersActions,
  MetricsActions,
  WORKFORCE_ACTIONS,
  ATTENDANCE_ACTIONS,
];

/** Options of {@link AppModule.forRoot} beyond the configuration (tests). */
export interface AppModuleOptions {
  /** The actions API's modules (default {@link ACTION_MODULES}); a test adds a forwarded one. */
  readonly actionModules?: readonly ActionModuleDeclaration[];
}

@Module({})
export class AppModule {
  static forRoot(config: MatrixApiGatewayConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        ActionsModule.forRoot({
          imports: [MembersModule, RegistryModule, SensorDataModule],
          modules: options.actionModules ?? ACTION_MODULES,
        }),
        AuthModule.forRoot(config.auth),
        EventLogsModule,
        IncidentsModule,
        IngestKeysModule,
        JetStreamCapacityModule,
        MessagingModule.forRoot({ ...config.nats, name: config.service }),
        PersistenceModule.forRoot(persistenceOptions(config)),
        PlatformModule.forRoot({ service: config.service, logLevel: config.logLevel }),
        PropertyAccessKeysModule,
        RegistryModule,
        RestModule,
        SeatsModule,
        SensorDataModule,
        ServiceDiscoveryModule.forRoot(options.actionModules ?? ACTION_MODULES),
        SqlRolesModule,
        SqlSinksModule,
        SubscriptionsModule,
        WorkforceModule,
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: GatewayExceptionFilter },
      ],
      exports: [GATEWAY_CONFIG],
    };
  }
}
