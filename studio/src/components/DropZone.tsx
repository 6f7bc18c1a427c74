import { useId, useRef, useState, type DragEvent, type ReactNode } from 'react';
import { validateFile, type MediaKind, type Validated } from '../validation';

/** A drop target that is also a keyboard-usable file button. Files are validated before they are accepted. */
export function DropZone({
  slot,
  label,
  accept,
  hint,
  onFile,
  children,
  testId,
}: {
  slot: MediaKind;
  label: string;
  accept: string;
  hint?: string;
  onFile: (f: File, v: Validated) => void;
  children?: ReactNode;
  testId?: string;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [problem, setProblem] = useState<string>();
  const id = useId();
  const take = (f: File | undefined) => {
    if (!f) return;
    const v = validateFile(f, slot);
    if (!v.ok) {
      setProblem(v.message);
      return;
    }
    setProblem(undefined);
    onFile(f, v);
  };
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    take(e.dataTransfer.files[0]);
  };
  return (
    <div
      className={`drop ${over ? 'over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
      data-testid={testId}
    >
      {children}
      <div className="drop-row">
        <button type="button" className="secondary" onClick={() => input.current?.click()} aria-describedby={`${id}-hint`}>
          {label}
        </button>
        <span id={`${id}-hint`} className="muted small-text">
          {hint ?? 'or drop a file here'}
        </span>
      </div>
      <input
        ref={input}
        type="file"
        accept={accept}
        hidden
        data-slot={slot}
        onChange={(e) => {
          take(e.target.files?.[0]);
          e.target.value = '';
        }}
      />
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
