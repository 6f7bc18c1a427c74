import { useEffect, useRef, useState } from 'react';
import { clock } from '../format';

/** Record the voice track from the microphone (MediaRecorder). */
export function Recorder({ onRecorded }: { onRecorded: (b: Blob, name: string, seconds: number) => void }) {
  const [state, setState] = useState<'idle' | 'recording' | 'error'>('idle');
  const [msg, setMsg] = useState<string>();
  const [secs, setSecs] = useState(0);
  const rec = useRef<MediaRecorder | null>(null);
  const started = useRef(0);
  useEffect(() => {
    if (state !== 'recording') return;
    const t = setInterval(() => setSecs((Date.now() - started.current) / 1000), 250);
    return () => clearInterval(t);
  }, [state]);
  useEffect(() => () => rec.current?.stream.getTracks().forEach((t) => t.stop()), []);
  const start = async () => {
    if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === 'undefined') {
      setState('error');
      setMsg('This browser cannot record here (recording needs https or localhost, and a microphone).');
      return;
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const r = new MediaRecorder(stream);
      const chunks: Blob[] = [];
      r.ondataavailable = (e) => e.data.size && chunks.push(e.data);
      r.onstop = () => {
        stream.getTracks().forEach((t) => t.stop());
        const type = r.mimeType || 'audio/webm';
        const ext = type.includes('ogg') ? 'ogg' : type.includes('mp4') ? 'm4a' : 'webm';
        onRecorded(new Blob(chunks, { type }), `recording.${ext}`, (Date.now() - started.current) / 1000);
        setState('idle');
      };
      rec.current = r;
      started.current = Date.now();
      setSecs(0);
      r.start();
      setState('recording');
      setMsg(undefined);
    } catch (e) {
      setState('error');
      setMsg(`The microphone could not be opened: ${(e as Error).message}. Allow microphone access and try again.`);
    }
  };
  return (
    <div className="recorder">
      {state === 'recording' ? (
        <button type="button" className="danger" onClick={() => rec.current?.stop()}>
          ■ Stop recording ({clock(secs)})
        </button>
      ) : (
        <button type="button" className="secondary" onClick={start}>
          ● Record from microphone
        </button>
      )}
      {msg && <p className="problem">{msg}</p>}
    </div>
  );
}
