import type { SolutionParams, SolutionRule } from './solution-params';

/**
 * The decision functions of the solutions (docs/solutions.md): pure, one per rule. Each takes the state of
 * one device under one rule, one reading of that device and the building's parameters, and answers the
 * state after the reading and, when the reading crosses the rule's line, a trigger with the state to keep
 * if the incident is raised (`raised`; e.g. the usage count back to 0). Whether it is raised — block
 * windows — is decided by the engine (solution-engine.ts), which keeps `next` when it is not.
 */

/** One reading as the rules see it: its time (epoch ms) and its canonical `v`. */
export interface RuleReading {
  readonly at: number;
  readonly v: Readonly<Record<string, unknown>>;
}

/** A rolling baseline of one air-quality metric: exponentially weighted mean and variance. */
export interface Baseline {
  n: number;
  mean: number;
  variance: number;
}

/** What a rule remembers of a device (JSON, stored in `workforce.solution_state`). */
export interface RuleState {
  /** usage: visits counted since `since` (epoch ms: the last reset, by an incident or a clean). */
  count?: number;
  since?: number;
  /** Level rules (consumable, bin, ammonia): the time of the newest level read, and whether it may raise. */
  levelAt?: number;
  armed?: boolean;
  /** feedback: how often each bad-feedback reason was given since the last incident. */
  reasons?: Record<string, number>;
  /** air-quality: one baseline per metric, the newest reading folded in, and recent anomalies (epoch ms). */
  baselines?: Record<string, Baseline>;
  baselineAt?: number;
  anomalies?: number[];
  /** air-quality: the time of the last incident raised (at most one per window). */
  lastRaised?: number;
}

export interface Trigger {
  /** The incident's name, e.g. `Usage threshold reached: 31 visits`. */
  readonly name: string;
  /** Its one work item. */
  readonly task: string;
}

export interface RuleOutcome {
  /** The state after the reading when no incident is raised (no trigger, or a blocked one). */
  readonly next: RuleState;
  readonly trigger?: Trigger;
  /** The state after the reading when its trigger raises an incident. */
  readonly raised?: RuleState;
}

/** Extra facts a rule needs: the zone's last clean time (epoch ms, 0 if never), the slot type. */
export interface RuleContext {
  readonly lastCleanAt: number;
  readonly slotType: string;
}

export type Rule = (state: RuleState, reading: RuleReading, p: SolutionParams, c: RuleContext) => RuleOutcome;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * Usage (`PPLCTR`, `UM`): each reading's `count` (visits since the previous reading) is added up since the
 * last reset; reaching `PeopleThreshold` raises an incident and starts again from 0. A completed cleaning
 * (a task group or incident completed in the zone) resets it too: readings before the zone's last clean
 * time, or before the last reset, are not counted.
 */
export const usageRule: Rule = (state, reading, p, c) => {
  let since = state.since ?? 0;
  let count = state.count ?? 0;
  if (c.lastCleanAt > since) {
    since = c.lastCleanAt;
    count = 0;
  }
  if (reading.at < since) return { next: { ...state, since, count } };
  count += Math.max(0, num(reading.v['count']) ?? 0);
  const next = { ...state, since, count };
  if (count < p.PeopleThreshold) return { next };
  return {
    next,
    trigger: {
      name: `Usage threshold reached: ${count} visits since the last clean`,
      task: 'Clean the zone',
    },
    raised: { ...state, since: reading.at, count: 0 },
  };
};

const CONSUMABLES: Readonly<Record<string, string>> = {
  TR: 'Toilet roll',
  PT: 'Paper towel',
  SS: 'Soap',
};

/**
 * A level rule: raises once when the level crosses below `min` and again only after it has been back at
 * or above it (re-armed: refilled, emptied), so a dispenser left empty raises one incident, not one per
 * block window. A reading older than the newest level read is not evaluated (the newest level wins).
 */
function levelRule(
  state: RuleState,
  reading: RuleReading,
  level: number | undefined,
  low: (level: number) => boolean,
  trigger: (level: number) => Trigger,
): RuleOutcome {
  if (level === undefined || reading.at < (state.levelAt ?? -Infinity)) return { next: state };
  const armed = state.armed ?? true;
  if (!low(level)) return { next: { ...state, levelAt: reading.at, armed: true } };
  const next = { ...state, levelAt: reading.at, armed };
  if (!armed) return { next };
  return { next, trigger: trigger(level), raised: { ...next, armed: false } };
}

