import 'reflect-metadata';
import { runCommand, runService } from '@matrix/platform';
import { AppModule } from './app.module';
import { loadConfig } from './config/sensor-normaliser.config';

void runCommand(process.argv, {
  serve: async () => {
    const config = loadConfig();
    await runService(AppModule.forRoot(config), config);
  },
});
