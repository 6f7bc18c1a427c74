import { TERMINAL } from '../api';
import { useStudio } from '../store';
import { ProgressLine } from './Progress';

/** The generations started in this session, always visible, so several can run while you keep working. */
export function JobsTray({ onOpen }: { onOpen: (id: string) => void }) {
  const { watched, forget } = useStudio();
  const items = Object.values(watched).sort((a, b) => b.seenAt - a.seenAt);
  return (
    <aside className="tray" aria-label="Generations in this session">
      {items.map((w) => (
        <div className="tray-item" key={w.gen.id}>
          <button className="link" onClick={() => onOpen(w.gen.id)} title="Open">
            {w.gen.outputFileName || w.gen.id.slice(0, 8)}
          </button>
          {TERMINAL.includes(w.gen.status) && (
            <button className="ghost small" aria-label={`Hide ${w.gen.id} from this list`} onClick={() => forget(w.gen.id)}>
              ×
            </button>
          )}
          <ProgressLine gen={w.gen} seenAt={w.seenAt} estimateSeconds={w.estimateSeconds} compact />
        </div>
      ))}
    </aside>
  );
}