/** Consumables (`TR`, `PT`, `SS`): `p`, the % left, below `MinFillPercent`. */
export const consumableRule: Rule = (state, reading, p, c) => {
  const what = CONSUMABLES[c.slotType] ?? 'Consumable';
  return levelRule(
    state,
    reading,
    num(reading.v['p']),
    (level) => level < p.MinFillPercent,
    (level) => ({ name: `${what} running low: ${level} % left`, task: `Refill the ${what.toLowerCase()}` }),
  );
};

/** Bin (`BIN`): `p`, the empty space left (%), below `MinEmptyPercent`. */
export const binRule: Rule = (state, reading, p) =>
  levelRule(
    state,
    reading,
    num(reading.v['p']),
    (level) => level < p.MinEmptyPercent,
    (level) => ({ name: `Bin nearly full: ${level} % space left`, task: 'Empty the bin' }),
  );

/** Ammonia (category 2, opt-in): `amm` above `AmmoniaThresholdPpm` (AQ Wired sends ppm, AQ Lite ppb). */
export const ammoniaRule: Rule = (state, reading, p, c) => {
  const threshold = p.AmmoniaThresholdPpm;
  const raw = num(reading.v['amm']);
  if (threshold === null || raw === undefined) return { next: state };
  const ppm = c.slotType === 'ODRDTR_BATT_V1' ? raw / 1000 : raw;
  return levelRule(
    state,
    reading,
    ppm,
    (level) => level > threshold,
    (level) => ({
      name: `Ammonia above ${threshold} ppm: ${round(level)} ppm`,
      task: 'Clean and ventilate the zone',
    }),
  );
};

/**
 * Spill (`WD`): `value` 1 with a wet area `AreaP` of at least `SpillMinAreaPercent` (0: any spill; a reading
 * without `AreaP` counts as 0 %). Every such reading triggers; the block windows keep it to one incident.
 */
export const spillRule: Rule = (state, reading, p) => {
  if (reading.v['value'] !== 1) return { next: state };
  const area = num(reading.v['AreaP']) ?? 0;
  if (area < p.SpillMinAreaPercent) return { next: state };
  return {
    next: state,
    trigger: { name: `Spill detected: ${area} % of the view wet`, task: 'Mop up the spill' },
    raised: state,
  };
};

/** Whether a feedback reading is bad: negative nature (`n` 1), or a rating of 4 or 5 (lower is better). */
export function isBadFeedback(v: Readonly<Record<string, unknown>>): boolean {
  return v['n'] === 1 || (num(v['rating']) ?? 0) >= 4;
}

/**
 * Feedback (`FD`): each bad feedback counts once for each of its reasons (by `Name`; no reasons: "Bad
 * feedback"); a reason given `FeedbackMaxCount` times raises an incident naming the reasons given, and
 * the counts start again.
 */
export const feedbackRule: Rule = (state, reading, p) => {
  if (!isBadFeedback(reading.v)) return { next: state };
  const given = reasonNames(reading.v['reasons']);
  const reasons = { ...(state.reasons ?? {}) };
  for (const name of given) reasons[name] = (reasons[name] ?? 0) + 1;
  const next = { ...state, reasons: keepReasons(reasons) };
  const reached = Object.entries(reasons)
    .filter(([, n]) => n >= p.FeedbackMaxCount)
    .map(([name]) => name)
    .sort();
  if (reached.length === 0) return { next };
  return {
    next,
    trigger: { name: `Bad feedback: ${reached.join(', ')}`, task: `Attend to: ${reached.join(', ')}` },
    raised: { ...state, reasons: {} },
  };
};

/** Most reasons a feedback reading counts, the longest reason name kept, most reasons remembered per device. */
export const FEEDBACK_LIMITS = { reasonsPerReading: 10, nameLength: 64, remembered: 50 } as const;

/**
 * The reason names of a feedback reading, as they go into an incident's name and the device's state:
 * control characters (NUL, which PostgreSQL text refuses, included) removed, trimmed, cut to
 * `nameLength`, at most `reasonsPerReading` of them.
 */
export function reasonNames(reasons: unknown): string[] {
  const names =
    typeof reasons === 'object' && reasons !== null
      ? Object.values(reasons as Record<string, unknown>)
          .map((r) => (typeof r === 'object' && r !== null ? (r as { Name?: unknown }).Name : undefined))
          .filter((n): n is string => typeof n === 'string')
          .map((n) =>
            n
              .replace(/[\u0000-\u001f\u007f]/g, ' ')
              .trim()
              .slice(0, FEEDBACK_LIMITS.nameLength),
          )
          .filter((n) => n !== '')
      : [];
  const unique = [...new Set(names)].slice(0, FEEDBACK_LIMITS.reasonsPerReading);
  return unique.length > 0 ? unique : ['Bad feedback'];
}

