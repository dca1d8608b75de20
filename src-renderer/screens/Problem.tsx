import type { Failure } from '../api';

/** A refusal as the user sees it: the server's message (never a stack trace), announced. */
export function Problem({ failure }: { failure: Failure | null }) {
  if (!failure) return null;
  return (
    <p className="problem" role="alert">
      {failure.message}
    </p>
  );
}
