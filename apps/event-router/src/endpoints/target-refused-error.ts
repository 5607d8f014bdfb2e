/** A subscription target (or token URL) the SSRF guard refuses; commands answer it as TARGET_REFUSED. */
export class TargetRefusedError extends Error {
  override readonly name = 'TargetRefusedError';
  readonly code = 'TARGET_REFUSED';
}