/** The counts to remember: at most `remembered` reasons, the most given (then by name) kept. */
function keepReasons(reasons: Record<string, number>): Record<string, number> {
  const entries = Object.entries(reasons);
  if (entries.length <= FEEDBACK_LIMITS.remembered) return reasons;
  return Object.fromEntries(
    entries
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, FEEDBACK_LIMITS.remembered),
  );
}

/** The metrics of each air-quality slot type that get a baseline (pollutants: high is bad). */
export const AQ_METRICS: Readonly<Record<string, readonly string[]>> = {
  ODRDTR_10_IN_1: ['co2', 'tvoc', 'hcho', 'pm_25', 'pm_10'],
  ODRDTR_BATT_V1: ['aqi', 'amm'],
  ODRDTR: ['amm', 'alc', 'no2'],
};

/** Weight of a new reading in the rolling baseline (about the last 20 readings). */
export const BASELINE_ALPHA = 0.1;
/** Readings folded into a metric's baseline before its z-scores count. */
export const BASELINE_WARMUP = 20;

/**
 * The z-scores of a reading's metrics: AQ Wired's own (`amm_zscore`, …, the device's anomaly scores)
 * where it sends them, else against the metric's rolling baseline once warmed up. Answers the scores
 * and the baselines with the reading folded in.
 */
export function zScores(
  slotType: string,
  v: Readonly<Record<string, unknown>>,
  baselines: Readonly<Record<string, Baseline>>,
): { scores: Record<string, number>; baselines: Record<string, Baseline> } {
  const scores: Record<string, number> = {};
  const next: Record<string, Baseline> = { ...baselines };
  for (const metric of AQ_METRICS[slotType] ?? []) {
    const own = num(v[`${metric}_zscore`]);
    const x = num(v[metric]);
    if (own !== undefined) scores[metric] = own;
    if (x === undefined) continue;
    const b = baselines[metric];
    if (!b) {
      next[metric] = { n: 1, mean: x, variance: 0 };
      continue;
    }
    if (own === undefined && b.n >= BASELINE_WARMUP) {
      // A floor under the deviation, so a flat series does not make every small change an anomaly.
      const sd = Math.max(Math.sqrt(b.variance), Math.abs(b.mean) * 0.01, 1e-6);
      scores[metric] = (x - b.mean) / sd;
    }
    const diff = x - b.mean;
    const mean = b.mean + BASELINE_ALPHA * diff;
    next[metric] = {
      n: b.n + 1,
      mean,
      variance: (1 - BASELINE_ALPHA) * (b.variance + BASELINE_ALPHA * diff * diff),
    };
  }
  return { scores, baselines: next };
}

/**
 * Air quality (category 1): a reading is an anomaly when a metric's z-score exceeds `AqZScore`;
 * `AqMaxAnomalies` anomalies within `AqWindowSeconds` raise an incident, at most one per device per window.
 * The baseline is a time series: a reading older than the newest folded in is not evaluated.
 */
export const airQualityRule: Rule = (state, reading, p, c) => {
  if (reading.at < (state.baselineAt ?? -Infinity)) return { next: state };
  const { scores, baselines } = zScores(c.slotType, reading.v, state.baselines ?? {});
  const windowMs = p.AqWindowSeconds * 1000;
  const recent = (state.anomalies ?? []).filter((t) => t > reading.at - windowMs);
  const over = Object.entries(scores)
    .filter(([, z]) => z > p.AqZScore)
    .sort(([, a], [, b]) => b - a);
  const anomalies = over.length > 0 ? [...recent, reading.at] : recent;
  const next: RuleState = { ...state, baselines, baselineAt: reading.at, anomalies };
  const quiet = state.lastRaised === undefined || reading.at - state.lastRaised >= windowMs;
  if (over.length === 0 || anomalies.length < p.AqMaxAnomalies || !quiet) return { next };
  const [metric, z] = over[0]!;
  return {
    next,
    trigger: {
      name: `Air quality anomaly: ${metric} ${round(num(reading.v[metric]) ?? Number.NaN)} (z ${round(z)})`,
      task: 'Check the air quality and ventilate the zone',
    },
    raised: { ...next, anomalies: [], lastRaised: reading.at },
  };
};

const round = (x: number) => Math.round(x * 100) / 100;

export const RULES: Readonly<Record<SolutionRule, Rule>> = {
  usage: usageRule,
  consumable: consumableRule,
  bin: binRule,
  feedback: feedbackRule,
  spill: spillRule,
  'air-quality': airQualityRule,
  ammonia: ammoniaRule,
};
