import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { parse } from 'yaml';

/*
 * The Prometheus alert rules checked in as a PrometheusRule (k8s/components/monitoring), for the specs that
 * hold them to the metrics a service exports and to their copy in docs/operations.md.
 */

const ROOT = path.join(__dirname, '../../..');
export const ALERT_RULES_FILE = path.join(ROOT, 'k8s/components/monitoring/prometheus-rules.yaml');
export const OPERATIONS_DOC = path.join(ROOT, 'docs/operations.md');

export interface AlertRule {
  alert: string;
  expr: string;
}

export interface AlertRuleGroup {
  name: string;
  rules: AlertRule[];
}

/** The `spec.groups` of the checked-in PrometheusRule. */
export function alertRuleGroups(file = ALERT_RULES_FILE): AlertRuleGroup[] {
  return (parse(readFileSync(file, 'utf8')) as { spec: { groups: AlertRuleGroup[] } }).spec.groups;
}

/** The metric names an expression selects, and whether it parses (Prometheus's own PromQL grammar). */
export function selectedMetrics(expr: string): { names: string[]; valid: boolean } {
  const names = new Set<string>();
  let valid = true;
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) valid = false;
      if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        if (id) names.add(expr.slice(id.from, id.to));
      }
    },
  });
  return { names: [...names], valid };
}

/** Every metric the checked-in rules select whose name starts with `prefix`. */
export function alertRuleMetrics(prefix: string): string[] {
  const rules = alertRuleGroups().flatMap((group) => group.rules);
  return [...new Set(rules.flatMap((rule) => selectedMetrics(rule.expr).names))]
    .filter((name) => name.startsWith(prefix))
    .sort();
}
