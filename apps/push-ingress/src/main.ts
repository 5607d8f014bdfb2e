import 'reflect-metadata';
import { runCommand, runService } from '@matrix/platform';
import { AppModule } from './app.module';
import { loadConfig } from './config/push-ingress.config';

void runCommand(process.argv, {
  serve: async () => {
    const config = loadConfig();
    await runService(AppModule.forRoot(config), { ...config, bodyParser: false });
  },
});
