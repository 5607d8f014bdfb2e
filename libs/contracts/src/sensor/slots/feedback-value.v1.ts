import type { Validated } from '../../shared/validation';
import { normaliseFields, number, objectOf, recordOf, text, type FieldSpecs } from './value-fields';

/** One entry of `reasons`: `"ID_1": {"ID": "1", "Name": "Billing", "selector": 1}`. */
export interface FeedbackReasonV1 {
  ID?: string;
  Name: string;
  /** Aggregation constant. */
  selector?: number;
  [extra: string]: unknown;
}

/**
 * `v` of `SMARTCLEAN#FD` (reference §3.4.2, feedback tablet / QR feedback).
 *
 * `rating` is the one required field: **lower is better** (1 excellent … usually 5 very bad), a whole
 * number canonically a JSON integer, because the documented SQL averages `cast(v->>'rating' as integer)`.
 * `s` (stars) is the other way round: higher is better, `rating = MaxRating + 1 - s`. `n` is the
 * nature: `1` negative, anything else positive. `reasons` (negative feedback only) maps an id to
 * `{ID, Name, selector}`; the 2021 format `{"DemoReasonID1": {"Name": "Dirty Urinal"}}` has `Name`
 * only, so `ID` and `selector` are optional and `Name` is required.
 */
export interface FeedbackValueV1 {
  rating: number;
  n?: number;
  nm?: string;
  s?: number;
  reasons?: Record<string, FeedbackReasonV1>;
  c?: string;
  type?: string;
  [extra: string]: unknown;
}

const REASON_FIELDS: FieldSpecs = {
  ID: { read: text() },
  Name: { read: text(), required: true },
  selector: { read: number() },
};

const FEEDBACK_FIELDS: FieldSpecs = {
  rating: { read: number({ min: 1, whole: true }), required: true },
  n: { read: number({ whole: true }) },
  nm: { read: text() },
  s: { read: number({ min: 0, whole: true }) },
  reasons: { read: recordOf(objectOf(REASON_FIELDS)) },
  c: { read: text() },
  type: { read: text() },
};

export function normaliseFeedbackValue(v: Record<string, unknown>): Validated<FeedbackValueV1> {
  return normaliseFields(v, FEEDBACK_FIELDS);
}
