/** An HTTP answer as the test harnesses read it. */
export interface AnswerSeen {
  status: number;
  headers: { get(name: string): string | null };
  body: unknown;
}

/**
 * Expects a REST v1 / ingest refusal in the problem-details envelope (RFC 9457): its content type, and
 * `type`, a non-blank `title` and `detail`, and the answer's `status`. `seen` names the request in the
 * failure message (property-based tests print what they sent).
 */
export function expectProblem(response: AnswerSeen, seen: string): void {
  expect({ seen, type: response.headers.get('content-type') }).toEqual({
    seen,
    type: expect.stringMatching(/^application\/problem\+json/),
  });
  expect(response.body).toMatchObject({
    type: expect.any(String),
    title: expect.stringMatching(/\S/),
    status: response.status,
    detail: expect.stringMatching(/\S/),
  });
}
