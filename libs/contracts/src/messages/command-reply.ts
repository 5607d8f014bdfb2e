/*
 * ⚠️ The reply of every typed request/reply command (`<domain>.<entity>.<imperative>.v<major>`, e.g.
 * `ROUTER_COMMANDS`), whatever the command: a contract between the services that send and serve them.
 */

/**
 * The reply envelope on the wire: the command's answer, or an error with a code — the handler's domain
 * code (e.g. `NOT_FOUND`), `INVALID_REQUEST` for a request that failed validation, or `INTERNAL`.
 */
export type CommandReply<Res> =
  { ok: true; data: Res } | { ok: false; error: { code: string; message: string } };
