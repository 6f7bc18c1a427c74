// The package ships no types; this is the part of its surface the training script and tests use.
declare module '@echogarden/espeak-ng-emscripten' {
  interface EspeakEvent {
    type: string;
    id?: string | number;
    audio_position: number;
    text_position: number;
  }
  interface EspeakWorker {
    set_voice(id: string): void;
    set_rate(wpm: number): void;
    set_pitch(p: number): void;
    set_range(r: number): void;
    list_voices(): { identifier: string; name: string; languages: { name: string; priority: number }[] }[];
    synthesize(text: string, cb: (samples: Int16Array | null, events: EspeakEvent[]) => void): void;
  }
  interface EspeakModule {
    eSpeakNGWorker: new () => EspeakWorker;
  }
  const init: () => Promise<EspeakModule>;
  export default init;
}
