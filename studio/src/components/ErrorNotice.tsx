import type { PlainError } from '../errors';

export function ErrorNotice({ error, onDismiss }: { error: PlainError; onDismiss?: () => void }) {
  return (
    <div className="error" role="alert">
      <strong>{error.title}.</strong> <span className="detail">{error.detail}</span>
      <div className="next">What to do: {error.next}</div>
      {error.code && <div className="code">Code: {error.code}</div>}
      {onDismiss && (
        <button className="ghost small" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
