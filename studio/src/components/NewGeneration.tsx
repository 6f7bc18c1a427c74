import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { localize, type CostEstimate, type Generation, type GenerationOptions, type InputItem, type Model, type Voice } from '../api';
import { explain } from '../errors';
import { clock, money } from '../format';
import { useStudio } from '../store';
import { cleanFileName, describeSize, validateDuration } from '../validation';
import { expectedSeconds } from '../rates';
import { DropZone } from './DropZone';
import { ErrorNotice } from './ErrorNotice';
import { FacePicker } from './FacePicker';
import { Recorder } from './Recorder';

const FALLBACK_MODELS: Model[] = [
  { id: 'sync-3', description: 'Plans every frame of a shot together: the best result (default).' },
  { id: 'lipsync-2-pro', description: 'Finer lip contours, planned in 2-second chunks; slower.' },
  { id: 'lipsync-2', description: 'Planned in 2-second chunks with a narrow search: the fastest.' },
];

export const SYNC_MODES: Array<{ id: string; label: string; help: string }> = [
  { id: 'cut_off', label: 'Cut off', help: 'Stop at the shorter of video and audio.' },
  { id: 'bounce', label: 'Bounce', help: 'If the audio is longer, play the video forward then backward until it ends.' },
  { id: 'loop', label: 'Loop', help: 'If the audio is longer, start the video again until it ends.' },
  { id: 'silence', label: 'Silence', help: 'Keep everything; the shorter track is padded (silent audio or a held frame).' },
  { id: 'remap', label: 'Remap', help: 'Stretch or squeeze the video to the audio’s length.' },
];


interface Media {
  kind: 'video' | 'image' | 'audio';
  file?: Blob;
  name: string;
  url: string; // object URL (local) or server URL (re-run)
  remote?: boolean;
  duration?: number;
  size?: number;
}

function modelId(m: Model): string {
  return String(m.id ?? m.name ?? '');
}

/** Output length for a duration-mismatch policy. */
export function outputSeconds(video: number | undefined, audio: number | undefined, mode: string, still: boolean): number | undefined {
  if (audio === undefined) return video;
  if (still || video === undefined) return audio;
  if (mode === 'cut_off') return Math.min(video, audio);
  if (mode === 'silence') return Math.max(video, audio);
  return audio;
}

function probeDuration(url: string, kind: 'video' | 'audio'): Promise<number> {
  return new Promise((resolve) => {
    const el = document.createElement(kind);
    el.preload = 'metadata';
    el.onloadedmetadata = () => resolve(el.duration);
    el.onerror = () => resolve(NaN);
    el.src = url;
  });
}

