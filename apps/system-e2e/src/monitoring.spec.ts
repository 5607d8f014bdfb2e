import { readFileSync } from 'node:fs';
import path from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { parse, parseAllDocuments } from 'yaml';
import { alertRuleGroups, OPERATIONS_DOC, selectedMetrics } from '@matrix/testing';
import { filesUnder, root } from './support/manifests';

/*
 * The monitoring kit checked statically: the service alert rules (k8s/components/monitoring) and the Grafana
 * dashboard parse as PromQL (Prometheus's own grammar) and select only metrics a service exports; the rules
 * are the ones docs/operations.md shows, and its Metrics table lists every metric the services define.
 * "Exported" = a `name: 'matrix_…'` a service or lib passes to MetricsService (read from the sources), or
 * one of prom-client's default process metrics, with a histogram's _bucket/_sum/_count series.
 */

const MONITORING = path.join(root, 'k8s/components/monitoring');
const SERVICE_RULES = path.join(MONITORING, 'prometheus-rules-services.yaml');
const DASHBOARD = path.join(MONITORING, 'dashboards/matrix-overview.json');

/** Every `matrix_*` metric the sources define, with its kind. */
function definedMetrics(): Map<string, string> {
  const defined = new Map<string, string>();
  const files = [...filesUnder('apps', /\.ts$/), ...filesUnder('libs', /\.ts$/)].filter(
    (file) => !/\.(spec|integration-spec|e2e-spec)\.ts$/.test(file) && !file.includes('/test/'),
  );
  for (const file of files) {
    const source = readFileSync(path.join(root, file), 'utf8');
    for (const match of source.matchAll(
      /metrics\.(counter|gauge|histogram)\(\{\s*name: '(matrix_[a-z0-9_]+)'/g,
    )) {
      defined.set(match[2]!, match[1]!);
    }
  }
  return defined;
}

async function exportedSeries(): Promise<Set<string>> {
  const series = new Set<string>();
  for (const [name, kind] of definedMetrics()) {
    series.add(name);
    if (kind === 'histogram') {
      for (const suffix of ['_bucket', '_sum', '_count']) series.add(name + suffix);
    }
  }
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const metric of await registry.getMetricsAsJSON()) {
    series.add(metric.name);
    if (String(metric.type) === 'histogram') {
      for (const suffix of ['_bucket', '_sum', '_count']) series.add(metric.name + suffix);
    }
  }
  return series;
}

interface Panel {
  title: string;
  type: string;
  panels?: Panel[];
  targets?: { expr: string }[];
}

function dashboardExpressions(): { title: string; expr: string }[] {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[] };
  const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
  return panels.flatMap((panel) => (panel.targets ?? []).map(({ expr }) => ({ title: panel.title, expr })));
}

describe('the monitoring kit', () => {
  it('finds the metrics the services define (the scan this spec relies on works)', () => {
    const defined = definedMetrics();
    expect(defined.get('matrix_http_requests_total')).toBe('counter');
    expect(defined.get('matrix_http_request_duration_seconds')).toBe('histogram');
    expect(defined.get('matrix_jetstream_consumer_pending_messages')).toBe('gauge');
    expect(defined.size).toBeGreaterThan(30);
  });

  it('has service alert rules that parse as PromQL and select only exported metrics', async () => {
    const exported = await exportedSeries();
    const rules = alertRuleGroups(SERVICE_RULES).flatMap((group) => group.rules);
    expect(rules.map((rule) => rule.alert)).toEqual([
      'MatrixHttpErrors',
      'MatrixConsumerBacklogGrowing',
      'MatrixDeadLetters',
      'MatrixOutboxLagging',
      'MatrixProjectorLagging',
      'MatrixDeliveryFailing',
      'MatrixDeliveryFailureRate',
    ]);
    for (const rule of rules) {
      const { names, valid } = selectedMetrics(rule.expr);
      expect({ alert: rule.alert, valid, selects: names.length > 0 }).toEqual({
        alert: rule.alert,
        valid: true,
        selects: true,
      });
      expect({ alert: rule.alert, unknown: names.filter((name) => !exported.has(name)) }).toEqual({
        alert: rule.alert,
        unknown: [],
      });
    }
  });

  it('documents exactly the checked-in service rules in docs/operations.md', () => {
    const doc = readFileSync(OPERATIONS_DOC, 'utf8');
    const block =
      /<!-- service-alert-rules:start -->\s*```yaml\n([\s\S]*?)```\s*<!-- service-alert-rules:end -->/.exec(
        doc,
      );
    expect(block).not.toBeNull();
    const [documented] = parseAllDocuments(block![1]!).map((d) => d.toJS() as { groups: unknown });
    expect(documented?.groups).toEqual(alertRuleGroups(SERVICE_RULES));
  });

  it('has a dashboard whose every query parses as PromQL and selects only exported metrics', async () => {
    const exported = await exportedSeries();
    const expressions = dashboardExpressions();
    expect(expressions.length).toBeGreaterThan(10);
    for (const { title, expr } of expressions) {
      const { names, valid } = selectedMetrics(expr);
      expect({ title, valid, unknown: names.filter((name) => !exported.has(name)) }).toEqual({
        title,
        valid: true,
        unknown: [],
      });
      expect({ title, selects: names.length }).not.toEqual({ title, selects: 0 });
    }
  });

  it('rejects a query naming a metric nobody exports (the checks above can fail)', async () => {
    const exported = await exportedSeries();
    expect(
      selectedMetrics('sum(rate(matrix_no_such_metric_total[5m]))').names.every((n) => exported.has(n)),
    ).toBe(false);
    expect(selectedMetrics('sum(rate(matrix_http_requests_total[5m]').valid).toBe(false);
  });

  it('lists every metric the services define in docs/operations.md, Metrics', () => {
    const doc = readFileSync(OPERATIONS_DOC, 'utf8');
    const section = /\n## Metrics\n([\s\S]*?)\n## /.exec(doc)?.[1] ?? '';
    const missing = [...definedMetrics().keys()].filter((name) => !section.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it('scrapes the port every service serves /metrics on (METRICS_PORT, named metrics)', () => {
    const monitor = parse(readFileSync(path.join(MONITORING, 'pod-monitor.yaml'), 'utf8')) as {
      spec: { podMetricsEndpoints: { port: string; path: string }[] };
    };
    expect(monitor.spec.podMetricsEndpoints).toEqual([
      expect.objectContaining({ port: 'metrics', path: '/metrics' }),
    ]);
    for (const file of filesUnder('k8s/base/apps', /\.yaml$/)) {
      const deployment = parseAllDocuments(readFileSync(path.join(root, file), 'utf8'))
        .map(
          (d) =>
            d.toJS() as {
              kind: string;
              spec: {
                template: {
                  spec: {
                    containers: {
                      env?: { name: string; value: string }[];
                      ports?: { name: string; containerPort: number }[];
                    }[];
                  };
                };
              };
            },
        )
        .find((m) => m.kind === 'Deployment');
      const container = deployment!.spec.template.spec.containers[0]!;
      const metricsPort = container.env?.find((e) => e.name === 'METRICS_PORT')?.value;
      expect([file, container.ports?.find((p) => p.name === 'metrics')?.containerPort]).toEqual([
        file,
        Number(metricsPort),
      ]);
    }
  });
});
