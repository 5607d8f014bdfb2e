import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { parse } from 'yaml';

/** The checked-in alert rules and where the same rules are documented (for the specs). */
export const RULES_FILE = path.join(__dirname, '../../../k8s/components/monitoring/prometheus-rules.yaml');
export const OPERATIONS_DOC = path.join(__dirname, '../../../docs/operations.md');

export interface AlertRule {
  alert: string;
  expr: string;
}

export interface RuleGroup {
  name: string;
  rules: AlertRule[];
}

/** The `spec.groups` of the PrometheusRule. */
export function ruleGroups(file = RULES_FILE): RuleGroup[] {
  return (parse(readFileSync(file, 'utf8')) as { spec: { groups: RuleGroup[] } }).spec.groups;
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
