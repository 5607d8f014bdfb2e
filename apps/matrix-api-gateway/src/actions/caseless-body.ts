import { ActionError } from './action-error';

/**
 * An op's arguments read without regard to the case of their keys. The reference names the fields in the
 * Matrix style (`DeviceProviderType`, `SeatId`), but the Java SDK serialises its request objects with
 * Jackson, which may write `deviceProviderType` or `seatId`: both are the one field. A key given twice in
 * different cases is refused rather than one spelling silently winning. A `null` value is an absent field
 * (Jackson writes the unset fields of a request object as `null`).
 */
export class CaselessBody {
  private readonly values = new Map<string, { key: string; value: unknown }>();

  constructor(body: Record<string, unknown>) {
    for (const [key, value] of Object.entries(body)) {
      const lower = key.toLowerCase();
      const seen = this.values.get(lower);
      if (seen) {
        throw new ActionError('WRONG_PARAMETERS', `${key}: given twice, also as ${seen.key}`);
      }
      this.values.set(lower, { key, value });
    }
  }

  /** The value of `name` in any case; `undefined` when absent or `null`. */
  get(name: string): unknown {
    const value = this.values.get(name.toLowerCase())?.value;
    return value === null ? undefined : value;
  }

  /**
   * A string field: MISSING_PARAMETERS when required and absent or empty, WRONG_PARAMETERS naming it when
   * not a string.
   */
  text(name: string, required: true): string;
  text(name: string, required?: false): string | undefined;
  text(name: string, required = false): string | undefined {
    const value = this.get(name);
    if (value === undefined || value === '') {
      if (required) throw new ActionError('MISSING_PARAMETERS', `Missing ${name} in the body`);
      return undefined;
    }
    if (typeof value !== 'string') throw new ActionError('WRONG_PARAMETERS', `${name}: must be a string`);
    return value;
  }

  /** An optional boolean field (`false` when absent); WRONG_PARAMETERS naming it unless true or false. */
  flag(name: string): boolean {
    const value = this.get(name);
    if (value === undefined) return false;
    if (typeof value !== 'boolean') {
      throw new ActionError('WRONG_PARAMETERS', `${name}: must be true or false`);
    }
    return value;
  }
}
