import 'reflect-metadata';
import { runMigrations } from '@matrix/persistence';
import { databaseConfig, databaseEnv, loadEnv, runCommand, runService } from '@matrix/platform';
import { AppModule } from './app.module';
import { loadConfig } from './config/matrix-api-gateway.config';
import { runBootstrapCommand } from './credentials/bootstrap.command';
import { gatewayHttpAdapter } from './gateway-http-adapter';
import { persistenceOptions } from './persistence-options';

void runCommand(process.argv, {
  serve: async () => {
    const config = loadConfig();
    await runService(AppModule.forRoot(config), {
      ...config,
      httpAdapter: gatewayHttpAdapter(),
      bodyParser: false,
    });
  },
  migrate: async () => {
    // Migrations need only the database: no secret key, no NATS.
    const ran = await runMigrations(
      persistenceOptions({ service: 'matrix-api-gateway', db: databaseConfig(loadEnv(databaseEnv)) }),
    );
    process.stdout.write(
      `matrix-api-gateway: ${ran.length} migration(s) run${ran.length ? `: ${ran.join(', ')}` : ''}\n`,
    );
  },
  bootstrap: () => runBootstrapCommand(process.argv.slice(3), process.env),
});
