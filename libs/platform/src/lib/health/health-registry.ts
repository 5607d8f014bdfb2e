import { Injectable } from '@nestjs/common';

export type ReadinessCheck = () => Promise<void>;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
}

/** Dependencies (NATS, PostgreSQL, …) register what "ready" means for them. */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();
  private shuttingDown = false;

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** From now on the service reports not ready, so the load balancer stops sending it work. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  async readiness(timeoutMs = 2000): Promise<ReadinessReport> {
    const report: ReadinessReport = { ready: !this.shuttingDown, checks: {} };
    if (this.shuttingDown) report.checks['shutdown'] = { ok: false, error: 'shutting down' };
    await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            check(),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
            }),
          ]);
          report.checks[name] = { ok: true };
        } catch (error) {
          report.ready = false;
          report.checks[name] = { ok: false, error: (error as Error).message };
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    return report;
  }
}