export function NewGeneration({ rerunOf, onCreated }: { rerunOf?: string; onCreated: (id: string) => void }) {
  const { api, watch, catalogue } = useStudio();
  const [models, setModels] = useState<Model[]>(FALLBACK_MODELS);
  const [visual, setVisual] = useState<Media>();
  const [audio, setAudio] = useState<Media>();
  const [audioTab, setAudioTab] = useState<'file' | 'mic' | 'text'>('file');
  const [script, setScript] = useState('');
  const [voice, setVoice] = useState('');
  const [voices, setVoices] = useState<Voice[]>();
  const [point, setPoint] = useState<[number, number]>();
  const [model, setModel] = useState('sync-3');
  const [syncMode, setSyncMode] = useState('cut_off');
  const [temperature, setTemperature] = useState(0.5);
  const [fileName, setFileName] = useState('');
  const [estimate, setEstimate] = useState<CostEstimate | { error: unknown }>();
  const [err, setErr] = useState<unknown>();
  const [notes, setNotes] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [source, setSource] = useState<Generation>();
  const urls = useRef<string[]>([]);

  useEffect(
    () => () => {
      // Object URLs stay alive for the session's comparison views; nothing to revoke here.
    },
    [],
  );

  useEffect(() => {
    api
      .models()
      .then((r) => {
        const list = Array.isArray(r) ? r : (r?.models ?? []);
        const usable = list.filter((m) => modelId(m));
        if (usable.length) setModels(usable);
      })
      .catch(() => undefined);
  }, [api]);

  // Text-to-speech is offered only when the server lists voices.
  useEffect(() => {
    api.voices().then((v) => {
      setVoices(v);
      if (v?.length) setVoice((cur) => cur || (v.find((x) => x.id === 'en-us') ?? v.find((x) => /^en/.test(x.id)) ?? v[0]).id);
    });
  }, [api]);

  // Re-run: start from an existing generation's inputs and settings.
  useEffect(() => {
    if (!rerunOf) return;
    api
      .get(rerunOf)
      .then((g) => {
        setSource(g);
        setModel(g.model);
        const o = g.options ?? {};
        if (typeof o.sync_mode === 'string') setSyncMode(o.sync_mode);
        if (typeof o.temperature === 'number') setTemperature(o.temperature);
        const asd = o.active_speaker_detection;
        if (asd?.coordinates) setPoint(asd.coordinates);
        const v = g.input.find((i) => i.type === 'video' || i.type === 'image');
        const a = g.input.find((i) => i.type === 'audio');
        const t = g.input.find((i) => i.type === 'text');
        const nameOf = (u: string) => decodeURIComponent(u.split('/').pop() ?? '');
        if (v?.url) {
          const url = localize(v.url);
          setVisual({ kind: v.type as 'video' | 'image', name: nameOf(v.url) || v.type, url: v.url, remote: true });
          if (v.type === 'video') probeDuration(url, 'video').then((d) => Number.isFinite(d) && setVisual((m) => (m && m.url === v.url ? { ...m, duration: d } : m)));
        }
        if (a?.url) {
          setAudio({ kind: 'audio', name: nameOf(a.url) || 'audio', url: a.url, remote: true });
          probeDuration(localize(a.url), 'audio').then((d) => Number.isFinite(d) && setAudio((m) => (m && m.url === a.url ? { ...m, duration: d } : m)));
        }
        if (t?.provider?.script) {
          setAudioTab('text');
          setScript(t.provider.script);
          if (t.provider.voiceId) setVoice(t.provider.voiceId);
        }
        setFileName(g.outputFileName ? `${g.outputFileName}_rerun` : '');
      })
      .catch(setErr);
  }, [api, rerunOf]);

  const useFile = async (f: Blob, name: string, kind: 'video' | 'image' | 'audio', note?: string, knownSeconds?: number) => {
    const url = URL.createObjectURL(f);
    urls.current.push(url);
    const m: Media = { kind, file: f, name, url, size: f.size };
    if (kind === 'video' || kind === 'audio') {
      // recordings (MediaRecorder WebM) often carry no duration in their header: use the measured one
      const probed = await probeDuration(url, kind === 'video' ? 'video' : 'audio');
      const d = Number.isFinite(probed) && probed > 0 ? probed : (knownSeconds ?? probed);
      const v = validateDuration(d, kind === 'audio' ? 'voice track' : 'video');
      if (!v.ok) {
        setNotes([v.message!]);
        return;
      }
      m.duration = d;
    }
    setNotes(note ? [note] : []);
    if (kind === 'audio') setAudio(m);
    else {
      setVisual(m);
      setPoint(undefined);
      if (!fileName) setFileName(cleanFileName(name) + '_synced');
      if (kind === 'image') setModel('sync-3');
    }
  };

  const still = visual?.kind === 'image';
  const textMode = audioTab === 'text';
  const outLen = outputSeconds(visual?.duration, textMode ? undefined : audio?.duration, syncMode, still);

  // Estimated cost and time before submitting (POST /v2/generations/estimate).
  useEffect(() => {
    if (!outLen || !Number.isFinite(outLen)) {
      setEstimate(undefined);
      return;
    }
    const ctl = { dead: false };
    const t = setTimeout(() => {
      api
        .estimate({ model, duration: Math.round(outLen * 100) / 100, fps: 25 })
        .then((e) => !ctl.dead && setEstimate(e))
        .catch((e) => !ctl.dead && setEstimate({ error: e }));
    }, 250);
    return () => {
      ctl.dead = true;
      clearTimeout(t);
    };
  }, [api, model, outLen]);

  const selected = models.find((m) => modelId(m) === model);
  const tempApplies = !/^sync-3/.test(model);
  const canSubmit = !!visual && (textMode ? script.trim().length > 0 : !!audio) && !busy;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!visual) return setErr(new Error('Choose a video or a still image first.'));
    if (!textMode && !audio) return setErr(new Error('Choose, record or type the voice track.'));
    setBusy(true);
    setErr(undefined);
    const options: GenerationOptions = { sync_mode: syncMode };
    if (tempApplies) options.temperature = temperature;
    if (point) options.active_speaker_detection = { auto_detect: false, frame_number: 0, coordinates: point };
    else if (!still) options.active_speaker_detection = { auto_detect: true };
    const provider = voices?.find((v) => v.id === voice)?.provider;
    const text: InputItem | undefined = textMode ? { type: 'text', provider: { name: provider ?? 'espeak', voiceId: voice || undefined, script: script.trim() } } : undefined;
    try {
      const g = await api.createWithFiles({
        model,
        visual: { kind: visual.kind as 'video' | 'image', file: visual.remote ? undefined : visual.file, name: visual.name, url: visual.remote ? visual.url : undefined },
        audio: textMode || !audio ? undefined : { file: audio.remote ? undefined : audio.file, name: audio.name, url: audio.remote ? audio.url : undefined },
        text,
        options,
        outputFileName: cleanFileName(fileName) || undefined,
      });
      watch(g, { localVideo: visual.url, localAudio: textMode ? undefined : audio?.url, visualKind: visual.kind as 'video' | 'image', estimateSeconds: estSeconds });
      onCreated(g.id);
    } catch (x) {
      setErr(x);
    } finally {
      setBusy(false);
    }
  };

  const est = estimate && !('error' in estimate) ? estimate : undefined;
  // the API's own time estimate if it gives one, else what this browser has seen the model take
  const estSeconds = useMemo(() => {
    const s = est?.estimatedSeconds ?? (est as Record<string, unknown> | undefined)?.estimatedProcessingSeconds;
    if (typeof s === 'number') return s;
    return outLen ? expectedSeconds(model, outLen) : undefined;
  }, [est, model, outLen]);

  return (
    <form className="newgen" onSubmit={submit} aria-labelledby="newgen-title">
      <h1 id="newgen-title">{source ? 'Re-run with other settings' : 'New generation'}</h1>
      {source && (
        <p className="muted">
          Starting from <a href={`#/g/${source.id}`}>{source.outputFileName || source.id}</a>: its inputs are reused unless you replace them.
        </p>
      )}
      <div className="grid2">
        <section className="card" aria-labelledby="v-title">
          <h2 id="v-title">1. Video or still image</h2>
          <DropZone
            slot="visual"
            testId="drop-video"
            label={visual ? 'Replace video…' : 'Choose video or image…'}
            accept="video/*,image/jpeg,image/png,image/webp,.mov,.mkv,.avi"
            onFile={(f, v) => useFile(f, f.name, v.kind === 'image' ? 'image' : 'video')}
          >
            {visual && (
              <p className="filemeta">
                <strong>{visual.name}</strong>
                {visual.size !== undefined && ` · ${describeSize(visual.size)}`}
                {visual.duration !== undefined && ` · ${clock(visual.duration)}`}
                {visual.kind === 'image' && ' · still image (sync-3)'}
              </p>
            )}
          </DropZone>
          {visual && <FacePicker src={localize(visual.url)} kind={visual.kind === 'image' ? 'image' : 'video'} point={point} onPoint={setPoint} detect={(png) => api.detectFaces(png)} />}
        </section>

        <section className="card" aria-labelledby="a-title">
          <h2 id="a-title">2. Voice track</h2>
          <div className="tabs" role="tablist" aria-label="Voice source">
            {(
              [
                ['file', 'Audio file'],
                ['mic', 'Record'],
                ...(voices?.length || audioTab === 'text' ? ([['text', 'Type text']] as const) : []),
              ] as const
            ).map(([id, label]) => (
              <button key={id} type="button" role="tab" aria-selected={audioTab === id} className={audioTab === id ? 'on' : ''} onClick={() => setAudioTab(id)}>
                {label}
              </button>
            ))}
          </div>
          {audioTab === 'file' && (
            <DropZone slot="audio" testId="drop-audio" label={audio ? 'Replace audio…' : 'Choose audio…'} accept="audio/*,.wav,.mp3,.m4a,.ogg,.flac,video/mp4" onFile={(f, v) => useFile(f, f.name, 'audio', v.message)} />
          )}
          {audioTab === 'mic' && <Recorder onRecorded={(b, name, secs) => useFile(b, name, 'audio', undefined, secs)} />}
          {audioTab === 'text' ? (
            <div className="tts">
              <label htmlFor="script">Text to speak (offline voice on the server)</label>
              <textarea id="script" rows={4} maxLength={5000} value={script} onChange={(e) => setScript(e.target.value)} placeholder="Type what the person should say…" />
              <label htmlFor="voice">Voice</label>
              <select id="voice" value={voice} onChange={(e) => setVoice(e.target.value)}>
                {(voices ?? (voice ? [{ id: voice, name: voice }] : [])).map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.name}
                  </option>
                ))}
              </select>
            </div>
          ) : (
            audio && (
              <div className="filemeta">
                <strong>{audio.name}</strong>
                {audio.size !== undefined && ` · ${describeSize(audio.size)}`}
                {audio.duration !== undefined && ` · ${clock(audio.duration)}`}
                <audio controls src={localize(audio.url)} preload="metadata" aria-label="Voice track preview" />
              </div>
            )
          )}
          {notes.map((n) => (
            <p key={n} className="note" role="status">
              {n}
            </p>
          ))}
        </section>
      </div>

      <section className="card settings" aria-labelledby="s-title">
        <h2 id="s-title">3. Settings</h2>
        <div className="grid3">
          <div>
            <label htmlFor="model">Model</label>
            <select id="model" value={model} onChange={(e) => setModel(e.target.value)}>
              {models.map((m) => (
                <option key={modelId(m)} value={modelId(m)} disabled={still && modelId(m) !== 'sync-3'}>
                  {modelId(m)}
                </option>
              ))}
            </select>
            <p className="help">{String(selected?.description ?? FALLBACK_MODELS.find((m) => m.id === model)?.description ?? '')}</p>
          </div>
          <fieldset disabled={still}>
            <legend>When lengths differ (sync mode)</legend>
            <select aria-label="Sync mode" value={syncMode} onChange={(e) => setSyncMode(e.target.value)}>
              {SYNC_MODES.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.label}
                </option>
              ))}
            </select>
            <p className="help">{still ? 'A still image always follows the audio.' : SYNC_MODES.find((m) => m.id === syncMode)?.help}</p>
          </fieldset>
          <div>
            <label htmlFor="temp">
              Expressiveness (temperature): <output htmlFor="temp">{temperature.toFixed(2)}</output>
            </label>
            <input id="temp" type="range" min={0} max={1} step={0.05} value={temperature} disabled={!tempApplies} onChange={(e) => setTemperature(Number(e.target.value))} />
            <p className="help">{tempApplies ? 'Low keeps the mouth calm; high opens it wider and moves it more.' : 'sync-3 sets expressiveness itself; this setting is not used.'}</p>
          </div>
        </div>
        <div className="grid2 bottom">
          <div>
            <label htmlFor="fname">Output file name</label>
            <div className="suffix">
              <input id="fname" value={fileName} onChange={(e) => setFileName(e.target.value)} placeholder="my_dub" pattern="[A-Za-z0-9_\-]*" title="Letters, digits, _ and -" />
              <span className="muted">.mp4</span>
            </div>
          </div>
          <div className="estimate" aria-live="polite" data-testid="estimate">
            {!outLen ? (
              <span className="muted">The estimate appears once both inputs are chosen.</span>
            ) : est ? (
              <>
                <div>
                  Output about <strong>{clock(outLen)}</strong>
                  {est.estimatedFrameCount !== undefined && <> · {est.estimatedFrameCount} frames</>}
                </div>
                <div>
                  Estimated cost <strong>{money(est.estimatedGenerationCost)}</strong>
                  {est.estimatedCredits != null && <> · {est.estimatedCredits} credits</>}
                </div>
                <div className="muted small-text" data-testid="estimate-time">
                  {estSeconds !== undefined
                    ? `About ${clock(Math.max(1, estSeconds))} to make (from how long ${model} took in this browser).`
                    : 'Time: shown once this browser has seen a generation with this model finish.'}
                </div>
              </>
            ) : estimate && 'error' in estimate ? (
              <span className="muted">No estimate: {explain(estimate.error).detail}</span>
            ) : (
              <span className="muted">Estimating…</span>
            )}
          </div>
        </div>
      </section>

      {err !== undefined && <ErrorNotice error={explain(err, catalogue)} onDismiss={() => setErr(undefined)} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={!canSubmit}>
          {busy ? 'Uploading…' : 'Generate'}
        </button>
        {!visual && <span className="muted">Choose a video to begin.</span>}
      </div>
    </form>
  );
}
